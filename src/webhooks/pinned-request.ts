import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';
import type { CheckedTarget } from './webhook-targets';

export interface PinnedResponse {
  readonly status: number;
}

export interface PinnedRequestOptions {
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly timeoutMs: number;
  /** CA certificates to trust for https (Node's roots plus any private CA the service trusts). */
  readonly ca?: string | Buffer | (string | Buffer)[];
}

/** Answers a webhook sends back are read up to this much and dropped: only the status matters. */
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * POSTs to a checked webhook target over a fresh connection to the address that was checked,
 * whatever DNS says now: the Host header and the TLS server name (and so the certificate
 * check) stay the URL's host. Redirects are never followed (a 3xx is an answer like any other).
 */
export function postPinned(target: CheckedTarget, options: PinnedRequestOptions): Promise<PinnedResponse> {
  const { url, host, pinned } = target;
  const https = url.protocol === 'https:';
  const requestOptions: RequestOptions & { servername?: string; ca?: PinnedRequestOptions['ca'] } = {
    method: 'POST',
    host,
    port: url.port || (https ? 443 : 80),
    path: `${url.pathname}${url.search}`,
    headers: { ...options.headers, Host: url.host, 'Content-Length': String(Buffer.byteLength(options.body)) },
    agent: false,
    timeout: options.timeoutMs,
    lookup: pinnedLookup(pinned.address, pinned.family),
    ...(https ? { servername: isIP(host) ? '' : host, ...(options.ca ? { ca: options.ca } : {}) } : {}),
  };
  return new Promise((resolve, reject) => {
    const req = (https ? httpsRequest : httpRequest)(requestOptions, (res: IncomingMessage) => {
      let read = 0;
      res.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read > MAX_ANSWER_BYTES) res.destroy();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
      res.on('close', () => resolve({ status: res.statusCode ?? 0 }));
      res.on('error', () => resolve({ status: res.statusCode ?? 0 }));
    });
    const deadline = setTimeout(
      () => req.destroy(new Error(`no answer within ${options.timeoutMs} ms`)),
      options.timeoutMs,
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
    req.on('error', reject);
    req.on('close', () => clearTimeout(deadline));
    req.end(options.body);
  });
}

/** A lookup that answers every question with the one address already checked. */
function pinnedLookup(address: string, family: 4 | 6): LookupFunction {
  return ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options?.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  }) as LookupFunction;
}
