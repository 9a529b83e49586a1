import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { CommandContext } from '../application/command-context';
import { CommandExecutor } from '../application/command-executor';
import type { Config } from '../config/config';
import { createPkcePair } from '../connectors';
import { CONFIG } from '../core/tokens';
import { CREDENTIALS, type CredentialStore } from '../credentials/credential.store';
import { endpointsFor } from '../domain/profile/clouds';
import { profileDecider } from '../domain/profile/profile.decider';
import { type ConnectionName } from '../domain/profile/profile.events';
import { ProfileConnectors } from '../microsoft/profile-connectors';
import { CLOCK, type Clock } from '../shared/clock';
import { conflict, invalid, notFound } from '../shared/domain-error';
import type { ExistingProfile } from './profile.view';
import { streamIds } from '../domain/stream-names';

interface PendingSignIn {
  readonly profileId: string;
  readonly connection: ConnectionName;
  readonly codeVerifier: string;
  readonly scopes: readonly string[];
  readonly context: CommandContext;
  readonly expiresAt: number;
  /** Started from the web console: the callback sends the browser back to it. */
  readonly returnToConsole: boolean;
}

/** Entra authorization codes live about ten minutes; so does our half of the exchange. */
const PENDING_TTL_MS = 10 * 60_000;

export const OAUTH_CALLBACK_PATH = '/api/v1/oauth/callback';

/**
 * The brief's "Create and Get OAuth Token" for delegated connections: the admin's browser
 * goes to Entra with PKCE and a single-use state; the callback redeems the code, stores
 * the refresh token encrypted, and records the consent (with who signed in). Later
 * tokens are refreshed silently from the stored token. Pending sign-ins are held in this
 * instance's memory: behind a load balancer, pin the callback to the instance that
 * started it.
 */
@Injectable()
export class DelegatedSignIn {
  private readonly pending = new Map<string, PendingSignIn>();

  constructor(
    private readonly commands: CommandExecutor,
    private readonly connectors: ProfileConnectors,
    @Inject(CREDENTIALS) private readonly credentials: CredentialStore,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  get redirectUri(): string {
    return `${this.config.publicUrl}${OAUTH_CALLBACK_PATH}`;
  }

  async start(
    profileId: string,
    connection: ConnectionName,
    context: CommandContext,
    options: { returnToConsole?: boolean } = {},
  ): Promise<string> {
    const profile = await this.load(profileId);
    const target = await this.target(profile, connection);
    this.sweep();
    const state = randomBytes(32).toString('base64url');
    const { verifier, challenge } = await createPkcePair();
    this.pending.set(state, {
      profileId,
      connection,
      codeVerifier: verifier,
      scopes: target.scopes,
      context,
      expiresAt: Date.now() + PENDING_TTL_MS,
      returnToConsole: options.returnToConsole ?? false,
    });
    return this.connectors.connectors.authorizationUrl({
      ...target.app,
      redirectUri: this.redirectUri,
      scopes: target.scopes,
      state,
      codeChallenge: challenge,
      prompt: 'select_account',
    });
  }

  /** Whether the sign-in this state names was started from the console (false when unknown). */
  returnsToConsole(state: string | undefined): boolean {
    return state !== undefined && this.pending.get(state)?.returnToConsole === true;
  }

  /** Where the console shows a finished sign-in: its profile page, with the outcome in the fragment. */
  consoleUrl(outcome: { profileId: string; connection: ConnectionName } | { error: string }): string {
    const params = new URLSearchParams(
      'error' in outcome
        ? { signInError: outcome.error }
        : { profile: outcome.profileId, signedIn: outcome.connection },
    );
    return `${this.config.publicUrl}/#/profiles?${params.toString()}`;
  }

  async complete(query: { code?: string; state?: string; error?: string; error_description?: string }) {
    const pending = query.state ? this.pending.get(query.state) : undefined;
    if (query.state) this.pending.delete(query.state);
    if (!pending || pending.expiresAt < Date.now()) {
      throw invalid(
        'invalid-oauth-state',
        'this sign-in is unknown or expired; start it again from the authorize endpoint',
      );
    }
    if (query.error) {
      throw conflict(
        'sign-in-refused',
        `Entra refused the sign-in: ${query.error}${query.error_description ? `: ${query.error_description.split('\n')[0]}` : ''}`,
      );
    }
    if (!query.code) throw invalid('missing-code', 'the callback carries no authorization code');
    const profile = await this.load(pending.profileId);
    const target = await this.target(profile, pending.connection);
    const { refreshToken, account } = await this.connectors.connectors.redeemCode({
      ...target.app,
      code: query.code,
      codeVerifier: pending.codeVerifier,
      redirectUri: this.redirectUri,
      scopes: pending.scopes,
    });
    const consentRef = await this.credentials.put('refresh-token', refreshToken);
    try {
      await this.commands.execute(
        streamIds.profile(pending.profileId),
        profileDecider,
        {
          type: 'GrantDelegatedConsent',
          data: { connection: pending.connection, consentRef, grantedTo: account, at: this.clock.now().toISOString() },
        },
        pending.context,
      );
    } catch (error) {
      await this.credentials.delete(consentRef).catch(() => undefined);
      throw error;
    }
    const previous =
      pending.connection === 'subscription'
        ? profile.subscriptionConnection.consentRef
        : profile.activityConnection?.consentRef;
    // The new consent landed: failing to destroy the old token must not fail the sign-in.
    if (previous) await this.credentials.delete(previous).catch(() => undefined);
    return { connected: true, profileId: pending.profileId, connection: pending.connection, signedInAs: account };
  }

  private async load(profileId: string): Promise<ExistingProfile> {
    const { state } = await this.commands.load(streamIds.profile(profileId), profileDecider);
    if (state.status === 'none') throw notFound('profile', profileId);
    return state;
  }

  private async target(profile: ExistingProfile, connection: ConnectionName) {
    const endpoints = endpointsFor(profile.cloud, profile.endpoints);
    const c = connection === 'subscription' ? profile.subscriptionConnection : profile.activityConnection;
    if (!c) throw conflict('no-activity-connection', 'the profile has no activity connection');
    if (c.permissionType !== 'delegated')
      throw conflict(
        'not-delegated',
        `the ${connection} connection uses application permissions; no sign-in is needed`,
      );
    if (!c.credentialRef)
      throw conflict(
        'no-client-secret',
        `the ${connection} connection has no client secret; PATCH the profile with one`,
      );
    // Read once from the shared store: MSAL takes the secret synchronously.
    const secret = await this.credentials.get(c.credentialRef);
    const app = {
      authorityHost: endpoints.authorityHost,
      tenantId: profile.subscriptionConnection.tenantId,
      clientId: c.clientId,
      clientSecret: () => secret,
    };
    const scopes =
      connection === 'subscription'
        ? this.connectors.connectors.graphDelegatedScopes(endpoints.graphBaseUrl)
        : this.connectors.connectors.dataverseDelegatedScopes(profile.activityConnection!.environmentUrl);
    return { app, scopes };
  }

  private sweep(): void {
    const now = Date.now();
    for (const [state, p] of this.pending) if (p.expiresAt < now) this.pending.delete(state);
  }
}
