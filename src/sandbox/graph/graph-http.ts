import { randomUUID } from 'node:crypto';
import { header, jsonReply, rawJsonReply, type Reply, type SandboxRequest } from '../http/reply';
import type { TokenRejection } from '../tokens/token-service';

/** Graph's JSON media type, as it answers with it. */
export const GRAPH_CONTENT_TYPE =
  'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

/** Headers every Graph answer carries; `client-request-id` echoes the caller's when given. */
export function graphHeaders(request: SandboxRequest, requestId: string = randomUUID()): Record<string, string> {
  return {
    'request-id': requestId,
    'client-request-id': header(request, 'client-request-id') ?? requestId,
    'x-ms-ags-diagnostic':
      '{"ServerInfo":{"DataCenter":"Sandbox","Slice":"E","Ring":"1","ScaleUnit":"000","RoleInstance":"sandbox","ADSiteName":"LOCAL"}}',
    'cache-control': 'no-cache',
    'strict-transport-security': 'max-age=31536000',
  };
}

export function graphJson(request: SandboxRequest, body: unknown, status = 200): Reply {
  return jsonReply(status, body, graphHeaders(request), GRAPH_CONTENT_TYPE);
}

export function graphRawJson(request: SandboxRequest, json: string, status = 200): Reply {
  return rawJsonReply(status, json, graphHeaders(request), GRAPH_CONTENT_TYPE);
}

/** Graph's error resource (graph/errors): `code` to branch on, `innerError` with the request ids. */
export function graphError(
  request: SandboxRequest,
  status: number,
  code: string,
  message: string,
  extraHeaders: Record<string, string> = {},
): Reply {
  const headers = graphHeaders(request);
  const innerError = {
    date: new Date().toISOString().slice(0, 19),
    'request-id': headers['request-id'],
    'client-request-id': headers['client-request-id'],
  };
  return jsonReply(
    status,
    { error: { code, message, innerError } },
    { ...headers, ...extraHeaders },
    GRAPH_CONTENT_TYPE,
  );
}

/** The documented 429 sample: code TooManyRequests, innerError code "429", and Retry-After in seconds. */
export function graphThrottled(request: SandboxRequest, retryAfterSeconds: number): Reply {
  const headers = graphHeaders(request);
  const innerError = {
    code: '429',
    date: new Date().toISOString().slice(0, 19),
    message: 'Please retry after',
    'request-id': headers['request-id'],
    status: '429',
  };
  return jsonReply(
    429,
    { error: { code: 'TooManyRequests', innerError, message: 'Please retry again later.' } },
    { ...headers, 'retry-after': String(retryAfterSeconds) },
    GRAPH_CONTENT_TYPE,
  );
}

export function graphUnavailable(request: SandboxRequest, retryAfterSeconds?: number): Reply {
  const extra: Record<string, string> =
    retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) };
  return graphError(
    request,
    503,
    'serviceNotAvailable',
    'The service is temporarily unavailable. Please retry later.',
    extra,
  );
}

const REJECTION_MESSAGES: Readonly<Record<TokenRejection, string>> = {
  missing: 'Access token is empty.',
  malformed: 'CompactToken parsing failed with error code: 80049217',
  signature: 'Access token validation failure. Invalid signature.',
  expired: 'Lifetime validation failed, the token is expired.',
  audience: 'Access token validation failure. Invalid audience.',
  revoked:
    'Continuous access evaluation resulted in challenge with result: InteractionRequired and code: TokenIssuedBeforeRevocationTimestamp',
};

export function graphUnauthorized(request: SandboxRequest, reason: TokenRejection, authority: string): Reply {
  return graphError(request, 401, 'InvalidAuthenticationToken', REJECTION_MESSAGES[reason], {
    'www-authenticate': `Bearer realm="", authorization_uri="${authority}/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`,
  });
}
