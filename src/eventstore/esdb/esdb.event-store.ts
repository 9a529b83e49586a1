import {
  ANY,
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
  excludeSystemEvents,
  jsonEvent,
  type AppendExpectedRevision,
  type ResolvedEvent,
} from '@eventstore/db-client';
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
import { decodePosition, encodePosition, isRealPosition } from './esdb-position';
import { EsdbSubscription } from './esdb-subscription';
import { isTransient, withDeadline } from './esdb-calls';

export interface EsdbOptions {
  /** Our own deadline per call: the client's own can hang on the first call (server features). */
  readonly callTimeoutMs?: number;
  /** Appends in flight at once during appendMany. */
  readonly pipelineDepth?: number;
  readonly onSubscriptionDrop?: (error: unknown, retryInMs: number) => void;
}

/** EventStoreDB through @eventstore/db-client 6 (esdb:// connection strings). */
export class EsdbEventStore implements EventStore {
  readonly kind = 'esdb' as const;
  private readonly callTimeoutMs: number;
  private readonly pipelineDepth: number;

  constructor(
    private readonly client: EventStoreDBClient,
    private readonly options: EsdbOptions = {},
  ) {
    this.callTimeoutMs = options.callTimeoutMs ?? 10_000;
    this.pipelineDepth = options.pipelineDepth ?? 64;
  }

  static connect(connectionString: string, options: EsdbOptions = {}): EsdbEventStore {
    return new EsdbEventStore(EventStoreDBClient.connectionString(connectionString), options);
  }

  async append(
    streamId: string,
    events: readonly NewEvent[],
    expectedRevision: ExpectedRevision,
  ): Promise<AppendResult> {
    if (events.length === 0) return this.emptyAppend(streamId, expectedRevision);
    const recordedAt = new Date().toISOString();
    const payload = events.map((e) =>
      jsonEvent({ id: e.id, type: e.type, data: e.data, metadata: { ...e.metadata, recordedAt } }),
    );
    try {
      const result = await withDeadline(
        this.client.appendToStream(streamId, payload, { expectedRevision: toClientRevision(expectedRevision) }),
        this.callTimeoutMs,
        `append to ${streamId}`,
      );
      const nextExpectedRevision = Number(result.nextExpectedRevision);
      if (isRealPosition(result.position)) return { nextExpectedRevision, position: encodePosition(result.position) };
      // An idempotent re-append reports no position: read back where the events already are.
      return { nextExpectedRevision, position: await this.positionOf(streamId, nextExpectedRevision) };
    } catch (error) {
      throw this.translate(error, streamId, expectedRevision);
    }
  }

