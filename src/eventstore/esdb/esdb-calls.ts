import { StoreUnavailableError } from '../errors';

/**
 * Our own deadline on a client call. @eventstore/db-client 6 fetches the server's features
 * on its first call without a deadline, so against a server that accepts the connection
 * but never answers, even `{ deadline }` hangs forever (reference/toolchain.md, section 4).
 */
export class CallTimeoutError extends StoreUnavailableError {
  constructor(what: string, ms: number) {
    super(`EventStoreDB did not answer ${what} within ${ms} ms`);
  }
}

export function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CallTimeoutError(what, ms)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export interface RetryPolicy {
  /** Tries in all, the first included. */
  readonly attempts: number;
  readonly firstDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, firstDelayMs: 200, maxDelayMs: 2_000 };

/** Delay before try `attempt + 1` (attempt counts from 1): doubling, capped. */
export const backoff = (policy: RetryPolicy, attempt: number): number =>
  Math.min(policy.firstDelayMs * 2 ** (attempt - 1), policy.maxDelayMs);

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Maps with at most `concurrency` calls in flight; results keep the input order. */
export async function mapPool<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
