import { ErrorType, isCommandError } from '@eventstore/db-client';
import { StoreUnavailableError } from '../errors';

/**
 * Races a client call against our own timer. @eventstore/db-client 6 fetches server
 * features on the first call without a deadline, so against a port that accepts TCP but
 * never answers, even `{ deadline }` hangs forever (reference/toolchain.md, section 4).
 */
export function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new StoreUnavailableError(`EventStoreDB did not answer ${what} within ${ms} ms`)),
      ms,
    );
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

const TRANSIENT = new Set<string>([
  ErrorType.UNAVAILABLE,
  ErrorType.CANCELLED,
  ErrorType.DEADLINE_EXCEEDED,
  ErrorType.TIMEOUT,
  ErrorType.NOT_LEADER,
]);

/** Connection-level failures: retry later. gRPC's own code 14 errors are not CommandErrors. */
export function isTransient(error: unknown): boolean {
  if (error instanceof StoreUnavailableError) return true;
  if (error instanceof Error && isCommandError(error)) return TRANSIENT.has(error.type);
  const code = (error as { code?: unknown }).code;
  return code === 14 || code === 4 || code === 1;
}
