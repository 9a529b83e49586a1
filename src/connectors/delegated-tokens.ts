import { createHash } from 'node:crypto';
import type { Logger } from '../logging/logger';
import { trimTrailingSlash, type ConnectionTarget, type EntraApp } from './connection-target';
import { fromMsalError } from './entra-errors';
import { forgetAccount, refreshTokenInCache } from './msal-cache';
import type { MsalApps } from './msal-apps';
import { UpstreamError } from './upstream-error';

export interface AuthorizationUrlInput extends EntraApp {
  readonly redirectUri: string;
  readonly scopes: readonly string[];
  /** Opaque to Entra, echoed to the redirect; the caller checks it on the way back. */
  readonly state: string;
  /** PKCE S256 challenge of a verifier the caller keeps until the code comes back. */
  readonly codeChallenge: string;
  readonly prompt?: 'login' | 'select_account' | 'consent' | 'none';
  readonly loginHint?: string;
  /** Default `query` (a server callback); `fragment` keeps the code out of every server log on the way back. */
  readonly responseMode?: 'query' | 'fragment';
}

export interface RedeemCodeInput extends EntraApp {
  readonly code: string;
  readonly codeVerifier: string;
  readonly redirectUri: string;
  readonly scopes: readonly string[];
}

/** A person who signed in (OpenID Connect): the id token's claims that say who and with which app roles. */
export interface SignedInPerson {
  /** `oid`: the user's object id, stable across apps and renames. */
  readonly objectId: string;
  readonly tenantId: string;
  readonly username: string | null;
  /** The app roles assigned to the person (or their groups) in the app's enterprise application. */
  readonly roles: readonly string[];
}

export interface RedeemedCode {
  readonly refreshToken: string;
  /** The signed-in admin's username (UPN) when Entra sent an id token, for the audit trail. */
  readonly account: string | null;
}

interface CachedToken {
  readonly token: string;
  readonly expiresAtMs: number;
  readonly renewAtMs: number;
}

/** MSAL renews five minutes before expiry (msal-common DEFAULT_TOKEN_RENEWAL_OFFSET_SEC). */
const RENEWAL_OFFSET_MS = 300_000;

/**
 * The delegated (authorization-code) side of Entra. The refresh token lives in the credential
 * store, not in MSAL: each call redeems the stored token for an access token, which is cached
 * here by (app, scopes, refresh token), and a rotated refresh token goes back through
 * `saveRefreshToken`.
 */
export class DelegatedTokens {
  private readonly cache = new Map<string, CachedToken>();
  private readonly inFlight = new Map<string, Promise<string>>();
  /** MSAL's cache is shared per app; reading "the" refresh token back must not interleave. */
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(
    private readonly apps: MsalApps,
    private readonly logger: Logger,
  ) {}

  async authorizationUrl(input: AuthorizationUrlInput): Promise<string> {
    const { client } = this.apps.get(input);
    try {
      return await client.getAuthCodeUrl({
        redirectUri: input.redirectUri,
        scopes: [...input.scopes],
        state: input.state,
        codeChallenge: input.codeChallenge,
        codeChallengeMethod: 'S256',
        responseMode: input.responseMode ?? 'query',
        ...(input.prompt ? { prompt: input.prompt } : {}),
        ...(input.loginHint ? { loginHint: input.loginHint } : {}),
      });
    } catch (error) {
      throw fromMsalError(error, input, 'authorization-code', null);
    }
  }

  async redeemCode(input: RedeemCodeInput): Promise<RedeemedCode> {
    const { key, client } = this.apps.get(input);
    return this.locked(key, async () => {
      let result;
      try {
        result = await client.acquireTokenByCode({
          code: input.code,
          codeVerifier: input.codeVerifier,
          redirectUri: input.redirectUri,
          scopes: [...input.scopes],
        });
      } catch (error) {
        throw fromMsalError(error, input, 'authorization-code', null);
      }
      const refreshToken = refreshTokenInCache(client, input.clientId, result.account?.homeAccountId ?? '');
      await forgetAccount(client, result.account);
      if (!refreshToken) {
        throw new UpstreamError({
          service: 'entra',
          cause: 'configuration',
          message:
            'Entra issued no refresh token for the sign-in: the scopes must include offline_access, and the tenant must allow it',
        });
      }
      return { refreshToken, account: result.account?.username || null };
    });
  }

