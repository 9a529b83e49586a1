import axios, { AxiosError, type AxiosInstance } from 'axios';
import type { Agent } from 'node:https';
import { UpstreamError, type UpstreamService, SERVICE_NAME } from './upstream-error';

export interface RawRequest {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly timeoutMs: number;
}

export interface RawResponse {
  readonly status: number;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly text: string;
}

/** A request that never produced a response, classified: worth retrying or not. */
export interface TransportFailure {
  readonly retryable: boolean;
  /** False when the connection was never made, so the service certainly did not act on the request. */
  readonly mayHaveArrived: boolean;
  readonly error: UpstreamError;
}

/**
 * Plain bytes over the trusted agent: every status comes back as a response, bodies as text
 * (so a truncated JSON page is our parse error to retry, not axios' silent string), no
 * redirects (a redirect must never carry the bearer token to another host).
 */
export class HttpTransport {
  private readonly client: AxiosInstance;

  constructor(agent: Agent) {
    this.client = axios.create({
      httpsAgent: agent,
      maxRedirects: 0,
      responseType: 'text',
      transformResponse: [(data: unknown) => data],
      validateStatus: () => true,
      // Axios would otherwise read HTTPS_PROXY and tunnel around the trusted agent.
      proxy: false,
    });
  }

  async send(request: RawRequest, service: UpstreamService): Promise<RawResponse | TransportFailure> {
    // Axios' own `timeout` is an idle-socket timer; the abort bounds the whole exchange, body included.
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), request.timeoutMs);
    try {
      const response = await this.client.request<string>({
        method: request.method,
        url: request.url,
        headers: { ...request.headers },
        data: request.body,
        timeout: request.timeoutMs,
        signal: controller.signal,
      });
      return {
        status: response.status,
        headers: lowerCaseHeaders(response.headers),
        text: typeof response.data === 'string' ? response.data : '',
      };
    } catch (error) {
      if (!(error instanceof AxiosError) && !isNodeError(error)) throw error;
      return classifyTransportError(error, service, request, controller.signal.aborted);
    } finally {
      clearTimeout(timer);
    }
  }
}

export function isTransportFailure(value: RawResponse | TransportFailure): value is TransportFailure {
  return 'error' in value;
}

/** Failures before a connection exists: safe to retry even a write. */
const CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN']);

const TLS_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_UNTRUSTED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

function classifyTransportError(
  error: Error & { code?: string },
  service: UpstreamService,
  request: RawRequest,
  aborted: boolean,
): TransportFailure {
  const name = SERVICE_NAME[service];
  const host = hostOf(request.url);
  const code = error.code ?? '';
  const mayHaveArrived = !CONNECT_CODES.has(code) && !TLS_CODES.has(code);
  if (aborted || code === 'ECONNABORTED' || code === 'ETIMEDOUT' || code === 'ERR_CANCELED') {
    return {
      retryable: true,
      mayHaveArrived,
      error: new UpstreamError({
        service,
        cause: 'network',
        message: `${name} did not answer within ${request.timeoutMs} ms (${host})`,
        microsoftCode: null,
      }),
    };
  }
  if (TLS_CODES.has(code)) {
    return {
      retryable: false,
      mayHaveArrived,
      error: new UpstreamError({
        service,
        cause: 'configuration',
        message: `the TLS certificate of ${host} is not trusted (${code}): if a proxy or private CA sits in front of ${name}, add its CA certificate through NODE_EXTRA_CA_CERTS or the trusted CA list`,
      }),
    };
  }
  if (code === 'ENOTFOUND') {
    return {
      retryable: false,
      mayHaveArrived,
      error: new UpstreamError({
        service,
        cause: 'configuration',
        message: `the host ${host} does not resolve: check the ${name} URL in the profile`,
      }),
    };
  }
  return {
    retryable: true,
    mayHaveArrived,
    error: new UpstreamError({
      service,
      cause: 'network',
      message: `the connection to ${name} (${host}) failed: ${code || error.message}`,
    }),
  };
}

function isNodeError(error: unknown): error is Error & { code?: string } {
  return error instanceof Error && typeof (error as { code?: unknown }).code === 'string';
}

function lowerCaseHeaders(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const source =
    headers && typeof (headers as { toJSON?: unknown }).toJSON === 'function'
      ? (headers as { toJSON(): unknown }).toJSON()
      : headers;
  for (const [key, value] of Object.entries((source ?? {}) as Record<string, unknown>)) {
    if (value === undefined || value === null) continue;
    out[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return out;
}

export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '(invalid url)';
  }
}

/** The path only: queries carry skip tokens and filters that do not belong in logs. */
export function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '(invalid url)';
  }
}
