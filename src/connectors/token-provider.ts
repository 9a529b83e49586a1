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

/**
 * Access tokens for Graph and Dataverse. Application permissions use the client-credentials
 * grant with `${resource}/.default`, cached by MSAL until five minutes before expiry;
 * delegated permissions redeem the admin's stored refresh token.
 */
export class TokenProvider {
  private readonly delegated: DelegatedTokens;

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
    let result;
    try {
      result = await client.acquireTokenByClientCredential({
        scopes: [target.applicationScope ?? `${resource}/.default`],
        skipCache: forceRefresh,
      });
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
