import { randomUUID } from 'node:crypto';
import { jsonReply, type Reply } from '../http/reply';

/**
 * Entra's token-endpoint error body (v2-oauth2-client-creds-grant-flow, "Error response"):
 * the AADSTS code leads the description, trace and correlation ids and a timestamp follow it.
 */
export function entraError(
  status: number,
  error: string,
  code: number,
  message: string,
  correlationId: string = randomUUID(),
): Reply {
  const traceId = randomUUID();
  const timestamp = new Date()
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, 'Z');
  return jsonReply(
    status,
    {
      error,
      error_description: `AADSTS${code}: ${message}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `https://login.microsoftonline.com/error?code=${code}`,
    },
    {
      'x-ms-request-id': traceId,
      'client-request-id': correlationId,
      'cache-control': 'no-store, no-cache',
      pragma: 'no-cache',
    },
  );
}

export function tenantNotFound(tenant: string, correlationId?: string, error = 'invalid_request'): Reply {
  return entraError(
    400,
    error,
    90002,
    `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
    correlationId,
  );
}

export function missingParameter(name: string, correlationId?: string): Reply {
  return entraError(
    400,
    'invalid_request',
    900144,
    `The request body must contain the following parameter: '${name}'.`,
    correlationId,
  );
}

export function unknownClient(clientId: string, tenantId: string, correlationId?: string): Reply {
  return entraError(
    400,
    'unauthorized_client',
    700016,
    `Application with identifier '${clientId}' was not found in the directory '${tenantId}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    correlationId,
  );
}

/** The redirect URI is not one the app registration lists (Entra shows this on its error page). */
export function redirectUriMismatch(redirectUri: string, clientId: string): Reply {
  return entraError(
    400,
    'invalid_request',
    50011,
    `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${clientId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this.`,
  );
}
