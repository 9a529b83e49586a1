import { ConcurrencyError } from '../errors';
import type { ExpectedRevision } from '../event-store.port';

/**
 * Every failure leaves the client files as one of these kinds; the adapter decides what each
 * means. `deleted`: a write to a tombstoned stream. `unsupported`: the server refused the
 * form of a multi-stream append before writing anything (not offered, too large for one
 * transaction, sent to a follower): the batch can be written the ordered way instead.
 */
export class EsdbError extends Error {
  override readonly name = 'EsdbError';
  constructor(
    readonly kind: 'conflict' | 'transient' | 'permanent' | 'deleted' | 'unsupported',
    message: string,
    readonly actualRevision?: number | 'no-stream',
    cause?: unknown,
    /** The stream a multi-stream append's conflict is about, as the server names it (prefixed). */
    readonly stream?: string,
  ) {
    super(message, { cause });
  }
}

/**
 * Connection-level and leader-change failures, by gRPC status: UNAVAILABLE, CANCELLED (a
 * server shutting down), DEADLINE_EXCEEDED, ABORTED (the server's own write timeout) and
 * not-leader. UNKNOWN too: the client reports a dropped HTTP/2 stream that way. Anything
 * else (access denied, not found, invalid argument, unimplemented) will not heal by retrying.
 */
export const TRANSIENT_CODES: ReadonlySet<number> = new Set([1, 2, 4, 10, 14]);

/** A conflict as the port reports it, naming the stream as the caller knows it; other errors pass through. */
export function conflictOf(error: unknown, streamId: string, expected: ExpectedRevision): unknown {
  if (error instanceof EsdbError && error.kind === 'conflict')
    return new ConcurrencyError(streamId, expected, error.actualRevision ?? 'no-stream');
  return error;
}
