import { createHash } from 'node:crypto';
import { deterministicId } from '../../shared/ids';
import type { AppendResult, StreamAppend } from '../event-store.port';

/**
 * appendMany on a server without a multi-stream transaction. The v6 client has no stub for
 * KurrentDB 25.1's multi-stream append (kurrentdb.protocol.v2.streams.StreamsService /
 * AppendSession), so a batch is written stream by stream:
 * - in the order given (callers end a job's batch with its summary stream; sorting by name
 *   would move that summary ahead of the streams it summarises);
 * - up to `depth` streams in flight, except that the last stream starts only once every
 *   other one is written: whoever sees the last stream's events has already been able to
 *   see everything before it;
 * - then a completion marker on `<prefix>_batch-<batchId>` (expected revision no-stream),
 *   whose id and batch id derive from the batch's event ids.
 * A failure stops new appends, lets those in flight finish, and throws the first error:
 * the batch is then partly written. Every event id is deterministic for callers, so calling
 * again with the same appends completes it: written streams answer idempotently, the rest
 * are written, and the marker (the same id) follows once.
 */
export const BATCH_STREAM = '_batch-';
export const BATCH_EVENT_TYPE = 'AppendBatchCompleted';
/** Streams named one by one in the marker; a larger batch is named by its digest alone. */
const LISTED_STREAMS = 500;

export interface BatchMarker {
  readonly streamId: string;
  readonly eventId: string;
  readonly data: {
    readonly batchId: string;
    readonly streams: number;
    readonly events: number;
    /** sha256 over "streamId revision" lines, one per stream, in batch order. */
    readonly digest: string;
    readonly lastPosition: string;
    readonly written?: readonly { readonly streamId: string; readonly revision: number }[];
  };
}

export async function appendBatch(
  appends: readonly StreamAppend[],
  appendOne: (append: StreamAppend) => Promise<AppendResult>,
  writeMarker: (marker: BatchMarker) => Promise<void>,
  depth: number,
): Promise<AppendResult[]> {
  if (appends.length <= 1) return Promise.all(appends.map(appendOne));
  // Two appends to one stream must not overlap: the second expects the first's revision.
  const width = new Set(appends.map((a) => a.streamId)).size === appends.length ? depth : 1;
  const results = new Array<AppendResult>(appends.length);
  await inOrder(appends.length - 1, width, async (i) => (results[i] = await appendOne(appends[i])));
  const lastIndex = appends.length - 1;
  results[lastIndex] = await appendOne(appends[lastIndex]);
  await writeMarker(markerOf(appends, results));
  return results;
}

/** Runs work(0..count-1) in index order, `width` at a time; after a failure starts nothing new. */
async function inOrder(count: number, width: number, work: (index: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  const state: { failure: { error: unknown; index: number } | null } = { failure: null };
  const worker = async () => {
    while (state.failure === null && next < count) {
      const index = next++;
      try {
        await work(index);
      } catch (error) {
        const first = state.failure as { index: number } | null;
        if (first === null || index < first.index) state.failure = { error, index };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, count) }, worker));
  if (state.failure !== null) throw state.failure.error;
}

function markerOf(appends: readonly StreamAppend[], results: readonly AppendResult[]): BatchMarker {
  const ids = createHash('sha256');
  const digest = createHash('sha256');
  let events = 0;
  appends.forEach((a, i) => {
    for (const e of a.events) ids.update(e.id).update('\n');
    events += a.events.length;
    digest.update(`${a.streamId} ${results[i].nextExpectedRevision}\n`);
  });
  const batchId = deterministicId('append-batch', ids.digest('hex'));
  const lastPosition = results.reduce((max, r) => (r.position > max ? r.position : max), 0n);
  return {
    streamId: `${BATCH_STREAM}${batchId}`,
    eventId: deterministicId('append-batch-marker', batchId),
    data: {
      batchId,
      streams: appends.length,
      events,
      digest: digest.digest('hex'),
      lastPosition: lastPosition.toString(),
      ...(appends.length <= LISTED_STREAMS
        ? { written: appends.map((a, i) => ({ streamId: a.streamId, revision: results[i].nextExpectedRevision })) }
        : {}),
    },
  };
}
