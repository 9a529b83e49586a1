import { request as httpsRequest } from 'node:https';
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';

/**
 * An MSAL `system.networkClient` that trusts the sandbox certificate without `NODE_EXTRA_CA_CERTS`
 * (MSAL node 7's default client is global fetch, which takes no per-call CA). MSAL wants the body
 * already parsed and header names in lower case.
 */
export function sandboxNetworkClient(caPem: string): INetworkModule {
  const send = <T>(
    method: 'GET' | 'POST',
    url: string,
    options?: NetworkRequestOptions,
    timeout?: number,
  ): Promise<NetworkResponse<T>> =>
    new Promise((resolve, reject) => {
      const req = httpsRequest(url, { method, headers: options?.headers, ca: caPem }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown;
          try {
            body = text ? JSON.parse(text) : {};
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
            return;
          }
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(res.headers)) {
            if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
          }
          resolve({ headers, body: body as T, status: res.statusCode ?? 0 });
        });
      });
      req.on('error', reject);
      if (timeout)
        req.setTimeout(timeout, () => req.destroy(new Error(`Request to ${url} timed out after ${timeout} ms`)));
      if (options?.body) req.write(options.body);
      req.end();
    });
  return {
    sendGetRequestAsync: <T>(url: string, options?: NetworkRequestOptions, timeout?: number) =>
      send<T>('GET', url, options, timeout),
    sendPostRequestAsync: <T>(url: string, options?: NetworkRequestOptions) => send<T>('POST', url, options),
  };
}
