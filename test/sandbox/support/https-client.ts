import type { IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Sandbox } from '../../../src/sandbox';

export interface HttpResult {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
  json<T = Record<string, unknown>>(): T;
}

export interface RequestOptions {
  readonly headers?: Record<string, string>;
  readonly body?: string | object;
  readonly timeoutMs?: number;
}

/** A plain Node HTTPS call that trusts only the sandbox certificate. */
export function call(
  sandbox: Pick<Sandbox, 'caPem'>,
  method: string,
  url: string,
  options: RequestOptions = {},
): Promise<HttpResult> {
  const body =
    options.body === undefined
      ? undefined
      : typeof options.body === 'string'
        ? options.body
        : JSON.stringify(options.body);
  const headers: Record<string, string> = {
    ...(body !== undefined && typeof options.body === 'object' ? { 'content-type': 'application/json' } : {}),
    ...options.headers,
  };
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { method, headers, ca: sandbox.caPem, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: <T>() => JSON.parse(text) as T });
      });
    });
    req.on('error', reject);
    if (options.timeoutMs) req.setTimeout(options.timeoutMs, () => req.destroy(new Error('client timeout')));
    if (body !== undefined) req.write(body);
    req.end();
  });
}

export function form(values: Record<string, string>): RequestOptions {
  return {
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(values).toString(),
  };
}

/** A client-credentials token for the sandbox's Graph or Dataverse resource. */
export async function appToken(sandbox: Sandbox, resource: 'graph' | 'dynamics'): Promise<string> {
  const result = await call(
    sandbox,
    'POST',
    `${sandbox.authority}/oauth2/v2.0/token`,
    form({
      grant_type: 'client_credentials',
      client_id: sandbox.clientId,
      client_secret: sandbox.clientSecret,
      scope: `${sandbox.url}/${resource}/.default`,
    }),
  );
  if (result.status !== 200) throw new Error(`token request failed: ${result.status} ${result.text}`);
  return result.json<{ access_token: string }>().access_token;
}

export function bearer(token: string, extra: Record<string, string> = {}): RequestOptions {
  return { headers: { authorization: `Bearer ${token}`, ...extra } };
}