  /** Redeems a sign-in code for the person's identity only: no token is kept, the account is forgotten. */
  async identify(input: RedeemCodeInput): Promise<SignedInPerson> {
    const { key, client } = this.apps.get(input);
    return this.locked(key, async () => {
      let result;
      try {
        result = await client.acquireTokenByCode({
          code: input.code,
          codeVerifier: input.codeVerifier,
          redirectUri: input.redirectUri,
          scopes: [...input.scopes],
        });
      } catch (error) {
        throw fromMsalError(error, input, 'authorization-code', null);
      }
      await forgetAccount(client, result.account);
      const claims = (result.idTokenClaims ?? {}) as { oid?: unknown; tid?: unknown; roles?: unknown };
      if (typeof claims.oid !== 'string' || typeof claims.tid !== 'string') {
        throw new UpstreamError({
          service: 'entra',
          cause: 'invalid-response',
          message:
            'Entra answered the sign-in without an id token naming the user (oid, tid): include the openid scope',
        });
      }
      return {
        objectId: claims.oid,
        tenantId: claims.tid,
        username: result.account?.username || null,
        roles: Array.isArray(claims.roles) ? claims.roles.filter((r): r is string => typeof r === 'string') : [],
      };
    });
  }

  async accessToken(target: ConnectionTarget, forceRefresh: boolean): Promise<string> {
    const stored = (await target.refreshToken?.()) ?? null;
    if (!stored) {
      throw new UpstreamError({
        service: 'entra',
        cause: 'authentication',
        message: `no administrator has signed in for the delegated connection to ${target.resource}: sign in through the profile's authorization link`,
      });
    }
    const scopes = this.scopesFor(target);
    const { key: appKey } = this.apps.get(target);
    const key = cacheKey(appKey, scopes, stored);
    const cached = this.cache.get(key);
    if (!forceRefresh && cached && cached.renewAtMs > Date.now()) return cached.token;
    const running = this.inFlight.get(key);
    if (running) return running;
    const refresh = this.refresh(target, stored, scopes).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, refresh);
    return refresh;
  }

  private async refresh(target: ConnectionTarget, stored: string, scopes: string[]): Promise<string> {
    const { key: appKey, client } = this.apps.get(target);
    return this.locked(appKey, async () => {
      let result;
      try {
        // forceCache: without it MSAL stores nothing from a refresh-token response whose account
        // is not already cached (ResponseHandler.handleServerTokenResponse), and the rotated
        // refresh token could not be read back.
        result = await client.acquireTokenByRefreshToken({ refreshToken: stored, scopes, forceCache: true });
      } catch (error) {
        throw fromMsalError(error, target, 'refresh-token', target.resource);
      }
      if (!result?.accessToken) {
        throw new UpstreamError({
          service: 'entra',
          cause: 'invalid-response',
          message: 'Entra answered the refresh-token request without an access token',
        });
      }
      const rotated = refreshTokenInCache(client, target.clientId, result.account?.homeAccountId ?? '');
      await forgetAccount(client, result.account);
      let current = stored;
      if (rotated && rotated !== stored) {
        try {
          await target.saveRefreshToken?.(rotated);
          current = rotated;
        } catch (error) {
          // The old token stays usable for now (Entra does not revoke it on rotation); say so and carry on.
          this.logger.warn('could not store the rotated refresh token; the previous one stays in use', {
            resource: target.resource,
            error,
          });
        }
      }
      this.remember(cacheKey(appKey, scopes, current), result.accessToken, result.expiresOn);
      return result.accessToken;
    });
  }

  private remember(key: string, token: string, expiresOn: Date | null): void {
    const now = Date.now();
    const expiresAtMs = expiresOn?.getTime() ?? now + RENEWAL_OFFSET_MS;
    const renewAtMs = expiresAtMs - Math.min(RENEWAL_OFFSET_MS, (expiresAtMs - now) / 2);
    for (const [k, v] of this.cache) if (v.expiresAtMs <= now) this.cache.delete(k);
    this.cache.set(key, { token, expiresAtMs, renewAtMs });
  }

  private scopesFor(target: ConnectionTarget): string[] {
    return target.delegatedScopes && target.delegatedScopes.length > 0
      ? [...target.delegatedScopes]
      : [`${trimTrailingSlash(target.resource)}/.default`];
  }

  private async locked<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(key) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(work);
    const tail = next.catch(() => undefined);
    this.locks.set(key, tail);
    try {
      return await next;
    } finally {
      if (this.locks.get(key) === tail) this.locks.delete(key);
    }
  }

  clear(): void {
    this.cache.clear();
  }
}

/** The refresh token enters the key only as a hash: a new sign-in must not reuse another user's access token. */
function cacheKey(appKey: string, scopes: readonly string[], refreshToken: string): string {
  return `${appKey}|${scopes.join(' ')}|${createHash('sha256').update(refreshToken).digest('base64url')}`;
}
