import type { ExpectedRevision } from './event-store.port';

/** The stream was not at the expected revision: another writer got there first. */
export class ConcurrencyError extends Error {
  override readonly name = 'ConcurrencyError';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    readonly actual: number | 'no-stream',
  ) {
    super(`stream ${streamId} expected at ${String(expected)} but is at ${String(actual)}`);
  }
}

/** Some, but not all, of the appended event ids were already written: never a silent partial. */
export class IdempotencyError extends Error {
  override readonly name = 'IdempotencyError';
  constructor(readonly streamId: string) {
    super(`stream ${streamId}: an append repeated only some of an earlier append's event ids`);
  }
}

/** The store cannot be reached or cannot write (read-only file, full disk, server down). */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
  }
}

/**
 * A subscription ended for good: the store refused it for a reason retrying cannot cure
 * (access denied, $all not found, a request it rejects). Readiness should report it.
 */
export class SubscriptionFailedError extends Error {
  override readonly name = 'SubscriptionFailedError';
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
  }
}
