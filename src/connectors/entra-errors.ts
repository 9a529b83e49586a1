import { AuthError } from '@azure/msal-node';
import type { EntraApp } from './connection-target';
import { entraDescription, UpstreamAuthError } from './msal-network-client';
import { UpstreamError, type UpstreamCause } from './upstream-error';

export type TokenFlow = 'client-credentials' | 'authorization-code' | 'refresh-token';

/** Becomes "<what> (<code>): <fix>". */
interface Explanation {
  readonly cause: UpstreamCause;
  readonly what: string;
  readonly fix: string;
}

const SIGN_IN_AGAIN = "an administrator must sign in again through the profile's authorization link";

/**
 * Fix-it messages by AADSTS number. Numbers and texts are from Entra's error-code reference
 * and captured responses (see docs/reference microsoft-apis.md §6); Microsoft warns the
 * numbers may change, so anything unknown falls back to the OAuth `error` class below.
 */
function byNumber(n: number, app: EntraApp, resource: string | null): Explanation | null {
  switch (n) {
    case 7000215:
    case 70002:
      return {
        cause: 'authentication',
        what: 'Entra rejected the client secret',
        fix: 'the secret is wrong or expired (or its ID was entered instead of its value) — create a new one under Certificates & secrets and PATCH the profile',
      };
    case 7000222:
      return {
        cause: 'authentication',
        what: 'the client secret has expired',
        fix: 'create a new one under Certificates & secrets and PATCH the profile',
      };
    case 700016:
    case 700011:
      return {
        cause: 'configuration',
        what: `Entra does not know application ${app.clientId} in tenant ${app.tenantId}`,
        fix: 'check the client id and tenant id, and that an administrator of that tenant has consented to the app',
      };
    case 90002:
    case 900023:
      return {
        cause: 'configuration',
        what: `Entra has no tenant '${app.tenantId}' at ${app.authorityHost}`,
        fix: "check the tenant id and the profile's cloud",
      };
    case 500011:
      return {
        cause: 'configuration',
        what: `the resource ${resource ?? ''} is not known in tenant ${app.tenantId}`,
        fix: 'check the environment URL (it must be a Dynamics 365 environment of this tenant)',
      };
    case 70011:
    case 28000:
    case 1002012:
      return {
        cause: 'configuration',
        what: `Entra refused the requested scope for ${resource ?? 'the resource'}`,
        fix: 'check the Graph or environment URL',
      };
    case 65001:
      return {
        cause: 'permission',
        what: `the app has no consent for ${resource ?? 'the resource'} in tenant ${app.tenantId}`,
        fix: 'an administrator must grant admin consent under API permissions',
      };
    case 50011:
    case 500113:
      return {
        cause: 'configuration',
        what: 'the redirect URI is not registered on the app',
        fix: "add this service's OAuth callback URL under Authentication > Redirect URIs (type Web)",
      };
    case 54005:
    case 70008:
      return {
        cause: 'authentication',
        what: 'the authorization code was already used or has expired',
        fix: SIGN_IN_AGAIN,
      };
    case 501481:
      return {
        cause: 'authentication',
        what: 'the PKCE code verifier does not match the authorization request',
        fix: SIGN_IN_AGAIN,
      };
    case 700082:
    case 70043:
    case 50173:
    case 50076:
    case 50079:
    case 70000:
      return { cause: 'authentication', what: 'the delegated sign-in expired or was revoked', fix: SIGN_IN_AGAIN };
    default:
      return null;
  }
}

