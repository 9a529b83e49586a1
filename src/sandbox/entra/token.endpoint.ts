import { createHash, randomUUID } from 'node:crypto';
import type { SandboxContext } from '../context';
import { header, jsonReply, type Reply, type SandboxRequest } from '../http/reply';
import { parseScopes, type ScopeRequest } from '../tokens/scopes';
import type { DelegatedGrant } from '../tokens/token-service';
import { delegatedTokenResponse } from './delegated-tokens';
import { entraError, missingParameter, tenantNotFound, unknownClient } from './entra-errors';
import { isSandboxTenant } from './tenant-segment';

/** `POST /{tenant}/oauth2/v2.0/token`, with Entra's checks in Entra's order. */
export function tokenEndpoint(context: SandboxContext, request: SandboxRequest, tenantSegment: string): Reply {
  const form = new URLSearchParams(request.body.toString('utf8'));
  const correlationId =
    header(request, 'client-request-id') ?? request.url.searchParams.get('client-request-id') ?? randomUUID();
  if (!isSandboxTenant(context, tenantSegment)) return tenantNotFound(tenantSegment, correlationId);
  const grantType = form.get('grant_type');
  if (!grantType) return missingParameter('grant_type', correlationId);
  const { clientId, clientSecret } = clientCredentialsOf(form, header(request, 'authorization'));
  if (!clientId) return missingParameter('client_id', correlationId);
  const app = context.tenant.app;
  if (clientId.toLowerCase() !== app.clientId) return unknownClient(clientId, context.tenant.tenantId, correlationId);
  if (!clientSecret) {
    return entraError(
      401,
      'invalid_client',
      7000218,
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
      correlationId,
    );
  }
  if (clientSecret !== app.clientSecret) {
    return entraError(
      401,
      'invalid_client',
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.clientId}'.`,
      correlationId,
    );
  }
  switch (grantType) {
    case 'client_credentials':
      return clientCredentialsGrant(context, form, correlationId);
    case 'authorization_code':
      return authorizationCodeGrant(context, form, correlationId);
    case 'refresh_token':
      return refreshTokenGrant(context, form, correlationId);
    default:
      return entraError(
        400,
        'unsupported_grant_type',
        70003,
        `The app requested an unsupported grant type '${grantType}'.`,
        correlationId,
      );
  }
}

function clientCredentialsGrant(context: SandboxContext, form: URLSearchParams, correlationId: string): Reply {
  const scopes = parseScopes(form.get('scope') ?? undefined, context.resources, 'application');
  if (!scopes.ok) return scopeError(scopes, correlationId);
  const app = context.tenant.app;
  const { token, expiresIn } = context.tokens.issueAccessToken({
    resource: scopes.resource!,
    appId: app.clientId,
    tenantId: context.tenant.tenantId,
    application: { servicePrincipalId: app.servicePrincipalId, roles: scopes.permissions },
  });
  return tokenReply(
    { token_type: 'Bearer', expires_in: expiresIn, ext_expires_in: expiresIn, access_token: token },
    correlationId,
  );
}

function authorizationCodeGrant(context: SandboxContext, form: URLSearchParams, correlationId: string): Reply {
  const code = form.get('code');
  if (!code) return missingParameter('code', correlationId);
  const redeemed = context.tokens.redeemCode(code);
  if (!redeemed.ok) {
    const [number, message] = {
      unknown: [70000, "The provided value for the 'code' parameter is not valid."],
      expired: [
        70008,
        'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.',
      ],
      redeemed: [
        54005,
        'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.',
      ],
      revoked: [
        50173,
        'The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password.',
      ],
    }[redeemed.reason] as [number, string];
    return entraError(400, 'invalid_grant', number, message, correlationId);
  }
  const grant = redeemed.grant;
  if (grant.clientId !== context.tenant.app.clientId) {
    return entraError(
      400,
      'invalid_grant',
      70000,
      "The provided value for the 'code' parameter is not valid. The code was issued to another client.",
      correlationId,
    );
  }
  const redirectUri = form.get('redirect_uri');
  if (!redirectUri) return missingParameter('redirect_uri', correlationId);
  if (redirectUri !== grant.redirectUri) {
    return entraError(
      400,
      'invalid_grant',
      500112,
      `The reply address '${redirectUri}' does not match the reply address '${grant.redirectUri}' provided when requesting Authorization code.`,
      correlationId,
    );
  }
  if (grant.codeChallenge && !pkceMatches(grant.codeChallenge, grant.codeChallengeMethod, form.get('code_verifier'))) {
    return entraError(
      400,
      'invalid_grant',
      501481,
      'The Code_Verifier does not match the code_challenge supplied in the authorization request.',
      correlationId,
    );
  }
  return redeemGrant(context, grant, form, correlationId, grant.nonce);
}

