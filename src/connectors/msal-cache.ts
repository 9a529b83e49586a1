import type { AccountInfo, ConfidentialClientApplication } from '@azure/msal-node';

interface SerializedRefreshToken {
  readonly home_account_id?: string;
  readonly client_id?: string;
  readonly secret?: string;
}

/**
 * The refresh token MSAL stored for one account. MSAL never returns refresh tokens from its
 * APIs (AuthenticationResult has none); they are only visible in the serialized cache's
 * `RefreshToken` section, keyed by home account id (`uid.utid` from client_info, else the id
 * token's `sub`, else "" — msal-common `generateHomeAccountId`).
 */
export function refreshTokenInCache(
  client: ConfidentialClientApplication,
  clientId: string,
  homeAccountId: string,
): string | null {
  const cache = JSON.parse(client.getTokenCache().serialize()) as {
    RefreshToken?: Record<string, SerializedRefreshToken>;
  };
  for (const entry of Object.values(cache.RefreshToken ?? {})) {
    if (
      entry.home_account_id === homeAccountId &&
      entry.client_id?.toLowerCase() === clientId.toLowerCase() &&
      entry.secret
    )
      return entry.secret;
  }
  return null;
}

/**
 * Drops a signed-in user from MSAL's memory once their refresh token has been handed to the
 * credential store, which is the only place it should live.
 */
export async function forgetAccount(client: ConfidentialClientApplication, account: AccountInfo | null): Promise<void> {
  if (account) await client.getTokenCache().removeAccount(account);
}
