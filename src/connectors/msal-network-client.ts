import { AuthError, type INetworkModule, type NetworkRequestOptions, type NetworkResponse } from '@azure/msal-node';
import type { Logger } from '../logging/logger';
import { hostOf, isTransportFailure, pathOf, type HttpTransport, type RawResponse } from './http-transport';
import { withRetries, type Attempt, type RetryHook, type RetryOptions } from './retry-policy';
import { isRetryableStatus } from './service-errors';
import { UpstreamError, shorten } from './upstream-error';

/**
 * Carries our typed failure through MSAL. MSAL rethrows an `AuthError` from the network
 * module unchanged but turns anything else into a bare `network_error` (msal-common
 * `sendPostRequest`), which would lose the cause.
 */
export class UpstreamAuthError extends AuthError {
  constructor(readonly upstream: UpstreamError) {
    super('upstream_failure', '', upstream.message);
    // msal-common's AuthError constructor pins the prototype to AuthError's; restore ours.
    Object.setPrototypeOf(this, new.target.prototype);
    this.name = 'UpstreamAuthError';
  }
}

export interface MsalNetworkOptions {
  readonly transport: HttpTransport;
  readonly logger: Logger;
  readonly timeoutMs: number;
  readonly retry: RetryOptions;
  readonly onRetry?: RetryHook;
}

/**
 * MSAL's network module on our trusted agent (msal-node 7's default client is global fetch,
 * which cannot take a CA list), with our timeout and retries.
 *
 * Transient answers (429, 5xx) are retried here and never handed to MSAL: MSAL records any
 * 429/5xx from the token endpoint in its throttling cache and then refuses identical requests
 * without a network call for Retry-After seconds, or 60 s when absent (msal-common
 * ThrottlingUtils), which would outlive our own, capped, wait.
 */
export class MsalNetworkClient implements INetworkModule {
  constructor(private readonly options: MsalNetworkOptions) {}

  sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> {
    return this.send<T>('GET', url, options, timeout);
  }

  sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.send<T>('POST', url, options);
  }

  private async send<T>(
    method: 'GET' | 'POST',
    url: string,
    options?: NetworkRequestOptions,
    timeout?: number,
  ): Promise<NetworkResponse<T>> {
    const timeoutMs = timeout && timeout > 0 ? Math.min(timeout, this.options.timeoutMs) : this.options.timeoutMs;
    const where = { service: 'entra', method, host: hostOf(url), path: pathOf(url) };
    const attempt = async (): Promise<Attempt<NetworkResponse<T>>> => {
      const response = await this.options.transport.send(
        {
          method,
          url,
          headers: options?.headers ?? {},
          body: method === 'POST' ? (options?.body ?? '') : undefined,
          timeoutMs,
        },
        'entra',
      );
      if (isTransportFailure(response))
        return response.retryable ? { kind: 'retry', error: response.error } : { kind: 'fail', error: response.error };
      return interpret<T>(response);
    };
    try {
      return await withRetries(attempt, {
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
        },
      });
    } catch (error) {
      if (error instanceof UpstreamError) {
        this.options.logger.warn('upstream request gave up', {
          ...where,
          status: error.status,
          cause: error.cause,
          microsoftCode: error.microsoftCode,
          attempts: error.attempts,
        });
        throw new UpstreamAuthError(error);
      }
      throw error;
    }
  }
}

function interpret<T>(response: RawResponse): Attempt<NetworkResponse<T>> {
  let body: unknown;
  try {
    body = JSON.parse(response.text);
  } catch {
    body = undefined;
  }
  const json = body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : null;
  if (isRetryableStatus(response.status)) {
    return {
      kind: 'retry',
      error: transientFailure(response.status, json),
      retryAfter: response.headers['retry-after'] ?? null,
    };
  }
  if (json === null) {
    const error = new UpstreamError({
      service: 'entra',
      cause: response.status < 300 ? 'invalid-response' : 'configuration',
      message:
        response.status < 300
          ? `Entra sent a token response that is not valid JSON (${response.text.length} characters)`
          : `the authority answered HTTP ${response.status} without an Entra error body: check the authority host (cloud) and tenant id of the profile`,
      status: response.status,
    });
    return response.status < 300 ? { kind: 'retry', error } : { kind: 'fail', error };
  }
  return { kind: 'done', value: { status: response.status, headers: { ...response.headers }, body: json as T } };
}

function transientFailure(status: number, body: Record<string, unknown> | null): UpstreamError {
  const codes = Array.isArray(body?.['error_codes']) ? (body['error_codes'] as unknown[]) : [];
  const microsoftCode =
    typeof codes[0] === 'number' ? `AADSTS${codes[0]}` : typeof body?.['error'] === 'string' ? body['error'] : null;
  const said = typeof body?.['error_description'] === 'string' ? entraDescription(body['error_description']) : null;
  const description = said ? ` Entra said: ${said}` : '';
  return new UpstreamError({
    service: 'entra',
    cause: status === 429 ? 'throttled' : 'unavailable',
    message:
      status === 429
        ? `Entra kept throttling token requests (HTTP 429); try again later.${description}`
        : `Entra's token endpoint was unavailable (HTTP ${status}); try again later.${description}`,
    microsoftCode,
    status,
  });
}

/**
 * The human sentence of an Entra error description: after "AADSTSnnnn:", without the trace id,
 * correlation id and timestamp Entra appends (or MSAL's "Error(s): ... - Description:" wrapper).
 */
export function entraDescription(text: string): string | null {
  const match = /(?:AADSTS\d+:\s*)?(.*?)(?:\s+-?\s*Trace ID:|\s+-?\s*Correlation ID:|\s+-?\s*Timestamp:|$)/s.exec(
    text.replace(/^.*?Description:\s*/s, ''),
  );
  const sentence = match?.[1]?.replace(/^AADSTS\d+:\s*/, '').trim();
  return sentence ? shorten(sentence, 240) : null;
}
