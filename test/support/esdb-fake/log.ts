import { randomUUID } from 'node:crypto';

/**
 * The in-memory transaction log behind the EventStoreDB test server. One log can serve
 * several fake nodes at once (`startEsdbFake({ log })`), as one cluster's database serves
 * every node: that is how the not-leader fault names a real second endpoint.
 *
 * Semantics follow KurrentDB's write path (src/KurrentDB.Core/Services/Storage/ReaderIndex/
 * IndexWriter.cs, CheckCommit): expected-revision checks, the weak idempotency of `any` and
 * `stream exists` (the first event's id decides) and the strong idempotency of an exact
 * revision or `no stream` (the ids must sit at exactly the revisions the request names).
 */

/** The server's encoding of expected revisions (KurrentDB ExpectedVersion). */
export const EXPECT_ANY = -2n;
export const EXPECT_NO_STREAM = -1n;
export const EXPECT_STREAM_EXISTS = -4n;

export interface ProposedEvent {
  readonly id: string;
  readonly type: string;
  readonly contentType: string;
  readonly data: Uint8Array;
  readonly metadata: Uint8Array;
}

export interface LogRecord extends ProposedEvent {
  readonly stream: string;
  readonly revision: bigint;
  /** Commit and prepare positions are equal for every event the current server writes. */
  readonly position: bigint;
  /** The position just past this record: a backwards $all read from P returns records whose end is at or before P. */
  readonly end: bigint;
  /** .NET ticks (100 ns) since the Unix epoch, from the server's clock, as the server sends `created`. */
  readonly created: bigint;
}

export type AppendOutcome =
  | { readonly kind: 'written'; readonly currentRevision: bigint; readonly position: bigint | null }
  | { readonly kind: 'idempotent'; readonly currentRevision: bigint; readonly position: bigint }
  | { readonly kind: 'wrong-expected-version'; readonly currentRevision: bigint }
  | { readonly kind: 'stream-deleted' };

/** StorageWriterService.VerifyCommitChecks on a multi-stream write: `index` is the first stream that is not ok. */
export type AtomicOutcome =
  | { readonly kind: 'written' | 'idempotent'; readonly revisions: readonly bigint[]; readonly position: bigint }
  | { readonly kind: 'wrong-expected-version'; readonly index: number; readonly currentRevision: bigint }
  | { readonly kind: 'stream-deleted'; readonly index: number };

export interface AtomicEntry {
  readonly stream: string;
  readonly expected: bigint;
  readonly events: readonly ProposedEvent[];
}

/** The revision a tombstone takes (KurrentDB EventNumber.DeletedStream, long.MaxValue). */
export const DELETED_STREAM_REVISION = (1n << 63n) - 1n;
export const STREAM_DELETED_TYPE = '$streamDeleted';

/** Where the first record sits: a real log starts with its own epoch records, never at 0. */
const FIRST_POSITION = 4096n;
/** Bytes a record takes besides its strings and payloads (the server's prepare header is about this size). */
const RECORD_OVERHEAD = 96n;

export class EsdbLog {
  readonly records: LogRecord[] = [];
  private readonly streams = new Map<string, LogRecord[]>();
  private readonly byId = new Map<string, LogRecord>();
  private readonly listeners = new Set<() => void>();
  private readonly tombstoned = new Set<string>();
  private nextPosition = FIRST_POSITION;

  /** @param now the server's clock in milliseconds since the epoch (tests move it; the client's never counts). */
  constructor(public now: () => number = Date.now) {}

  /** Size on disk as the server counts it against MaxAppendSize (Event.SizeOnDisk: type, data, metadata). */
  static sizeOf(event: ProposedEvent): number {
    return Buffer.byteLength(event.type, 'utf8') * 2 + event.data.length + event.metadata.length;
  }

  get head(): LogRecord | undefined {
    return this.records[this.records.length - 1];
  }

  stream(name: string): readonly LogRecord[] | undefined {
    return this.streams.get(name);
  }

  /** Tombstoned (hard-deleted): stream reads and appends answer StreamDeleted from now on, for good. */
  isTombstoned(name: string): boolean {
    return this.tombstoned.has(name);
  }

  currentRevision(name: string): bigint {
    const events = this.streams.get(name);
    return events ? BigInt(events.length - 1) : -1n;
  }

