import { ForbiddenException, Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { Config, EntraSignInConfig } from '../config/config';
import { createPkcePair, UpstreamError, type SignedInPerson } from '../connectors';
import { CONFIG } from '../core/tokens';
import { ProfileConnectors } from '../microsoft/profile-connectors';
import { CLOCK, type Clock } from '../shared/clock';
import { conflict, invalid } from '../shared/domain-error';
import { ConsoleSessions, type OpenedSession, type SessionIdentity } from './console-sessions';

/** The app roles to define on the service's app registration and assign in its enterprise application. */
export const APP_ROLES = { admin: 'LicenseLedger.Admin', auditor: 'LicenseLedger.Auditor' } as const;

/** Admin wins over auditor; anything else (no role, or only other apps' roles) gets no session. */
export function roleFromAppRoles(roles: readonly string[]): SessionIdentity['role'] | null {
  if (roles.includes(APP_ROLES.admin)) return 'admin';
  if (roles.includes(APP_ROLES.auditor)) return 'auditor';
  return null;
}

interface Pending {
  readonly verifier: string;
  readonly expiresAtMs: number;
}

const PENDING_TTL_MS = 10 * 60_000;
const MAX_PENDING = 10_000;
const SCOPES = ['openid', 'profile'];

/**
 * "Sign in with Microsoft" for the console: OpenID Connect authorization code with PKCE on
 * the service's own app registration (SAM_ENTRA_SIGN_IN_*). The service keeps the PKCE
 * verifier against a single-use state, Entra returns the code in the URL fragment (so no
 * server logs it), the console hands code and state back, and the id token's app roles
 * decide the session's role. Pending sign-ins live in this instance's memory, like the
 * profiles' delegated sign-in.
 */
@Injectable()
export class EntraSignIn {
  private readonly pending = new Map<string, Pending>();

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    private readonly connectors: ProfileConnectors,
    private readonly sessions: ConsoleSessions,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  get enabled(): boolean {
    return this.config.entraSignIn !== null;
  }

  /** Entra redirects back to the console itself. */
  get redirectUri(): string {
    return `${this.config.publicUrl}/`;
  }

  async start(): Promise<string> {
    const app = this.app();
    this.sweep();
    while (this.pending.size >= MAX_PENDING) this.pending.delete(this.pending.keys().next().value!);
    const state = randomBytes(32).toString('base64url');
    const { verifier, challenge } = await createPkcePair();
    this.pending.set(state, { verifier, expiresAtMs: this.now() + PENDING_TTL_MS });
    return this.connectors.connectors.authorizationUrl({
      ...app,
      redirectUri: this.redirectUri,
      scopes: SCOPES,
      state,
      codeChallenge: challenge,
      prompt: 'select_account',
      responseMode: 'fragment',
    });
  }

  async complete(code: string, state: string): Promise<OpenedSession & { username: string | null }> {
    const app = this.app();
    const pending = this.pending.get(state);
    this.pending.delete(state);
    if (!pending || pending.expiresAtMs <= this.now()) {
      throw invalid('invalid-sign-in-state', 'this sign-in is unknown, used or expired: start it again');
    }
    let person: SignedInPerson;
    try {
      person = await this.connectors.connectors.signInPerson({
        ...app,
        code,
        codeVerifier: pending.verifier,
        redirectUri: this.redirectUri,
        scopes: SCOPES,
      });
    } catch (error) {
      if (error instanceof UpstreamError && error.cause === 'authentication')
        throw invalid('sign-in-refused', `Microsoft refused the sign-in: ${error.message}`);
      throw error;
    }
    if (person.tenantId.toLowerCase() !== app.tenantId.toLowerCase())
      throw forbidden(`the account belongs to another tenant (${person.tenantId})`);
    const role = roleFromAppRoles(person.roles);
    if (!role) {
      throw forbidden(
        `${person.username ?? 'this account'} has no License Ledger role: an administrator assigns ${APP_ROLES.admin} or ${APP_ROLES.auditor} to it in the service's enterprise application`,
      );
    }
    const opened = this.sessions.open({ role, actor: { kind: 'user', id: person.objectId } });
    return { ...opened, username: person.username };
  }

  private app() {
    const settings: EntraSignInConfig | null = this.config.entraSignIn;
    if (!settings)
      throw conflict('sign-in-not-configured', 'Sign in with Microsoft is not configured (SAM_ENTRA_SIGN_IN_*)');
    return { ...settings, clientSecret: () => settings.clientSecret };
  }

  private sweep(): void {
    const now = this.now();
    for (const [state, p] of this.pending) if (p.expiresAtMs <= now) this.pending.delete(state);
  }

  private now(): number {
    return this.clock.now().getTime();
  }
}

const forbidden = (message: string) => new ForbiddenException(message);
