import { ConcurrencyError, StoreUnavailableError } from '../errors';
import type {
  AppendResult,
  EventStore,
  EventSubscription,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamAppend,
} from '../event-store.port';
import { appendAtomically, type AtomicBatchStore } from './esdb-atomic-batch';
import { BATCH_EVENT_TYPE, appendBatch, type BatchMarker } from './esdb-batch';
import { CallTimeoutError, DEFAULT_RETRY, backoff, collect, mapPool, sleep, withDeadline } from './esdb-calls';
import type { RetryPolicy } from './esdb-calls';
import { EsdbError, connectEsdb, toEsdbError, type EsdbConnection, type WireRecord } from './esdb-client';
import { conflictOf } from './esdb-error';
import { decodePosition, encodePosition, isRealPosition, type EsdbPosition } from './esdb-position';
import { EsdbPrivateStreams, PRIVATE_STREAM } from './esdb-private-streams';
import { EsdbSubscription, type SubscriptionHooks } from './esdb-subscription';
import { newId } from '../../shared/ids';

export interface EsdbOptions extends SubscriptionHooks {
  /** Prefixed to every stream name; $all reads and subscriptions see only streams that start with it. */
  readonly streamPrefix?: string;
  /** Our own deadline per call; when it fires, the client is replaced by a new one. */
  readonly callTimeoutMs?: number;
  /** Transient failures (unavailable, not leader, deadline, our timeout) are retried this way. */
  readonly retry?: RetryPolicy;
  /** Streams of one appendMany in flight at once. */
  readonly pipelineDepth?: number;
  /** Reads in flight at once for readAt. */
  readonly readConcurrency?: number;
}

/** $all is read in pages of this many events: memory stays bounded whatever maxCount or filter asks. */
const PAGE = 1_000;
const HEALTH_STREAM = '_health';
const IDENTITY_STREAM = 'store-identity';
/** Time a call gets, beyond the one-call deadline, per event it appends or reads. */
const DEADLINE_MS_PER_EVENT = 2;

/**
 * EventStoreDB through @eventstore/db-client 6 (esdb-client.ts is the only file that knows
 * the client). Every stream lives under `streamPrefix`; `recordedAt` is the server's
 * `created` timestamp; calls time out on our clock, retry transient failures with backoff
 * and, when a call hangs, continue on a fresh client.
 */
export class EsdbEventStore implements EventStore {
  readonly kind = 'esdb' as const;
  private readonly prefix: string;
  private readonly callTimeoutMs: number;
  private readonly retry: RetryPolicy;
  private connection: EsdbConnection;
  private storeId: string | null = null;
  /** The adapter's bookkeeping streams (`<prefix>_…`), hidden from every read: identity, vault. */
  readonly privateStreams: EsdbPrivateStreams;
  private readonly atomicBatchStore: AtomicBatchStore;

  constructor(
    private readonly connect: () => EsdbConnection,
    private readonly options: EsdbOptions = {},
  ) {
    this.prefix = options.streamPrefix ?? '';
    this.callTimeoutMs = options.callTimeoutMs ?? 10_000;
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.connection = connect();
    this.privateStreams = new EsdbPrivateStreams(this.prefix, (what, work) => this.call(what, work));
    this.atomicBatchStore = {
      prefix: this.prefix,
      readConcurrency: options.readConcurrency ?? 8,
      call: (what, work, events) => this.call(what, work, events),
      readStream: (streamId, read) => this.readStream(streamId, read),
    };
  }

  static connect(connectionString: string, options: EsdbOptions = {}): EsdbEventStore {
    return new EsdbEventStore(() => connectEsdb(connectionString), options);
  }

  async append(
    streamId: string,
    events: readonly NewEvent[],
    expectedRevision: ExpectedRevision,
  ): Promise<AppendResult> {
    if (events.length === 0) return this.emptyAppend(streamId, expectedRevision);
    // recordedAt is the server's to set (`created`); an envelope never carries the client's clock.
    const wire = events.map(({ id, type, data, metadata }) => ({ id, type, data, metadata }));
    const result = await this.call(`append to ${streamId}`, (c) =>
      c.append(this.prefix + streamId, wire, expectedRevision),
    ).catch((error) => {
      throw conflictOf(error, streamId, expectedRevision);
    });
    const nextExpectedRevision = Number(result.nextExpectedRevision);
    if (isRealPosition(result.position)) return { nextExpectedRevision, position: encodePosition(result.position) };
    // Older servers answer an idempotent re-append without a position: read back where the events are.
    const [last] = await this.readStream(streamId, { fromRevision: nextExpectedRevision, maxCount: 1 });
    if (!last)
      throw new StoreUnavailableError(
        `EventStoreDB did not report the position of ${streamId}@${nextExpectedRevision}`,
      );
    return { nextExpectedRevision, position: last.position };
  }