  async appendMany(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    const results: AppendResult[] = new Array(appends.length);
    let next = 0;
    let failure: unknown = null;
    const worker = async () => {
      while (failure === null && next < appends.length) {
        const index = next++;
        const a = appends[index];
        try {
          results[index] = await this.append(a.streamId, a.events, a.expectedRevision);
        } catch (error) {
          failure ??= error;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.pipelineDepth, appends.length) }, worker));
    if (failure !== null) throw failure;
    return results;
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const read = async () => {
      const out: RecordedEvent[] = [];
      const stream = this.client.readStream(streamId, {
        fromRevision: BigInt(options.fromRevision ?? 0),
        maxCount: options.maxCount ?? Number.MAX_SAFE_INTEGER,
        direction: FORWARDS,
      });
      for await (const resolved of stream) {
        const recorded = toRecorded(resolved);
        if (recorded) out.push(recorded);
      }
      return out;
    };
    try {
      return await withDeadline(read(), this.callTimeoutMs, `read ${streamId}`);
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw this.translate(error, streamId);
    }
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const max = options.maxCount ?? 1000;
    const types = options.types && options.types.length > 0 ? new Set(options.types) : null;
    const out: RecordedEvent[] = [];
    let after = options.after ?? null;
    // v6 has no server-side filter on reads: system events and other types are skipped
    // here, so read in chunks until enough events are found or $all ends.
    try {
      while (out.length < max) {
        const chunk = Math.max(max - out.length, 100) + 1;
        const batch = await withDeadline(this.readAllChunk(after, chunk), this.callTimeoutMs, 'read $all');
        for (const e of batch.events) {
          after = e.position;
          if (types && !types.has(e.type)) continue;
          out.push(e);
          if (out.length === max) break;
        }
        if (batch.lastPosition !== null && (after === null || batch.lastPosition > after)) after = batch.lastPosition;
        if (batch.exhausted) break;
      }
      return out;
    } catch (error) {
      throw this.translate(error, '$all');
    }
  }

  /** $all reads are inclusive of fromPosition, so one event read from each position is that event. */
  async readAt(positions: readonly bigint[]): Promise<RecordedEvent[]> {
    const readOne = async (position: bigint): Promise<RecordedEvent | null> => {
      for await (const resolved of this.client.readAll({
        fromPosition: decodePosition(position),
        direction: FORWARDS,
        maxCount: 1,
      })) {
        const recorded = toRecorded(resolved);
        return recorded && recorded.position === position ? recorded : null;
      }
      return null;
    };
    try {
      const events = await withDeadline(
        Promise.all(positions.map(readOne)),
        this.callTimeoutMs,
        'read $all at positions',
      );
      return events.filter((e): e is RecordedEvent => e !== null);
    } catch (error) {
      throw this.translate(error, '$all');
    }
  }

  subscribeAll(after: bigint | null = null): EventSubscription {
    return new EsdbSubscription(
      (from) =>
        this.client.subscribeToAll({
          fromPosition: from === null ? START : decodePosition(from),
          filter: excludeSystemEvents(),
        }),
      toRecorded,
      after,
      this.options.onSubscriptionDrop,
    );
  }

  async headPosition(): Promise<bigint | null> {
    const read = async () => {
      // Walk back from the end past system events; stops at the first event of ours.
      for await (const resolved of this.client.readAll({ fromPosition: END, direction: BACKWARDS })) {
        const recorded = toRecorded(resolved);
        if (recorded) return recorded.position;
      }
      return null;
    };
    try {
      return await withDeadline(read(), this.callTimeoutMs, 'read $all head');
    } catch (error) {
      throw this.translate(error, '$all');
    }
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }

  /** Positions are exclusive for us and inclusive for the server's reads: skip the first. */
  private async readAllChunk(after: bigint | null, maxCount: number) {
    const events: RecordedEvent[] = [];
    let lastPosition: bigint | null = null;
    let count = 0;
    const read = this.client.readAll({
      fromPosition: after === null ? START : decodePosition(after),
      direction: FORWARDS,
      maxCount,
      resolveLinkTos: false,
    });
    for await (const resolved of read) {
      count += 1;
      const pos = resolved.event?.position;
      if (pos) lastPosition = encodePosition(pos);
      if (after !== null && lastPosition !== null && lastPosition <= after) continue;
      const recorded = toRecorded(resolved);
      if (recorded) events.push(recorded);
    }
    return { events, lastPosition, exhausted: count < maxCount };
  }

  private async positionOf(streamId: string, revision: number): Promise<bigint> {
    for await (const resolved of this.client.readStream(streamId, {
      fromRevision: BigInt(revision),
      maxCount: 1,
      direction: FORWARDS,
    })) {
      if (resolved.event?.position) return encodePosition(resolved.event.position);
    }
    throw new StoreUnavailableError(`EventStoreDB did not report the position of ${streamId}@${revision}`);
  }

  private async emptyAppend(streamId: string, expected: ExpectedRevision): Promise<AppendResult> {
    const last = await this.lastOf(streamId);
    const current = last ? last.revision : -1;
    const ok =
      expected === 'any' ||
      (expected === 'no-stream' && current === -1) ||
      (expected === 'exists' && current >= 0) ||
      expected === current;
    if (!ok) throw new ConcurrencyError(streamId, expected, current === -1 ? 'no-stream' : current);
    return { nextExpectedRevision: current, position: last ? last.position : ((await this.headPosition()) ?? 0n) };
  }

  private async lastOf(streamId: string): Promise<RecordedEvent | null> {
    try {
      for await (const resolved of this.client.readStream(streamId, {
        fromRevision: END,
        direction: BACKWARDS,
        maxCount: 1,
      })) {
        return toRecorded(resolved);
      }
      return null;
    } catch (error) {
      if (error instanceof StreamNotFoundError) return null;
      throw this.translate(error, streamId);
    }
  }

  private translate(error: unknown, streamId: string, expected?: ExpectedRevision): unknown {
    if (error instanceof WrongExpectedVersionError) {
      const actual = error.actualVersion;
      return new ConcurrencyError(
        streamId,
        expected ?? 'any',
        typeof actual === 'bigint' ? Number(actual) : 'no-stream',
      );
    }
    if (error instanceof StoreUnavailableError) return error;
    if (isTransient(error))
      return new StoreUnavailableError(`EventStoreDB unavailable: ${(error as Error).message}`, error);
    return error;
  }
}

function toClientRevision(expected: ExpectedRevision): AppendExpectedRevision {
  if (expected === 'any') return ANY;
  if (expected === 'no-stream') return NO_STREAM;
  if (expected === 'exists') return STREAM_EXISTS;
  return BigInt(expected);
}

/** Our events only: system events ($-types, $-streams) and link events are skipped. */
function toRecorded(resolved: ResolvedEvent): RecordedEvent | null {
  const e = resolved.event;
  if (!e || !e.isJson || e.type.startsWith('$') || e.streamId.startsWith('$')) return null;
  const metadata = (e.metadata ?? {}) as RecordedEvent['metadata'];
  const recordedAt = typeof metadata.recordedAt === 'string' ? metadata.recordedAt : e.created.toISOString();
  return {
    id: e.id,
    streamId: e.streamId,
    revision: Number(e.revision),
    position: e.position ? encodePosition(e.position) : 0n,
    type: e.type,
    data: e.data as RecordedEvent['data'],
    metadata: { ...metadata, recordedAt },
    recordedAt,
  };
}