  onAppend(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  append(stream: string, expected: bigint, events: readonly ProposedEvent[]): AppendOutcome {
    if (this.tombstoned.has(stream)) return { kind: 'stream-deleted' };
    const current = this.currentRevision(stream);
    const decision = this.check(stream, expected, current, events);
    if (decision.kind !== 'ok') return decision;
    if (events.length === 0) return { kind: 'written', currentRevision: current, position: null };
    const last = this.writeEvents(stream, events);
    for (const listener of this.listeners) listener();
    return { kind: 'written', currentRevision: last.revision, position: last.position };
  }

  /**
   * A multi-stream write (AppendSession): every stream checked as a single append is, then all
   * written together (readers are told once, after the last) if every check passed; a repeat
   * of an earlier write answers as that write did (the highest of its positions); anything
   * else writes nothing and names the first stream that is not ok, a repeated one included.
   */
  appendAtomically(entries: readonly AtomicEntry[]): AtomicOutcome {
    const deleted = entries.findIndex((e) => this.tombstoned.has(e.stream));
    if (deleted >= 0) return { kind: 'stream-deleted', index: deleted };
    const decisions = entries.map((e) => this.check(e.stream, e.expected, this.currentRevision(e.stream), e.events));
    if (decisions.every((d) => d.kind === 'idempotent')) {
      const repeats = decisions as Extract<AppendOutcome, { kind: 'idempotent' }>[];
      const position = repeats.reduce((max, d) => (d.position > max ? d.position : max), 0n);
      return { kind: 'idempotent', revisions: repeats.map((d) => d.currentRevision), position };
    }
    const index = decisions.findIndex((d) => d.kind !== 'ok');
    if (index >= 0)
      return { kind: 'wrong-expected-version', index, currentRevision: this.currentRevision(entries[index].stream) };
    const written = entries.map((e) => this.writeEvents(e.stream, e.events));
    for (const listener of this.listeners) listener();
    return {
      kind: 'written',
      revisions: written.map((r) => r.revision),
      position: written[written.length - 1].position,
    };
  }

  private writeEvents(stream: string, events: readonly ProposedEvent[]): LogRecord {
    let list = this.streams.get(stream);
    if (!list) this.streams.set(stream, (list = []));
    let last: LogRecord | undefined;
    for (const event of events) {
      last = this.write(stream, BigInt(list.length), event);
      list.push(last);
      if (!this.byId.has(event.id)) this.byId.set(event.id, last);
    }
    return last!;
  }

  /**
   * Hard delete (Streams.Tombstone): checks the expected revision like an append, then
   * writes a `$streamDeleted` record to the log. As on the server, the stream's events leave
   * stream reads at once but stay in `$all` (only a scavenge removes them; the fake never scavenges).
   */
  tombstone(stream: string, expected: bigint): AppendOutcome {
    if (this.tombstoned.has(stream)) return { kind: 'stream-deleted' };
    const current = this.currentRevision(stream);
    const wrong =
      (expected === EXPECT_STREAM_EXISTS && current < 0n) ||
      (expected === EXPECT_NO_STREAM && current >= 0n) ||
      (expected >= 0n && expected !== current);
    if (wrong) return { kind: 'wrong-expected-version', currentRevision: current };
    this.tombstoned.add(stream);
    const record = this.write(stream, DELETED_STREAM_REVISION, {
      id: randomUUID(),
      type: STREAM_DELETED_TYPE,
      contentType: 'application/octet-stream',
      data: new Uint8Array(),
      metadata: new Uint8Array(),
    });
    for (const listener of this.listeners) listener();
    return { kind: 'written', currentRevision: DELETED_STREAM_REVISION, position: record.position };
  }

  private write(stream: string, revision: bigint, event: ProposedEvent): LogRecord {
    const size = RECORD_OVERHEAD + BigInt(Buffer.byteLength(stream, 'utf8') + EsdbLog.sizeOf(event));
    const record: LogRecord = {
      ...event,
      stream,
      revision,
      position: this.nextPosition,
      end: this.nextPosition + size,
      created: BigInt(Math.floor(this.now() * 10_000)),
    };
    this.nextPosition = record.end;
    this.records.push(record);
    return record;
  }

  /** Index of the first record at or after `position` (binary search: positions only grow). */
  indexAtOrAfter(position: bigint): number {
    let low = 0;
    let high = this.records.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.records[mid].position < position) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** Index of the last record that ends at or before `position`, or -1. */
  indexEndingBy(position: bigint): number {
    let low = 0;
    let high = this.records.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.records[mid].end <= position) low = mid + 1;
      else high = mid;
    }
    return low - 1;
  }

  private check(
    stream: string,
    expected: bigint,
    current: bigint,
    events: readonly ProposedEvent[],
  ): { kind: 'ok' } | AppendOutcome {
    const wrong = { kind: 'wrong-expected-version', currentRevision: current } as const;
    if (expected === EXPECT_STREAM_EXISTS && current < 0n) return wrong;
    if (expected === EXPECT_ANY || expected === EXPECT_STREAM_EXISTS) return this.weakIdempotency(stream, events);
    if (expected > current) return wrong;
    if (expected === current) return { kind: 'ok' };
    // Writing earlier than the end: a retry of an earlier write, or a conflict.
    const list = this.streams.get(stream) ?? [];
    for (let i = 0; i < events.length; i++) {
      const at = list[Number(expected) + 1 + i];
      if (at && at.id === events[i].id) continue;
      // The server answers a half-repeated write (CorruptedIdempotency) as a wrong expected version.
      return wrong;
    }
    if (events.length === 0) return wrong;
    const last = list[Number(expected) + events.length];
    return { kind: 'idempotent', currentRevision: last.revision, position: last.position };
  }

  /** `any` / `stream exists`: the first id decides whether this is a repeat; a half repeat is refused. */
  private weakIdempotency(stream: string, events: readonly ProposedEvent[]): { kind: 'ok' } | AppendOutcome {
    let first: LogRecord | undefined;
    let last: LogRecord | undefined;
    for (const event of events) {
      const found = this.byId.get(event.id);
      if (found && found.stream === stream) {
        first ??= found;
        last = found;
        continue;
      }
      if (first) return { kind: 'wrong-expected-version', currentRevision: this.currentRevision(stream) };
      return { kind: 'ok' };
    }
    if (!last) return { kind: 'ok' };
    return { kind: 'idempotent', currentRevision: last.revision, position: last.position };
  }
}
