import type { IncomingHttpHeaders } from 'node:http';

/** A finished answer; handlers build these so faults can rewrite them (e.g. truncate the body). */
export interface Reply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface SandboxRequest {
  readonly method: string;
  readonly url: URL;
  /** URL path with the query removed and percent-decoding left to each route. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export function header(request: SandboxRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}

export function jsonReply(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
  contentType = 'application/json; charset=utf-8',
): Reply {
  return { status, headers: { 'content-type': contentType, ...headers }, body: JSON.stringify(body) };
}

export function rawJsonReply(
  status: number,
  json: string,
  headers: Record<string, string> = {},
  contentType = 'application/json; charset=utf-8',
): Reply {
  return { status, headers: { 'content-type': contentType, ...headers }, body: json };
}

export function withHeaders(reply: Reply, headers: Record<string, string>): Reply {
  return { ...reply, headers: { ...reply.headers, ...headers } };
}

/** JSON bodies only; an unparsable body is reported, not thrown. */
export function parseJsonBody(request: SandboxRequest): { ok: true; value: unknown } | { ok: false } {
  if (request.body.length === 0) return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(request.body.toString('utf8')) as unknown };
  } catch {
    return { ok: false };
  }
}

/** Query parameters by case-sensitive name; OData's `$`-options are matched case-insensitively by callers. */
export function queryParam(request: SandboxRequest, name: string): string | undefined {
  for (const [key, value] of request.url.searchParams) if (key.toLowerCase() === name.toLowerCase()) return value;
  return undefined;
}