function refreshTokenGrant(context: SandboxContext, form: URLSearchParams, correlationId: string): Reply {
  const refreshToken = form.get('refresh_token');
  if (!refreshToken) return missingParameter('refresh_token', correlationId);
  const checked = context.tokens.checkRefreshToken(refreshToken);
  if (!checked.ok) {
    const [number, message] = {
      unknown: [9002313, 'Invalid request. Request is malformed or invalid.'],
      expired: [
        700082,
        'The refresh token has expired due to inactivity. The token was issued on a date and was inactive for 90.00:00:00.',
      ],
      revoked: [
        50173,
        'The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password.',
      ],
    }[checked.reason] as [number, string];
    return entraError(400, 'invalid_grant', number, message, correlationId);
  }
  if (checked.grant.clientId !== context.tenant.app.clientId) {
    return entraError(
      400,
      'invalid_grant',
      70000,
      'The provided refresh token was issued to another client.',
      correlationId,
    );
  }
  return redeemGrant(context, checked.grant, form, correlationId);
}

/** Code and refresh redemption share the rest: scope checks, the user, then the token set. */
function redeemGrant(
  context: SandboxContext,
  grant: DelegatedGrant,
  form: URLSearchParams,
  correlationId: string,
  nonce?: string,
): Reply {
  const scopes = parseScopes(form.get('scope') ?? grant.scopes.join(' '), context.resources, 'delegated');
  if (!scopes.ok) return scopeError(scopes, correlationId);
  const user = context.tenant.directory.findUser(grant.userId);
  if (!user)
    return entraError(400, 'invalid_grant', 50034, 'The user account does not exist in the directory.', correlationId);
  if (!user.accountEnabled)
    return entraError(400, 'invalid_grant', 50057, 'The user account is disabled.', correlationId);
  const granted: DelegatedGrant = { ...grant, scopes: [...new Set([...grant.scopes, ...scopes.oidc])] };
  return tokenReply(
    delegatedTokenResponse(context, user, granted, scopes, { nonce, clientInfo: form.get('client_info') === '1' }),
    correlationId,
  );
}

function pkceMatches(challenge: string, method: string | undefined, verifier: string | null): boolean {
  if (!verifier) return false;
  const computed =
    (method ?? 'plain').toUpperCase() === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
  return computed === challenge;
}

function scopeError(scopes: Extract<ScopeRequest, { ok: false }>, correlationId: string): Reply {
  return entraError(400, 'invalid_scope', scopes.code, scopes.description, correlationId);
}

/** Credentials in the form, or in HTTP Basic (both are accepted by Entra). */
function clientCredentialsOf(
  form: URLSearchParams,
  authorization: string | undefined,
): { clientId?: string; clientSecret?: string } {
  const basic = /^Basic\s+(\S+)$/i.exec(authorization ?? '');
  if (basic) {
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0)
      return {
        clientId: decodeURIComponent(decoded.slice(0, colon)),
        clientSecret: decodeURIComponent(decoded.slice(colon + 1)),
      };
  }
  return { clientId: form.get('client_id') ?? undefined, clientSecret: form.get('client_secret') ?? undefined };
}

function tokenReply(body: Record<string, unknown>, correlationId: string): Reply {
  return jsonReply(200, body, {
    'cache-control': 'no-store, no-cache',
    pragma: 'no-cache',
    'x-ms-request-id': randomUUID(),
    'client-request-id': correlationId,
  });
}
