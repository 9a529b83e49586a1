import { setTimeout as sleep } from 'node:timers/promises';
import type { UpstreamCause, UpstreamError } from './upstream-error';

export interface RetryOptions {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  /** First backoff ceiling; doubles per attempt ("full jitter": a uniform wait in [0, ceiling]). */
  readonly baseBackoffMs: number;
  readonly maxBackoffMs: number;
  /**
   * A server's Retry-After is honoured up to this; longer waits are cut to it (the next 429 says more).
   * Dataverse's service protection windows are 300 s long and its Retry-After can ask for up to that.
   */
  readonly maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryOptions = {
  maxAttempts: 6,
  baseBackoffMs: 500,
  maxBackoffMs: 30_000,
  maxRetryAfterMs: 300_000,
};

export const DEFAULT_TIMEOUT_MS = 30_000;

/** What a retry hook and the retry log line are told; no URL query, header or body. */
export interface RetryEvent {
  readonly service: string;
  readonly method: string;
  readonly host: string;
  readonly path: string;
  readonly status: number | null;
  readonly cause: UpstreamCause;
  /** The attempt that just failed (1-based). */
  readonly attempt: number;
  readonly maxAttempts: number;
  readonly waitMs: number;
  readonly waitSource: 'retry-after' | 'backoff';
}

export type RetryHook = (event: RetryEvent) => void;

/**
 * `Retry-After` is delta-seconds or an HTTP date (RFC 9110 §10.2.3). Graph and Dataverse
 * send seconds; a date is handled for proxies and gateways in front of them.
 */
export function parseRetryAfterMs(value: string | undefined | null, nowMs: number = Date.now()): number | null {
  if (value === undefined || value === null) return null;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

/** Full-jitter exponential backoff (AWS Architecture Blog, "Exponential Backoff And Jitter"). */
export function backoffMs(failedAttempt: number, options: RetryOptions, random: () => number = Math.random): number {
  const ceiling = Math.min(options.maxBackoffMs, options.baseBackoffMs * 2 ** Math.max(0, failedAttempt - 1));
  return Math.floor(random() * ceiling);
}

export function retryWait(
  retryAfter: string | undefined | null,
  failedAttempt: number,
  options: RetryOptions,
): { waitMs: number; source: 'retry-after' | 'backoff' } {
  const serverMs = parseRetryAfterMs(retryAfter);
  if (serverMs !== null) return { waitMs: Math.min(serverMs, options.maxRetryAfterMs), source: 'retry-after' };
  return { waitMs: backoffMs(failedAttempt, options), source: 'backoff' };
}

/** One attempt's result: a value, a failure worth another attempt, or a final failure. */
export type Attempt<T> =
  | { readonly kind: 'done'; readonly value: T }
  | { readonly kind: 'retry'; readonly error: UpstreamError; readonly retryAfter?: string | null }
  | { readonly kind: 'fail'; readonly error: UpstreamError };

export interface RetryContext {
  readonly options: RetryOptions;
  /** Called before each wait; logs and progress reporting hang off it. */
  readonly onRetry: (
    failedAttempt: number,
    error: UpstreamError,
    waitMs: number,
    source: 'retry-after' | 'backoff',
  ) => void;
}

/** Runs `attempt` until it is done, fails for good, or the attempts run out (then its last error). */
export async function withRetries<T>(attempt: (n: number) => Promise<Attempt<T>>, context: RetryContext): Promise<T> {
  const max = Math.max(1, context.options.maxAttempts);
  for (let n = 1; ; n++) {
    const outcome = await attempt(n);
    if (outcome.kind === 'done') return outcome.value;
    if (outcome.kind === 'fail') throw outcome.error.withAttempts(n);
    if (n >= max) throw outcome.error.withAttempts(n);
    const { waitMs, source } = retryWait(outcome.retryAfter, n, context.options);
    context.onRetry(n, outcome.error, waitMs, source);
    if (waitMs > 0) await sleep(waitMs);
  }
}
