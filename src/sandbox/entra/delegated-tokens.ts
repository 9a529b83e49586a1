import { createHash } from 'node:crypto';
import type { SandboxContext } from '../context';
import type { DirectoryUser } from '../tenant.model';
import { base64url } from '../tokens/jwt';
import type { ScopeRequest } from '../tokens/scopes';
import type { DelegatedGrant } from '../tokens/token-service';

type GrantedScopes = Extract<ScopeRequest, { ok: true }>;

/**
 * The token set for the code and refresh flows. MSAL node needs more than the access token here:
 * `client_info` (base64url `{uid, utid}`, sent back only when the request carried `client_info=1`)
 * builds the account's home id, and the id token's `oid`/`tid`/`preferred_username` fill the account;
 * without them `acquireTokenByCode` returns no account and nothing can be refreshed silently.
 */
export function delegatedTokenResponse(
  context: SandboxContext,
  user: DirectoryUser,
  grant: DelegatedGrant,
  scopes: GrantedScopes,
  options: { nonce?: string; clientInfo: boolean },
): Record<string, unknown> {
  const { tenant, tokens } = context;
  const resource = scopes.resource!;
  const { token, expiresIn } = tokens.issueAccessToken({
    resource,
    appId: tenant.app.clientId,
    tenantId: tenant.tenantId,
    delegated: {
      userId: user.id,
      userPrincipalName: user.userPrincipalName,
      name: user.displayName,
      scp: scopes.permissions,
    },
  });
  const granted =
    scopes.requested.length > 0
      ? scopes.requested
      : scopes.permissions.map((permission) => `${resource.uri}/${permission}`);
  const body: Record<string, unknown> = {
    token_type: 'Bearer',
    scope: granted.join(' '),
    expires_in: expiresIn,
    ext_expires_in: expiresIn,
    access_token: token,
  };
  // A refresh token only with offline_access, an id token only with openid (v2-oauth2-auth-code-flow).
  if (grant.scopes.includes('offline_access')) body['refresh_token'] = tokens.issueRefreshToken(grant);
  if (grant.scopes.includes('openid')) {
    body['id_token'] = tokens.issueIdToken({
      aud: tenant.app.clientId,
      name: user.displayName,
      oid: user.id,
      preferred_username: user.userPrincipalName,
      sub: pairwiseSubject(user.id, tenant.app.clientId),
      tid: tenant.tenantId,
      ...(tenant.app.appRoleAssignments.get(user.id)?.length
        ? { roles: tenant.app.appRoleAssignments.get(user.id) }
        : {}),
      // MSAL rejects an id token whose nonce was not asked for, and one missing a nonce that was.
      ...(options.nonce ? { nonce: options.nonce } : {}),
    });
  }
  if (options.clientInfo) body['client_info'] = base64url(JSON.stringify({ uid: user.id, utid: tenant.tenantId }));
  return body;
}

/** Entra's `sub` is pairwise: stable per user and app, different across apps. */
function pairwiseSubject(userId: string, clientId: string): string {
  return createHash('sha256').update(`${userId}|${clientId}`).digest('base64url').slice(0, 43);
}
