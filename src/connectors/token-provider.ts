import { CryptoProvider } from '@azure/msal-node';
import type { Logger } from '../logging/logger';
import { trimTrailingSlash, type ConnectionTarget } from './connection-target';
import {
  DelegatedTokens,
  type AuthorizationUrlInput,
  type RedeemCodeInput,
  type RedeemedCode,
  type SignedInPerson,
} from './delegated-tokens';
import { fromMsalError } from './entra-errors';
import type { MsalApps } from './msal-apps';
import type { TokenSource } from './upstream-http';
import { UpstreamError } from './upstream-error';

export interface AccessTokenOptions {
  /** Bypass every cache (MSAL's `skipCache`, our delegated cache): after a 401. */
  readonly forceRefresh?: boolean;
}

export interface PkcePair {
  readonly verifier: string;
  readonly challenge: string;
}

/** PKCE S256 pair (RFC 7636) from MSAL's own generator. */
export async function createPkcePair(): Promise<PkcePair> {
  const { verifier, challenge } = await new CryptoProvider().generatePkceCodes();
  return { verifier, challenge };
}

/** MSAL's own margin: a cached token is renewed five minutes before it expires. */
const REFRESH_BEFORE_MS = 5 * 60_000;

/**
 * Access tokens for Graph and Dataverse. Application permissions use the client-credentials
 * grant with `${resource}/.default`, cached by MSAL until five minutes before expiry;
 * delegated permissions redeem the admin's stored refresh token.
 */
export class TokenProvider {
  private readonly delegated: DelegatedTokens;
  /**
   * Client-credentials tokens by MSAL client and scope, kept as long as MSAL would serve them
   * from its cache (until five minutes before expiry): a read of 100 pages asks once instead
   * of going through MSAL's cache look-up (authority, cache keys, logging) per page.
   */
  private readonly appTokens = new WeakMap<object, Map<string, { token: string; refreshAt: number }>>();

  constructor(
    private readonly apps: MsalApps,
    logger: Logger,
  ) {
    this.delegated = new DelegatedTokens(apps, logger);
  }

  async accessToken(target: ConnectionTarget, options: AccessTokenOptions = {}): Promise<string> {
    const forceRefresh = options.forceRefresh ?? false;
    if (target.permissionType === 'delegated') return this.delegated.accessToken(target, forceRefresh);
    const { client } = this.apps.get(target);
    const resource = trimTrailingSlash(target.resource);
    const scope = target.applicationScope ?? `${resource}/.default`;
    let tokens = this.appTokens.get(client);
    if (!tokens) this.appTokens.set(client, (tokens = new Map()));
    const kept = tokens.get(scope);
    if (kept && !forceRefresh && Date.now() < kept.refreshAt) return kept.token;
    let result;
    try {
      result = await client.acquireTokenByClientCredential({ scopes: [scope], skipCache: forceRefresh });
    } catch (error) {
      throw fromMsalError(error, target, 'client-credentials', resource);
    }
    if (!result?.accessToken) {
      throw new UpstreamError({
        service: 'entra',
        cause: 'invalid-response',
        message: 'Entra answered the client-credentials request without an access token',
      });
    }
    const expiresAt = result.expiresOn?.getTime();
    if (expiresAt !== undefined)
      tokens.set(scope, { token: result.accessToken, refreshAt: expiresAt - REFRESH_BEFORE_MS });
    else tokens.delete(scope);
    return result.accessToken;
  }

  /** What the HTTP layer calls per attempt. */
  tokenSource(target: ConnectionTarget): TokenSource {
    return (forceRefresh) => this.accessToken(target, { forceRefresh });
  }

  authorizationUrl(input: AuthorizationUrlInput): Promise<string> {
    return this.delegated.authorizationUrl(input);
  }

  redeemCode(input: RedeemCodeInput): Promise<RedeemedCode> {
    return this.delegated.redeemCode(input);
  }

  identify(input: RedeemCodeInput): Promise<SignedInPerson> {
    return this.delegated.identify(input);
  }

  /** Forgets every cached app and token (e.g. at shutdown, or in tests). */
  clear(): void {
    this.apps.clear();
    this.delegated.clear();
  }
}
