import { randomUUID } from 'node:crypto';
import { jsonReply, rawJsonReply, type Reply } from '../http/reply';

const CONTENT_TYPE = 'application/json; odata.metadata=minimal';

export function dataverseHeaders(extra: Record<string, string> = {}): Record<string, string> {
  const requestId = randomUUID();
  return {
    'odata-version': '4.0',
    req_id: requestId,
    'x-ms-service-request-id': requestId,
    'cache-control': 'no-cache',
    ...extra,
  };
}

export function dataverseJson(body: unknown, extra: Record<string, string> = {}): Reply {
  return jsonReply(200, body, dataverseHeaders(extra), CONTENT_TYPE);
}

export function dataverseRawJson(json: string, extra: Record<string, string> = {}): Reply {
  return rawJsonReply(200, json, dataverseHeaders(extra), CONTENT_TYPE);
}

/** The Web API error body (web-api-client-errors): `{"error":{"code":"0x...","message":"..."}}`. */
export function dataverseError(
  status: number,
  code: string,
  message: string,
  extra: Record<string, string> = {},
): Reply {
  return jsonReply(status, { error: { code, message } }, dataverseHeaders(extra), CONTENT_TYPE);
}

/** Service protection limit, number of requests (api-limits): 429, code 0x80072322, Retry-After. */
export function dataverseThrottled(retryAfterSeconds: number): Reply {
  return dataverseError(
    429,
    '0x80072322',
    'Number of requests exceeded the limit of 6000 over time window of 300 seconds.',
    {
      'retry-after': String(retryAfterSeconds),
    },
  );
}

export function dataverseUnavailable(retryAfterSeconds?: number): Reply {
  const extra: Record<string, string> =
    retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) };
  return dataverseError(503, '0x80040216', 'The service is temporarily unavailable. Please try again later.', extra);
}

/** A bad or expired bearer token; WWW-Authenticate names the authority, as Dataverse's challenge does. */
export function dataverseUnauthorized(message: string, authority: string, environmentUrl: string): Reply {
  return dataverseError(401, '0x80072243', message, {
    'www-authenticate': `Bearer authorization_uri=${authority}/oauth2/authorize, resource_id=${environmentUrl}/`,
  });
}

/** Query problems (unknown property, bad syntax) come back as 400 with this code. */
export function dataverseQueryError(message: string): Reply {
  return dataverseError(400, '0x80060888', message);
}
