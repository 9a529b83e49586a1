// Longer than 300 lines: one adapter implementing the whole EventStore port over one SQLite file
// (append, bulk append, reads, positions, subscription); splitting it would scatter the statements
// that must stay consistent with each other and with the schema.
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from '../../storage/sqlite-database';
import { ConcurrencyError, IdempotencyError } from '../errors';
import { asStoreUnavailable } from '../../storage/sqlite-errors';
import type {
  AppendResult,
  EventMetadata,
  EventStore,
  EventSubscription,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamAppend,
} from '../event-store.port';
import { PollingSubscription } from './polling-subscription';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  position    INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id    TEXT    NOT NULL UNIQUE,
  stream_id   TEXT    NOT NULL,
  revision    INTEGER NOT NULL,
  type        TEXT    NOT NULL,
  data        TEXT    NOT NULL,
  metadata    TEXT    NOT NULL,
  recorded_at TEXT    NOT NULL,
  UNIQUE (stream_id, revision)
);
CREATE TABLE IF NOT EXISTS store_identity (
  singleton  INTEGER PRIMARY KEY CHECK (singleton = 1),
  store_id   TEXT    NOT NULL,
  created_at TEXT    NOT NULL
);`;

type Row = [
  position: number,
  eventId: string,
  streamId: string,
  revision: number,
  type: string,
  data: string,
  metadata: string,
  recordedAt: string,
];
const COLUMNS = 'position, event_id, stream_id, revision, type, data, metadata, recorded_at';
const PAGE_CACHE_KIB = 64 * 1024;
/**
 * SQLite checkpoints the WAL into the database inside the commit that takes it past 1,000
 * pages: a job's 250,000-event append then waits ~0.5 s for its own checkpoint. Checkpoints
 * run instead once appends have paused for CHECKPOINT_WHEN_QUIET_MS, with SQLite's automatic
 * one kept as the bound (CHECKPOINT_BOUND_PAGES of 4 KiB) for writers that never pause.
 */
const CHECKPOINT_WHEN_QUIET_MS = 1_000;
const CHECKPOINT_BOUND_PAGES = 65_536;

/**
 * The embedded event store: one SQLite file, one table. Positions are SQLite's
 * AUTOINCREMENT row ids, assigned under the single writer lock, so they are gap-free in
 * commit order and a poller can never see position n+1 before n.
 */
export class SqliteEventStore implements EventStore {
  readonly kind = 'sqlite' as const;
  private readonly appended = new EventEmitter();
  private readonly statements: ReturnType<typeof prepare>;
  private closed = false;
  private lastMetadata: { keys: string[]; values: unknown[]; recordedAt: string; text: string } | null = null;
  private checkpointTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly pollIntervalMs = 250,
  ) {
    db.exec(SCHEMA);
    // SQLite's default 2 MiB page cache cannot hold the two unique indexes of a 250,000-event
    // tenant: every insert of a job's bulk append then evicts and re-reads random index pages
    // (and spills them to the WAL mid-transaction). 64 MiB keeps them resident (BENCHMARKS.md).
    db.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
    db.pragma(`wal_autocheckpoint = ${CHECKPOINT_BOUND_PAGES}`);
    this.statements = prepare(db);
    this.appended.setMaxListeners(0);
  }

  async append(
    streamId: string,
    events: readonly NewEvent[],
    expectedRevision: ExpectedRevision,
  ): Promise<AppendResult> {
    const [result] = await this.appendMany([{ streamId, events, expectedRevision }]);
    return result;
  }

  async appendMany(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    let recordedAt = '';
    const results = this.write(() => {
      recordedAt = this.monotonicNow();
      return appends.map((a) => this.appendOne(a, recordedAt));
    });
    if (results.some((r, i) => appends[i].events.length > 0 && r.wrote)) {
      this.appended.emit('appended');
      this.checkpointWhenQuiet();
    }
    return results.map(({ nextExpectedRevision, position, wrote }, i) =>
      wrote
        ? {
            nextExpectedRevision,
            position,
            written: { firstPosition: position - BigInt(appends[i].events.length - 1), recordedAt },
          }
        : { nextExpectedRevision, position },
    );
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const rows = this.read(
      () => this.statements.readStream.all(streamId, options.fromRevision ?? 0, options.maxCount ?? -1) as Row[],
    );
    return recordedEvents(rows);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    return this.readAllSync(options);
  }

  async readAt(positions: readonly bigint[]): Promise<RecordedEvent[]> {
    const found = new Map<bigint, RecordedEvent>();
    for (let i = 0; i < positions.length; i += 500) {
      const chunk = positions.slice(i, i + 500).map(Number);
      const rows = this.read(
        () =>
          this.db
            .prepare(`SELECT ${COLUMNS} FROM events WHERE position IN (${chunk.map(() => '?').join(',')})`)
            .raw(true)
            .all(...chunk) as Row[],
      );
      for (const row of rows) found.set(BigInt(row[0]), toRecorded(row));
    }
    return positions.flatMap((p) => found.get(p) ?? []);
  }

  subscribeAll(after: bigint | null = null): EventSubscription {
    return new PollingSubscription(
      (from, max) => this.readAllSync({ after: from, maxCount: max }),
      this.appended,
      after,
      this.pollIntervalMs,
    );
  }

  async headPosition(): Promise<bigint | null> {
    const row = this.read(() => this.statements.head.get() as { head: number | null });
    return row.head === null ? null : BigInt(row.head);
  }

  /** Written on first use into this file, beside the events: a new or replaced file has a new one. */
  async identity(): Promise<string> {
    return this.write(() => {
      this.db
        .prepare('INSERT OR IGNORE INTO store_identity (singleton, store_id, created_at) VALUES (1, ?, ?)')
        .run(randomUUID(), new Date().toISOString());
      return (this.db.prepare('SELECT store_id FROM store_identity').get() as { store_id: string }).store_id;
    });
  }

  /** A read, then an empty write transaction: it takes the file's write lock (a read-only or locked file fails) and adds nothing. */
  async probe(): Promise<void> {
    this.read(() => this.statements.head.get());
    this.write(() => undefined);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.checkpointTimer) clearTimeout(this.checkpointTimer);
    this.appended.emit('closed');
  }

  private readAllSync(options: ReadAllOptions): RecordedEvent[] {
    const after = Number(options.after ?? 0n);
    const max = options.maxCount ?? 1000;
    const types = options.types;
    if (!types || types.length === 0) {
      return recordedEvents(this.read(() => this.statements.readAll.all(after, max)) as Row[]);
    }
    const placeholders = types.map(() => '?').join(',');
    const rows = this.read(
      () =>
        this.db
          .prepare(
            `SELECT ${COLUMNS} FROM events WHERE position > ? AND type IN (${placeholders}) ORDER BY position LIMIT ?`,
          )
          .raw(true)
          .all(after, ...types, max) as Row[],
    );
    return recordedEvents(rows);
  }

  private appendOne(a: StreamAppend, recordedAt: string): AppendResult & { wrote: boolean } {
    const current = (this.statements.streamRevision.get(a.streamId) as { revision: number | null }).revision ?? -1;
    if (a.events.length === 0) {
      checkExpected(a.streamId, a.expectedRevision, current);
      const head = this.statements.head.get() as { head: number | null };
      return { nextExpectedRevision: current, position: BigInt(head.head ?? 0), wrote: false };
    }
    // A repeated append is recognised by its first id. Looking that id up only when the
    // revision check fails or the insert collides saves an index probe per stream of a bulk
    // append and decides exactly as looking it up first would.
    if (!isExpected(a.expectedRevision, current)) {
      const earlier = this.earlierAppend(a);
      if (earlier) return { ...this.repeatedAppend(a, earlier), wrote: false };
      checkExpected(a.streamId, a.expectedRevision, current);
    }
    let revision = current;
    let position = 0;
    for (let i = 0; i < a.events.length; i++) {
      const event = a.events[i];
      revision += 1;
      const metadata = this.metadataText(event.metadata, recordedAt);
      try {
        const info = this.statements.insert.run(
          event.id,
          a.streamId,
          revision,
          event.type,
          JSON.stringify(event.data),
          metadata,
          recordedAt,
        );
        position = Number(info.lastInsertRowid);
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        // Only the event id can collide (the revision is the stream's next); nothing of this append is written yet.
        const earlier = i === 0 ? this.earlierAppend(a) : undefined;
        if (earlier) return { ...this.repeatedAppend(a, earlier), wrote: false };
        throw new IdempotencyError(a.streamId);
      }
    }
    return { nextExpectedRevision: revision, position: BigInt(position), wrote: true };
  }

  private checkpointWhenQuiet(): void {
    if (this.checkpointTimer) clearTimeout(this.checkpointTimer);
    this.checkpointTimer = setTimeout(() => {
      this.checkpointTimer = null;
      if (this.closed || !this.db.open) return;
      try {
        // PASSIVE: copies what no reader still needs and never waits for other connections.
        this.db.pragma('wal_checkpoint(PASSIVE)');
      } catch {
        // A busy or closing database checkpoints at the next quiet moment or at SQLite's bound.
      }
    }, CHECKPOINT_WHEN_QUIET_MS);
    this.checkpointTimer.unref();
  }

  /**
   * The stored metadata JSON. A job's events each carry their own metadata object with the
   * same fields (actor, correlation, schema version), so the text of the previous event is
   * reused when every field is the same value in the same order.
   */
  private metadataText(metadata: NewEvent['metadata'], recordedAt: string): string {
    const keys = Object.keys(metadata);
    const last = this.lastMetadata;
    if (last && last.recordedAt === recordedAt && last.keys.length === keys.length) {
      let same = true;
      for (let i = 0; same && i < keys.length; i++)
        same = keys[i] === last.keys[i] && metadata[keys[i]] === last.values[i];
      if (same) return last.text;
    }
    const text = JSON.stringify({ ...metadata, recordedAt });
    this.lastMetadata = { keys, values: keys.map((k) => metadata[k]), recordedAt, text };
    return text;
  }

  private earlierAppend(a: StreamAppend): { stream_id: string; revision: number; position: number } | undefined {
    return this.statements.findEvent.get(a.events[0].id) as
      { stream_id: string; revision: number; position: number } | undefined;
  }

  /** Every id of the append must already be in this stream, in order: then it is a no-op. */
  private repeatedAppend(
    a: StreamAppend,
    first: { stream_id: string; revision: number; position: number },
  ): AppendResult {
    if (first.stream_id !== a.streamId) throw new IdempotencyError(a.streamId);
    let last = first;
    for (let i = 1; i < a.events.length; i++) {
      const found = this.statements.findEvent.get(a.events[i].id) as typeof first | undefined;
      if (!found || found.stream_id !== a.streamId || found.revision !== first.revision + i)
        throw new IdempotencyError(a.streamId);
      last = found;
    }
    return { nextExpectedRevision: last.revision, position: BigInt(last.position) };
  }

  /** recorded_at never goes backwards, even across processes sharing the file. */
  private monotonicNow(): string {
    const now = new Date().toISOString();
    const last = (this.statements.lastRecordedAt.get() as { recorded_at: string } | undefined)?.recorded_at;
    return last && last > now ? last : now;
  }

  private write<T>(work: () => T): T {
    try {
      return this.db.transaction(work).immediate();
    } catch (error) {
      throw translate(error);
    }
  }

  private read<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      throw translate(error);
    }
  }
}

function prepare(db: SqliteDatabase) {
  const raw = (sql: string): Statement => db.prepare(sql).raw(true);
  return {
    insert: db.prepare(
      'INSERT INTO events (event_id, stream_id, revision, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    streamRevision: db.prepare('SELECT MAX(revision) AS revision FROM events WHERE stream_id = ?'),
    findEvent: db.prepare('SELECT stream_id, revision, position FROM events WHERE event_id = ?'),
    head: db.prepare('SELECT MAX(position) AS head FROM events'),
    lastRecordedAt: db.prepare('SELECT recorded_at FROM events ORDER BY position DESC LIMIT 1'),
    readStream: raw(`SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ?`),
    readAll: raw(`SELECT ${COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`),
  };
}

/**
 * The events of one append share their metadata text (actor, correlation, recordedAt), so a
 * row whose metadata equals the previous row's reuses its parsed object: reading a job's
 * 250,000 events back parses it once instead of 250,000 times. Events are read-only.
 */
function recordedEvents(rows: readonly Row[]): RecordedEvent[] {
  const events = new Array<RecordedEvent>(rows.length);
  let text: string | null = null;
  let parsed: EventMetadata | null = null;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (row[6] !== text) {
      text = row[6];
      parsed = JSON.parse(text) as EventMetadata;
    }
    events[i] = toRecorded(row, parsed!);
  }
  return events;
}

function toRecorded(row: Row, metadata: EventMetadata = JSON.parse(row[6])): RecordedEvent {
  return {
    position: BigInt(row[0]),
    id: row[1],
    streamId: row[2],
    revision: row[3],
    type: row[4],
    data: JSON.parse(row[5]),
    metadata,
    recordedAt: row[7],
  };
}

function isExpected(expected: ExpectedRevision, current: number): boolean {
  return (
    expected === 'any' ||
    (expected === 'no-stream' && current === -1) ||
    (expected === 'exists' && current >= 0) ||
    (typeof expected === 'number' && expected === current)
  );
}

function checkExpected(streamId: string, expected: ExpectedRevision, current: number): void {
  if (!isExpected(expected, current))
    throw new ConcurrencyError(streamId, expected, current === -1 ? 'no-stream' : current);
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE';
}

const translate = (error: unknown): unknown => asStoreUnavailable(error, 'event store');