function byErrorClass(error: string, flow: TokenFlow): Explanation {
  switch (error) {
    case 'invalid_client':
      return {
        cause: 'authentication',
        what: "Entra rejected the app's credentials",
        fix: 'check the client id and secret of the profile',
      };
    case 'unauthorized_client':
      return {
        cause: 'configuration',
        what: 'the app is not allowed to use this grant in this tenant',
        fix: "check the client id, tenant id and the app's consent",
      };
    case 'invalid_grant':
    case 'interaction_required':
    case 'login_required':
    case 'bad_token':
      return flow === 'client-credentials'
        ? {
            cause: 'authentication',
            what: "Entra refused the app's credentials",
            fix: 'check the client id and secret of the profile',
          }
        : { cause: 'authentication', what: 'the delegated sign-in is no longer valid', fix: SIGN_IN_AGAIN };
    case 'consent_required':
      return {
        cause: 'permission',
        what: 'consent is missing for the requested permissions',
        fix: 'an administrator must grant admin consent under API permissions',
      };
    case 'invalid_scope':
    case 'invalid_resource':
      return {
        cause: 'configuration',
        what: 'Entra refused the requested resource or scope',
        fix: 'check the Graph or environment URL',
      };
    case 'temporarily_unavailable':
      return { cause: 'unavailable', what: 'Entra is temporarily unavailable', fix: 'try again later' };
    default:
      return {
        cause: 'authentication',
        what: 'Entra refused the token request',
        fix: 'check the client id, secret and tenant id of the profile',
      };
  }
}

/** MSAL's client-side failures, by its error codes (msal-common ClientAuthErrorCodes / ClientConfigurationErrorCodes). */
function byMsalCode(code: string, app: EntraApp): Explanation | null {
  switch (code) {
    case 'authority_uri_insecure':
      return {
        cause: 'configuration',
        what: `the authority ${app.authorityHost} is not https`,
        fix: 'MSAL only talks to https authorities; correct the cloud of the profile',
      };
    case 'url_parse_error':
    case 'empty_url_error':
    case 'invalid_authority_type':
    case 'untrusted_authority':
    case 'missing_tenant_id_error':
    case 'endpoints_resolution_error':
      return {
        cause: 'configuration',
        what: `MSAL cannot use the authority ${app.authorityHost}/${app.tenantId}`,
        fix: 'check the cloud and tenant id of the profile',
      };
    case 'network_error':
      return {
        cause: 'network',
        what: `the token request to ${app.authorityHost} failed on the network`,
        fix: 'check connectivity to the authority host',
      };
    case 'token_parsing_error':
    case 'token_claims_cnf_required_for_signedjwt':
    case 'nonce_mismatch':
    case 'state_mismatch':
      return {
        cause: 'invalid-response',
        what: "Entra's token response could not be used",
        fix: 'try again; if it persists, check the authority host',
      };
    default:
      return null;
  }
}

/** Maps whatever MSAL threw to an UpstreamError; anything that is not MSAL's or ours is rethrown. */
export function fromMsalError(error: unknown, app: EntraApp, flow: TokenFlow, resource: string | null): UpstreamError {
  if (error instanceof UpstreamError) return error;
  if (error instanceof UpstreamAuthError) return error.upstream;
  if (!(error instanceof AuthError)) throw error;
  const carried = (error as { upstream?: unknown }).upstream;
  if (carried instanceof UpstreamError) return carried;

  const text = `${error.errorMessage ?? ''} ${error.message ?? ''}`;
  const number = aadstsNumber(error, text);
  const rawStatus = (error as { status?: unknown }).status;
  const status = typeof rawStatus === 'number' ? rawStatus : null;
  const known = (number !== null ? byNumber(number, app, resource) : null) ?? byMsalCode(error.errorCode, app);
  const mapped = known ?? byErrorClass(error.errorCode, flow);
  const microsoftCode = number !== null ? `AADSTS${number}` : error.errorCode || null;
  const description = entraDescription(error.errorMessage || error.message || '');
  const message = `${mapped.what}${microsoftCode ? ` (${microsoftCode})` : ''}: ${mapped.fix}`;
  return new UpstreamError({
    service: 'entra',
    cause: mapped.cause,
    message: description ? `${message}. Entra said: ${description}` : message,
    microsoftCode,
    status,
  });
}

function aadstsNumber(error: AuthError, text: string): number | null {
  const errorNo = (error as { errorNo?: unknown }).errorNo;
  if (typeof errorNo === 'number' || (typeof errorNo === 'string' && /^\d+$/.test(errorNo))) return Number(errorNo);
  const match = /AADSTS(\d+)/.exec(text);
  return match ? Number(match[1]) : null;
}
