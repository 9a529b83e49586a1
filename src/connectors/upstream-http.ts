import { randomUUID } from 'node:crypto';
import type { Logger } from '../logging/logger';
import { hostOf, isTransportFailure, pathOf, type HttpTransport, type RawResponse } from './http-transport';
import { withRetries, type Attempt, type RetryHook, type RetryOptions } from './retry-policy';
import {
  failureFromResponse,
  invalidBody,
  isRetryableStatus,
  type ApiService,
  type RequestPurpose,
} from './service-errors';
import { UpstreamError } from './upstream-error';

/** Hands out a bearer token; `forceRefresh` bypasses every cache (after a 401). */
export type TokenSource = (forceRefresh: boolean) => Promise<string>;

export interface ApiRequest<T> {
  readonly service: ApiService;
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  readonly token: TokenSource;
  readonly purpose: RequestPurpose;
  /**
   * Checks the shape of a 2xx body; null means "not what this endpoint returns" and is retried
   * like a truncated page.
   */
  readonly parse: (body: unknown) => T | null;
  /**
   * Writes are retried only when the service certainly did not act on them (429, 503, or no
   * connection); after a timeout or reset their outcome is unknown and reported as such.
   * Defaults to true for GET and false otherwise.
   */
  readonly idempotent?: boolean;
  readonly onRetry?: RetryHook;
}

export interface UpstreamHttpOptions {
  readonly transport: HttpTransport;
  readonly logger: Logger;
  readonly timeoutMs: number;
  readonly retry: RetryOptions;
  readonly onRetry?: RetryHook;
}

const USER_AGENT = 'license-ledger/0.1 (+https://github.com/license-ledger)';

/**
 * Graph and Dataverse calls: bearer token, bounded retries that honour Retry-After, one forced
 * token refresh on a 401, typed failures. Logs carry method, host, path, status, attempt and
 * wait; never a header, query or body.
 */
export class UpstreamHttp {
  constructor(private readonly options: UpstreamHttpOptions) {}

  async json<T>(request: ApiRequest<T>): Promise<T> {
    const clientRequestId = randomUUID();
    const idempotent = request.idempotent ?? request.method === 'GET';
    const where = {
      service: request.service,
      method: request.method,
      host: hostOf(request.url),
      path: pathOf(request.url),
      clientRequestId,
    };
    let refreshedAfter401 = false;

    const attempt = async (): Promise<Attempt<T>> => {
      let response = await this.send(request, clientRequestId, false);
      if (!isTransportFailure(response) && response.status === 401 && !refreshedAfter401) {
        // A token can be revoked or expire early (Entra may shorten lifetimes); one fresh token
        // tells that apart from a wrong tenant or audience.
        refreshedAfter401 = true;
        this.options.logger.info('upstream token rejected; retrying once with a fresh token', {
          ...where,
          status: 401,
        });
        response = await this.send(request, clientRequestId, true);
      }
      if (isTransportFailure(response)) {
        if (!response.retryable) return { kind: 'fail', error: response.error };
        if (!idempotent && response.mayHaveArrived) return { kind: 'fail', error: outcomeUnknown(response.error) };
        return { kind: 'retry', error: response.error };
      }
      return this.interpret(request, response, idempotent);
    };

    const started = Date.now();
    try {
      const value = await withRetries(attempt, {
        options: this.options.retry,
        onRetry: (failedAttempt, error, waitMs, waitSource) => {
          const event = {
            ...where,
            status: error.status,
            cause: error.cause,
            attempt: failedAttempt,
            maxAttempts: this.options.retry.maxAttempts,
            waitMs,
            waitSource,
          };
          this.options.logger.warn('upstream request failed; retrying', {
            ...event,
            microsoftCode: error.microsoftCode,
          });
          this.options.onRetry?.(event);
          request.onRetry?.(event);
        },
      });
      this.options.logger.debug('upstream request', { ...where, ms: Date.now() - started });
      return value;
    } catch (error) {
      if (error instanceof UpstreamError && error.service !== request.service) {
        this.options.logger.warn('upstream request not sent: no access token', {
          ...where,
          tokenService: error.service,
          cause: error.cause,
          microsoftCode: error.microsoftCode,
        });
      } else if (error instanceof UpstreamError) {
        this.options.logger.warn('upstream request gave up', {
          ...where,
          status: error.status,
          cause: error.cause,
          microsoftCode: error.microsoftCode,
          attempts: error.attempts,
        });
      }
      throw error;
    }
  }

  private async send<T>(request: ApiRequest<T>, clientRequestId: string, forceRefresh: boolean) {
    const token = await request.token(forceRefresh);
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'User-Agent': USER_AGENT,
      'client-request-id': clientRequestId,
      ...request.headers,
      Authorization: `Bearer ${token}`,
    };
    let body: string | undefined;
    if (request.body !== undefined) {
      body = JSON.stringify(request.body);
      headers['Content-Type'] = 'application/json';
    }
    return this.options.transport.send(
      { method: request.method, url: request.url, headers, body, timeoutMs: this.options.timeoutMs },
      request.service,
    );
  }

  private interpret<T>(request: ApiRequest<T>, response: RawResponse, idempotent: boolean): Attempt<T> {
    const { status } = response;
    if (status >= 200 && status < 300) {
      let body: unknown;
      try {
        body = response.text.trim() === '' ? null : JSON.parse(response.text);
      } catch {
        return {
          kind: idempotent ? 'retry' : 'fail',
          error: invalidBody(
            request.service,
            request.purpose,
            `${response.text.length} characters that do not parse`,
            status,
          ),
        };
      }
      const value = request.parse(body);
      if (value === null) {
        return {
          kind: idempotent ? 'retry' : 'fail',
          error: invalidBody(request.service, request.purpose, 'JSON of an unexpected shape', status),
        };
      }
      return { kind: 'done', value };
    }
    const error = failureFromResponse(request.service, status, response.text, request.purpose);
    if (!isRetryableStatus(status)) return { kind: 'fail', error };
    // 429 and 503 mean "not processed"; other 5xx on a write may have been applied.
    if (!idempotent && status !== 429 && status !== 503) return { kind: 'fail', error: outcomeUnknown(error) };
    return { kind: 'retry', error, retryAfter: response.headers['retry-after'] ?? null };
  }
}

function outcomeUnknown(error: UpstreamError): UpstreamError {
  return new UpstreamError({
    service: error.service,
    cause: error.cause,
    message: `${error.message} The change may or may not have been applied, so it was not repeated; the next read shows its outcome.`,
    microsoftCode: error.microsoftCode,
    status: error.status,
  });
}
