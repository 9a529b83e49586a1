import { randomUUID } from 'node:crypto';
import type { SandboxContext } from '../context';
import type { Reply, SandboxRequest } from '../http/reply';
import { base64url } from '../tokens/jwt';
import { parseScopes } from '../tokens/scopes';
import { missingParameter, redirectUriMismatch, tenantNotFound, unknownClient } from './entra-errors';
import { isSandboxTenant } from './tenant-segment';

/**
 * `GET /{tenant}/oauth2/v2.0/authorize` without a sign-in page: the tenant's built-in admin is deemed
 * signed in and consenting, so a valid request is answered at once with the redirect carrying the code.
 * Until client and redirect URI are known good the error is shown here (Entra shows an error page);
 * after that, errors go back to the redirect URI as OAuth 2.0 (RFC 6749 §4.1.2.1) prescribes.
 */
export function authorizeEndpoint(context: SandboxContext, request: SandboxRequest, tenantSegment: string): Reply {
  const query = request.url.searchParams;
  if (!isSandboxTenant(context, tenantSegment)) return tenantNotFound(tenantSegment);
  const clientId = query.get('client_id');
  if (!clientId) return missingParameter('client_id');
  if (clientId.toLowerCase() !== context.tenant.app.clientId) return unknownClient(clientId, context.tenant.tenantId);
  const redirectUri = query.get('redirect_uri');
  if (!redirectUri) return missingParameter('redirect_uri');
  if (!/^https?:\/\/[^/]/i.test(redirectUri)) return missingParameter('redirect_uri');
  if (!isRegistered(context.tenant.app.redirectUris, redirectUri)) return redirectUriMismatch(redirectUri, clientId);

  const mode = query.get('response_mode') ?? 'query';
  const state = query.get('state') ?? undefined;
  const fail = (error: string, code: number, message: string): Reply =>
    respond(redirectUri, mode, { error, error_description: `AADSTS${code}: ${message}`, ...(state ? { state } : {}) });

  if (query.get('response_type') !== 'code') {
    return fail(
      'unsupported_response_type',
      700054,
      `response_type '${query.get('response_type') ?? ''}' is not enabled for the application.`,
    );
  }
  if (!['query', 'fragment', 'form_post'].includes(mode))
    return fail('invalid_request', 90010, `The response_mode '${mode}' is not supported.`);
  const scope = query.get('scope');
  if (!scope) return fail('invalid_request', 900144, "The request body must contain the following parameter: 'scope'.");
  const scopes = parseScopes(scope, context.resources, 'delegated');
  if (!scopes.ok) return fail('invalid_scope', scopes.code, scopes.description);
  const challenge = query.get('code_challenge') ?? undefined;
  const method = query.get('code_challenge_method') ?? (challenge ? 'plain' : undefined);
  if (method && !['S256', 'plain'].includes(method))
    return fail('invalid_request', 501491, `Invalid code_challenge_method '${method}'.`);

  const admin = context.tenant.identity.adminUserId;
  const code = context.tokens.issueCode({
    clientId: context.tenant.app.clientId,
    userId: admin,
    scopes: scope.split(/\s+/).filter(Boolean),
    redirectUri,
    codeChallenge: challenge,
    codeChallengeMethod: method,
    nonce: query.get('nonce') ?? undefined,
  });
  const params: Record<string, string> = { code };
  // Entra echoes client_info in the redirect when asked (MSAL's getAuthCodeUrl always asks).
  if (query.get('client_info') === '1')
    params['client_info'] = base64url(JSON.stringify({ uid: admin, utid: context.tenant.tenantId }));
  if (state) params['state'] = state;
  params['session_state'] = randomUUID();
  return respond(redirectUri, mode, params);
}

function respond(redirectUri: string, mode: string, params: Record<string, string>): Reply {
  const encoded = new URLSearchParams(params).toString();
  if (mode === 'form_post') {
    const inputs = Object.entries(params)
      .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}" />`)
      .join('');
    return {
      status: 200,
      headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store, no-cache' },
      body: `<html><head><title>Working...</title></head><body><form method="POST" name="hiddenform" action="${escapeHtml(redirectUri)}">${inputs}<noscript><p>Script is disabled. Click Submit to continue.</p><input type="submit" value="Submit" /></noscript></form><script language="javascript">document.forms[0].submit();</script></body></html>`,
    };
  }
  const location =
    mode === 'fragment'
      ? `${redirectUri.split('#')[0]}#${encoded}`
      : `${redirectUri}${redirectUri.includes('?') ? '&' : '?'}${encoded}`;
  return { status: 302, headers: { location, 'cache-control': 'no-store, no-cache' }, body: '' };
}

function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Entra compares redirect URIs exactly (paths are case-sensitive), except that for `http` loopback
 * addresses (localhost, 127.0.0.1) the port is ignored (Learn, "Redirect URI restrictions").
 * No list registered means the sandbox's lenient default: any redirect URI.
 */
function isRegistered(registered: readonly string[] | null, requested: string): boolean {
  if (registered === null) return true;
  if (registered.includes(requested)) return true;
  const loopback = (uri: string): string | null => {
    try {
      const url = new URL(uri);
      if (url.protocol !== 'http:' || !['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)) return null;
      return `${url.hostname}${url.pathname}${url.search}`;
    } catch {
      return null;
    }
  };
  const wanted = loopback(requested);
  return wanted !== null && registered.some((uri) => loopback(uri) === wanted);
}
