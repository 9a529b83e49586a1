import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import type { Role } from '../config/config';
import type { Actor } from '../eventstore/event-store.port';
import { CLOCK, type Clock } from '../shared/clock';

/** Who a console session speaks for: a person (signed in through Entra ID, or the sandbox's sample admin). */
export interface SessionIdentity {
  readonly role: Exclude<Role, 'consumer'>;
  readonly actor: Actor;
}

export interface OpenedSession {
  readonly token: string;
  readonly role: SessionIdentity['role'];
  readonly keyId: string;
  readonly expiresAt: string;
}

interface Held extends SessionIdentity {
  readonly expiresAtMs: number;
}

/** A working day: long enough not to interrupt, short enough that a forgotten tab does not stay signed in. */
export const SESSION_TTL_MS = 8 * 3600 * 1000;
/** A sign-in link is used at once, by the person it was printed for. */
export const SIGN_IN_LINK_TTL_MS = 10 * 60 * 1000;
/** Bounds the memory a flood of sign-ins can take; the oldest session goes first. */
const MAX_SESSIONS = 10_000;

/**
 * Short-lived bearer tokens for people, so that API keys stay for scripts. The browser
 * exchanges a one-time sign-in link (or an Entra ID authorization code) for a token it
 * keeps in sessionStorage and sends as `Authorization: Bearer`; the API key guard accepts
 * it with the role it was issued for. Only SHA-256 digests are held, in this process's
 * memory: a restart signs everyone out, which a short-lived session can afford.
 */
@Injectable()
export class ConsoleSessions {
  private readonly sessions = new Map<string, Held>();
  private readonly links = new Map<string, Held>();

  constructor(@Inject(CLOCK) private readonly clock: Clock) {}

  /** A one-time code for a sign-in link (`/#sign-in=<code>`: a fragment, so it never reaches a server log). */
  issueSignInLink(identity: SessionIdentity): string {
    this.sweep();
    const code = randomBytes(24).toString('base64url');
    this.links.set(digest(code), { ...identity, expiresAtMs: this.now() + SIGN_IN_LINK_TTL_MS });
    return code;
  }

  /** Spends the code (whatever the outcome) and opens a session; null when unknown, used or expired. */
  redeemSignInLink(code: string): OpenedSession | null {
    const key = digest(code);
    const link = this.links.get(key);
    this.links.delete(key);
    if (!link || link.expiresAtMs <= this.now()) return null;
    return this.open(link);
  }

  open(identity: SessionIdentity): OpenedSession {
    this.sweep();
    while (this.sessions.size >= MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value!);
    const token = `llsession_${randomBytes(32).toString('base64url')}`;
    const expiresAtMs = this.now() + SESSION_TTL_MS;
    this.sessions.set(digest(token), { ...identity, expiresAtMs });
    return {
      token,
      role: identity.role,
      keyId: identity.actor.id,
      expiresAt: new Date(expiresAtMs).toISOString(),
    };
  }

  /** The identity behind a presented bearer token, if it is a live session. */
  lookup(token: string): SessionIdentity | null {
    if (!token.startsWith('llsession_')) return null;
    const held = this.sessions.get(digest(token));
    if (!held) return null;
    if (held.expiresAtMs <= this.now()) {
      this.sessions.delete(digest(token));
      return null;
    }
    return { role: held.role, actor: { ...held.actor, role: held.role } };
  }

  close(token: string): void {
    this.sessions.delete(digest(token));
  }

  private sweep(): void {
    const now = this.now();
    for (const map of [this.sessions, this.links])
      for (const [key, held] of map) if (held.expiresAtMs <= now) map.delete(key);
  }

  private now(): number {
    return this.clock.now().getTime();
  }
}

const digest = (value: string): string => createHash('sha256').update(value).digest('hex');
