import { StoreUnavailableError } from '../errors';
import type { AppendResult, StreamAppend } from '../event-store.port';
import { collect, mapPool } from './esdb-calls';
import type { EsdbConnection, WireRecord } from './esdb-client';
import { EsdbError, conflictOf } from './esdb-error';
import { encodePosition } from './esdb-position';
import { SCHEMA_NAME } from './esdb-v2-protocol';

/** What the atomic path needs of the adapter. */
export interface AtomicBatchStore {
  readonly prefix: string;
  readonly readConcurrency: number;
  /**
   * One connection call under the adapter's deadline (longer by a little per event when `events`
   * says how many it carries or reads), with its retries of transient failures.
   */
  call<T>(what: string, work: (connection: EsdbConnection) => Promise<T>, events?: number): Promise<T>;
  /** Events of one stream (unprefixed name), their positions as the adapter encodes them. */
  readStream(
    streamId: string,
    options: { fromRevision: number; maxCount: number },
  ): Promise<readonly { id: string; position: bigint }[]>;
}

/**
 * appendMany in one transaction, where the server offers it (KurrentDB 25.1+'s multi-stream
 * append, esdb-append-session.ts): every stream is written or none, so there is no partial
 * batch and no completion marker. Answers null when the batch must take the ordered path
 * instead (esdb-batch.ts): the server does not offer it, refused this batch's form before
 * writing anything (too large for one transaction, a follower, ...), or the batch is not one
 * it takes (one stream, an empty append, a stream twice, an event type it refuses). Also null
 * when an earlier ordered run of the same batch was cut off: the server then reports one of
 * its streams as a conflict, and the ordered path is the one that completes such a batch.
 * Retries after transient failures are safe: the event ids make a repeat a no-op.
 */
export async function appendAtomically(
  appends: readonly StreamAppend[],
  store: AtomicBatchStore,
): Promise<AppendResult[] | null> {
  if (!takesBatch(appends)) return null;
  const wire = appends.map((a) => ({
    stream: store.prefix + a.streamId,
    events: a.events.map(({ id, type, data, metadata }) => ({ id, type, data, metadata })),
    expected: a.expectedRevision,
  }));
  let written;
  try {
    const events = appends.reduce((n, a) => n + a.events.length, 0);
    written = await store.call('append a batch in one transaction', (c) => c.appendAtomically(wire), events);
  } catch (error) {
    if (error instanceof EsdbError && error.kind === 'unsupported') return null;
    if (!(error instanceof EsdbError && error.kind === 'conflict')) throw error;
    const index = wire.findIndex((w) => w.stream === error.stream);
    if (index < 0) throw error;
    if (await alreadyWritten(appends[index], error, store)) return null;
    throw conflictOf(error, appends[index].streamId, appends[index].expectedRevision);
  }
  if (written === null) return null;
  const revisions = written.revisions;
  const positions = await positionsOf(appends, revisions, written.position, store);
  return appends.map((_, i) => ({ nextExpectedRevision: Number(revisions[i]), position: positions[i] }));
}

function takesBatch(appends: readonly StreamAppend[]): boolean {
  if (appends.length < 2) return false;
  // The server refuses a stream twice in one session, comparing names without case.
  const names = new Set(appends.map((a) => a.streamId.toLowerCase()));
  return (
    names.size === appends.length &&
    appends.every((a) => a.events.length > 0 && a.events.every((e) => SCHEMA_NAME.test(e.type)))
  );
}

/**
 * Whether the stream the server names in a conflict already holds this append's events: a
 * batch partly written by the ordered path, not someone else's write. `any` conflicts only
 * that way; `exists` otherwise only on a missing stream; an exact revision or no-stream is
 * checked by reading the revisions the append would have taken.
 */
async function alreadyWritten(append: StreamAppend, conflict: EsdbError, store: AtomicBatchStore): Promise<boolean> {
  const expected = append.expectedRevision;
  if (expected === 'any') return true;
  if (expected === 'exists') return conflict.actualRevision !== 'no-stream';
  const from = expected === 'no-stream' ? 0 : expected + 1;
  const found = await store.readStream(append.streamId, { fromRevision: from, maxCount: append.events.length });
  return found.length === append.events.length && found.every((e, i) => e.id === append.events[i].id);
}

/**
 * Each stream's last event's position. The answer carries only the transaction's last one, and
 * one transaction's records lie together in the log: one backwards read of `$all` from there
 * finds the rest, each checked by id, stream and revision. A stream not found that way (the
 * event at that very position, or a repeat of streams first written apart) is read by revision.
 */
async function positionsOf(
  appends: readonly StreamAppend[],
  revisions: readonly bigint[],
  last: bigint,
  store: AtomicBatchStore,
): Promise<bigint[]> {
  const byLastId = new Map(appends.map((a, i) => [a.events[a.events.length - 1].id, i]));
  const total = appends.reduce((n, a) => n + a.events.length, 0);
  const records: WireRecord[] = await store.call(
    'read back a batch',
    (c) => collect(c.readAll({ commit: last, prepare: last }, 'backwards', total, store.prefix)),
    total,
  );
  const positions = new Array<bigint | undefined>(appends.length);
  for (const record of records) {
    const i = byLastId.get(record.id);
    if (i === undefined || !record.position) continue;
    if (record.streamId === store.prefix + appends[i].streamId && record.revision === revisions[i])
      positions[i] = encodePosition(record.position);
  }
  const missing = appends.flatMap((_, i) => (positions[i] === undefined ? [i] : []));
  await mapPool(missing, store.readConcurrency, async (i) => {
    const [event] = await store.readStream(appends[i].streamId, { fromRevision: Number(revisions[i]), maxCount: 1 });
    if (!event) throw new StoreUnavailableError(`EventStoreDB did not report the position of ${appends[i].streamId}`);
    positions[i] = event.position;
  });
  return positions as bigint[];
}