  /** In one transaction where the server offers it (esdb-atomic-batch.ts), otherwise in order with a completion marker. */
  async appendMany(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    const atomic = await appendAtomically(appends, this.atomicBatchStore);
    if (atomic) return atomic;
    return appendBatch(
      appends,
      (a) => this.append(a.streamId, a.events, a.expectedRevision),
      (marker) => this.writeMarker(marker, appends.findLast((a) => a.events.length > 0)?.events[0]),
      this.options.pipelineDepth ?? 16,
    );
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const maxCount = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    const records = await this.call(`read ${streamId}`, (c) =>
      collect(c.readStream(this.prefix + streamId, BigInt(options.fromRevision ?? 0), 'forwards', maxCount)),
    );
    return records.flatMap((r) => this.toRecorded(r) ?? []);
  }

  /** Pages through $all (filtered to our prefix on the server); the type filter applies here, page by page. */
  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const max = options.maxCount ?? 1000;
    const types = options.types && options.types.length > 0 ? new Set(options.types) : null;
    const out: RecordedEvent[] = [];
    let after = options.after ?? null;
    while (out.length < max) {
      // The server's start position is inclusive: one more than needed covers the event at `after`.
      const page = types ? PAGE : Math.min(PAGE, max - out.length + 1);
      const from = after === null ? ('start' as const) : decodePosition(after);
      const records = await this.call('read $all', (c) => collect(c.readAll(from, 'forwards', page, this.prefix)));
      let moved = false;
      for (const record of records) {
        const position = record.position ? encodePosition(record.position) : null;
        if (position === null || (after !== null && position <= after)) continue;
        after = position;
        moved = true;
        const event = this.toRecorded(record);
        if (!event || (types && !types.has(event.type))) continue;
        out.push(event);
        if (out.length === max) break;
      }
      if (records.length < page || !moved) break;
    }
    return out;
  }

  /** Forward reads are inclusive of their start, so one event read from each position is that event. */
  async readAt(positions: readonly bigint[]): Promise<RecordedEvent[]> {
    const events = await mapPool(positions, this.options.readConcurrency ?? 8, async (position) => {
      const [record] = await this.call('read $all at a position', (c) =>
        collect(c.readAll(decodePosition(position), 'forwards', 1, this.prefix)),
      );
      const event = record ? this.toRecorded(record) : null;
      return event && event.position === position ? event : null;
    });
    return events.filter((e): e is RecordedEvent => e !== null);
  }

  subscribeAll(after: bigint | null = null): EventSubscription {
    return new EsdbSubscription(
      (from) => this.connection.subscribeAll(from === null ? null : decodePosition(from), this.prefix),
      (record) => this.toRecorded(record),
      after,
      this.options,
    );
  }

  /** Walks back from the end past our own bookkeeping events (batch markers). */
  async headPosition(): Promise<bigint | null> {
    let from: EsdbPosition | 'end' = 'end';
    for (;;) {
      const start = from;
      const records: WireRecord[] = await this.call('read the head of $all', (c) =>
        collect(c.readAll(start, 'backwards', 32, this.prefix)),
      );
      for (const record of records) {
        const event = this.toRecorded(record);
        if (event) return event.position;
      }
      const last = records[records.length - 1]?.position;
      if (records.length < 32 || !last) return null;
      from = last;
    }
  }

  /** A read of $all's head and an empty append (expected revision any) that only the leader accepts: no event is written. */
  async probe(): Promise<void> {
    await this.call('read $all for readiness', (c) => collect(c.readAll('end', 'backwards', 1, this.prefix)));
    await this.call('append for readiness', (c) => c.append(this.prefix + HEALTH_STREAM, [], 'any'));
  }

  /**
   * Written once, on first use, to `<prefix>_store-identity` (expected revision no-stream; of
   * two instances starting at once, the loser reads the winner's). A wiped database or another
   * prefix has none, so it gets a new one.
   */
  async identity(): Promise<string> {
    if (this.storeId) return this.storeId;
    const read = async () => {
      const found = await this.privateStreams.last(IDENTITY_STREAM);
      return typeof found?.data.storeId === 'string' ? found.data.storeId : null;
    };
    let storeId = await read();
    if (!storeId) {
      const proposed = newId();
      const event = {
        id: proposed,
        type: 'StoreIdentified',
        data: { storeId: proposed, at: new Date().toISOString() },
      };
      try {
        await this.privateStreams.append(IDENTITY_STREAM, event, 'no-stream');
        storeId = proposed;
      } catch (error) {
        if (!(error instanceof ConcurrencyError)) throw error;
        storeId = await read();
        if (!storeId) throw new StoreUnavailableError('EventStoreDB holds an unreadable store identity', error);
      }
    }
    this.storeId = storeId;
    return storeId;
  }

  async close(): Promise<void> {
    await this.connection.dispose();
  }

  /**
   * One client call under our deadline. Transient failures are retried with backoff (reads
   * are safe to repeat, and so are appends: their event ids make a repeat a no-op); a call
   * that hangs replaces the client first, since a hung client never recovers by itself.
   */
  private async call<T>(what: string, work: (connection: EsdbConnection) => Promise<T>, events = 0): Promise<T> {
    // A call that carries or reads many events gets time for them beyond the deadline of one:
    // reading back a 10,000-event batch took over 10 s on a loaded machine, and each retry on a
    // new client only took longer.
    const deadlineMs = this.callTimeoutMs + events * DEADLINE_MS_PER_EVENT;
    for (let attempt = 1; ; attempt++) {
      const connection = this.connection;
      try {
        return await withDeadline(work(connection), deadlineMs, what);
      } catch (error) {
        if (error instanceof CallTimeoutError) this.replace(connection);
        const failure =
          error instanceof CallTimeoutError ? new EsdbError('transient', error.message) : toEsdbError(error);
        if (failure.kind !== 'transient') throw failure;
        if (attempt >= this.retry.attempts)
          throw new StoreUnavailableError(`EventStoreDB unavailable (${what}): ${failure.message}`, error);
        await sleep(backoff(this.retry, attempt));
      }
    }
  }

  private replace(hung: EsdbConnection): void {
    if (this.connection !== hung) return;
    this.connection = this.connect();
    void hung.dispose().catch(() => undefined);
  }

  /** The marker carries the batch's actor and correlation (from its last non-empty append), or none when every append was empty. */
  private async writeMarker(marker: BatchMarker, template: NewEvent | undefined): Promise<void> {
    const metadata = { ...template?.metadata, schemaVersion: 1 };
    const event = { id: marker.eventId, type: BATCH_EVENT_TYPE, data: marker.data, metadata };
    await this.call('append a batch marker', (c) => c.append(this.prefix + marker.streamId, [event], 'no-stream'));
  }

  private async emptyAppend(streamId: string, expected: ExpectedRevision): Promise<AppendResult> {
    const [last] = await this.call(`read the end of ${streamId}`, (c) =>
      collect(c.readStream(this.prefix + streamId, 'end', 'backwards', 1)),
    );
    const current = last ? Number(last.revision) : -1;
    const ok =
      expected === 'any' ||
      (expected === 'no-stream' && current === -1) ||
      (expected === 'exists' && current >= 0) ||
      expected === current;
    if (!ok) throw new ConcurrencyError(streamId, expected, current === -1 ? 'no-stream' : current);
    const position = last?.position ? encodePosition(last.position) : ((await this.headPosition()) ?? 0n);
    return { nextExpectedRevision: current, position };
  }

  /** Our events only: other prefixes, system streams and types, non-JSON and our own bookkeeping are skipped. */
  private toRecorded(record: WireRecord): RecordedEvent | null {
    const { streamId: full, type } = record;
    if (!record.isJson || type.startsWith('$') || !full.startsWith(this.prefix) || full.startsWith('$')) return null;
    const streamId = full.slice(this.prefix.length);
    // Our bookkeeping (batch markers, the readiness probe, identity, vault) is never an event of the log.
    if (streamId.startsWith(PRIVATE_STREAM)) return null;
    const recordedAt = record.created.toISOString();
    const metadata = (record.metadata ?? {}) as RecordedEvent['metadata'];
    return {
      id: record.id,
      streamId,
      revision: Number(record.revision),
      position: record.position ? encodePosition(record.position) : 0n,
      type,
      data: record.data as RecordedEvent['data'],
      metadata: { ...metadata, recordedAt },
      recordedAt,
    };
  }
}
