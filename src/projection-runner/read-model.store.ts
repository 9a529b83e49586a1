import { randomUUID } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { deserialize, serialize } from 'node:v8';
import { deserializeParts } from '../storage/chunked-serialization';
import type { SqliteDatabase } from '../storage/sqlite-database';
import { asStoreUnavailable } from '../storage/sqlite-errors';

export interface StoredReadModel<State = unknown> {
  readonly name: string;
  readonly version: number;
  /** Last global position folded into the state; null = none yet. */
  readonly position: bigint | null;
  /** The identity of the store the position belongs to (EventStore.identity); null from versions before it was recorded. */
  readonly storeId: string | null;
  readonly state: State;
}

/** Where read models and their checkpoints persist between restarts. */
export interface ReadModelStore {
  load(name: string): StoredReadModel | null;
  /** All given models commit together with their checkpoints, or none does. */
  save(models: readonly StoredReadModel[]): void;
  /**
   * Moves a saved read model's checkpoint without writing its state again (events that did
   * not change it); false when there is no such saved model (name, version and store), and
   * then nothing is written.
   */
  savePosition(model: Omit<StoredReadModel, 'state'>): boolean;
  /**
   * Saves a large read model in parts (src/storage/chunked-serialization.ts), each written as
   * it comes, so that no turn of the event loop holds the whole state's serialisation or its
   * write; nothing is read from them until `commit`.
   */
  saveInParts(model: Omit<StoredReadModel, 'state'>): ReadModelPartsWriter;
  delete(name: string): void;
}

export interface ReadModelPartsWriter {
  /** The next part, written now (a small commit of its own); may take a further turn after it. */
  write(part: Uint8Array): void | Promise<void>;
  /**
   * The parts become the saved state, with its checkpoint, in one transaction. False, and
   * nothing changed, when a part is gone (another process saved the same read model meanwhile).
   */
  commit(): boolean;
  /** Drops the parts written so far (a save given up). */
  abort(): void;
}

/**
 * Read models live in the local SQLite file as V8-serialised blobs (Maps and Sets survive,
 * and it is several times faster than JSON for large states), each row holding its
 * checkpoint so state and position always commit together. A large one is a row pointing at its
 * parts in `read_model_parts` (saveInParts), committed with the same row.
 */
const CHECKPOINT_AFTER_BYTES = 16 * 2 ** 20;
const CHECKPOINT_PARTS_BYTES = 4 * 2 ** 20;
const EMPTY = Buffer.alloc(0);
const MISSING = Symbol('parts missing');

interface SavedRow {
  name: string;
  version: number;
  position: string | null;
  store_id: string | null;
  state: Buffer;
  parts: number | null;
  parts_generation: string | null;
}

export class SqliteReadModelStore implements ReadModelStore {
  constructor(private readonly db: SqliteDatabase) {
    db.exec(`CREATE TABLE IF NOT EXISTS read_models (
      name TEXT PRIMARY KEY, version INTEGER NOT NULL, position TEXT, state BLOB NOT NULL, saved_at TEXT NOT NULL
    )`);
    const columns = db.prepare('PRAGMA table_info(read_models)').all() as { name: string }[];
    if (!columns.some((c) => c.name === 'store_id')) db.exec('ALTER TABLE read_models ADD COLUMN store_id TEXT');
    // A checkpoint moved past events that did not change the state, kept apart from the state's
    // row: SQLite rewrites a whole row (its 90 MB blob too) to update one column of it.
    db.exec(`CREATE TABLE IF NOT EXISTS read_model_advances (
      name TEXT PRIMARY KEY, from_position TEXT, position TEXT, saved_at TEXT NOT NULL
    )`);
    // A state saved in parts: `parts` of them under one generation (null: the state column is the whole blob).
    if (!columns.some((c) => c.name === 'parts')) {
      db.exec('ALTER TABLE read_models ADD COLUMN parts INTEGER');
      db.exec('ALTER TABLE read_models ADD COLUMN parts_generation TEXT');
    }
    db.exec(`CREATE TABLE IF NOT EXISTS read_model_parts (
      name TEXT NOT NULL, generation TEXT NOT NULL, part INTEGER NOT NULL, data BLOB NOT NULL,
      PRIMARY KEY (name, generation, part)
    )`);
  }

  load(name: string): StoredReadModel | null {
    const row = this.db
      .prepare(
        'SELECT name, version, position, store_id, state, parts, parts_generation FROM read_models WHERE name = ?',
      )
      .get(name) as SavedRow | undefined;
    if (!row) return null;
    const state = row.parts === null ? deserialize(row.state) : this.loadParts(row);
    // Parts gone missing (a file edited by hand, say) are no saved state: the read model is folded again.
    if (state === MISSING) return null;
    const advance = this.db
      .prepare('SELECT from_position, position FROM read_model_advances WHERE name = ?')
      .get(name) as { from_position: string | null; position: string | null } | undefined;
    // Only an advance from the position the state was saved at applies to it.
    const position = advance && advance.from_position === row.position ? advance.position : row.position;
    return {
      name: row.name,
      version: row.version,
      position: position === null ? null : BigInt(position),
      storeId: row.store_id,
      state,
    };
  }

  private loadParts(row: SavedRow): unknown {
    const parts = this.db
      .prepare('SELECT data FROM read_model_parts WHERE name = ? AND generation = ? ORDER BY part')
      .raw(true)
      .all(row.name, row.parts_generation) as [Buffer][];
    return parts.length === row.parts ? deserializeParts(parts.map(([data]) => data)) : MISSING;
  }

  save(models: readonly StoredReadModel[]): void {
    const blobs = models.map((m) => serialize(m.state));
    this.db.transaction(() => models.forEach((m, i) => this.saveRow(m, blobs[i], null)))();
    this.checkpointIfLarge(blobs.reduce((n, b) => n + b.length, 0));
  }

  saveInParts(model: Omit<StoredReadModel, 'state'>): ReadModelPartsWriter {
    const generation = randomUUID();
    const insert = this.db.prepare('INSERT INTO read_model_parts (name, generation, part, data) VALUES (?, ?, ?, ?)');
    const drop = this.db.prepare('DELETE FROM read_model_parts WHERE name = ? AND generation = ?');
    let parts = 0;
    let sinceCheckpoint = 0;
    return {
      write: async (part) => {
        // Not synced one by one: nothing reads a part before the commit, whose sync (at the
        // connection's level, FULL) makes every earlier frame of the WAL durable with it. ~2 ms a part.
        const level = this.db.pragma('synchronous', { simple: true }) as number;
        this.db.pragma('synchronous = NORMAL');
        try {
          insert.run(model.name, generation, parts, part);
        } finally {
          this.db.pragma(`synchronous = ${level}`);
        }
        parts += 1;
        // Copied into the database a few MB at a time, in a turn of its own (10-20 ms): one
        // checkpoint of the whole save would hold the loop ~0.1 s.
        if ((sinceCheckpoint += part.length) >= CHECKPOINT_PARTS_BYTES) {
          sinceCheckpoint = 0;
          await nextTurn();
          this.checkpoint();
        }
      },
      commit: () => {
        const stale = this.db.transaction(() => {
          const { n } = this.db
            .prepare('SELECT COUNT(*) AS n FROM read_model_parts WHERE name = ? AND generation = ?')
            .get(model.name, generation) as { n: number };
          if (n !== parts) return null;
          this.saveRow(model, EMPTY, { parts, generation });
          return this.db
            .prepare('SELECT DISTINCT generation FROM read_model_parts WHERE name = ? AND generation != ?')
            .pluck()
            .all(model.name, generation) as string[];
        })();
        if (stale === null) drop.run(model.name, generation);
        else this.dropInSteps(model.name, stale);
        return stale !== null;
      },
      abort: () => void drop.run(model.name, generation),
    };
  }

  /**
   * The row with its checkpoint. A whole state drops every saved part of it at once; a state in
   * parts leaves the older parts to `dropInSteps` (deleting 100 MB of them takes ~60 ms).
   */
  private saveRow(
    m: Omit<StoredReadModel, 'state'>,
    state: Buffer,
    saved: { parts: number; generation: string } | null,
  ): void {
    this.db
      .prepare(
        `INSERT INTO read_models (name, version, position, store_id, state, parts, parts_generation, saved_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(name) DO UPDATE SET version = excluded.version, position = excluded.position,
          store_id = excluded.store_id, state = excluded.state, parts = excluded.parts,
          parts_generation = excluded.parts_generation, saved_at = excluded.saved_at`,
      )
      .run(
        m.name,
        m.version,
        m.position === null ? null : m.position.toString(),
        m.storeId,
        state,
        saved?.parts ?? null,
        saved?.generation ?? null,
        new Date().toISOString(),
      );
    if (!saved) this.db.prepare('DELETE FROM read_model_parts WHERE name = ?').run(m.name);
    this.db.prepare('DELETE FROM read_model_advances WHERE name = ?').run(m.name);
  }

  /** Parts no saved state refers to, one per turn of the event loop (what a crash leaves is dropped at the next save). */
  private dropInSteps(name: string, generations: readonly string[]): void {
    const next = this.db
      .prepare('SELECT rowid FROM read_model_parts WHERE name = ? AND generation = ? LIMIT 1')
      .pluck();
    const remove = this.db.prepare('DELETE FROM read_model_parts WHERE rowid = ?');
    let index = 0;
    let dropped = 0;
    const step = () => {
      if (!this.db.open) return;
      try {
        for (; index < generations.length; index++) {
          const rowid = next.get(name, generations[index]);
          if (rowid === undefined) continue;
          remove.run(rowid);
          if (++dropped % 4 === 0) this.checkpoint();
          setImmediate(step);
          return;
        }
        this.checkpoint();
      } catch {
        // The file refused (read-only, full): the parts stay until the next save drops them.
      }
    };
    setImmediate(step);
  }

  /**
   * A large read model is copied from the WAL into the database right after (in the next turn,
   * so requests are served between the two), while the runner saves at a quiet moment, rather
   * than by the event store's next checkpoint in the middle of a job.
   */
  private checkpointIfLarge(bytes: number): void {
    if (bytes >= CHECKPOINT_AFTER_BYTES) setImmediate(() => this.checkpoint());
  }

  private checkpoint(): void {
    try {
      if (this.db.open) this.db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // Another connection may hold the WAL; SQLite or the event store checkpoints later.
    }
  }

  savePosition(model: Omit<StoredReadModel, 'state'>): boolean {
    // Reads the row's leading columns only: SQLite does not load the blob's overflow pages for them.
    const saved = this.db
      .prepare('SELECT position FROM read_models WHERE name = ? AND version = ? AND store_id IS ?')
      .get(model.name, model.version, model.storeId) as { position: string | null } | undefined;
    if (!saved) return false;
    this.db
      .prepare(
        `INSERT INTO read_model_advances (name, from_position, position, saved_at) VALUES (?, ?, ?, ?)
        ON CONFLICT(name) DO UPDATE SET from_position = excluded.from_position, position = excluded.position,
          saved_at = excluded.saved_at`,
      )
      .run(
        model.name,
        saved.position,
        model.position === null ? null : model.position.toString(),
        new Date().toISOString(),
      );
    return true;
  }

  delete(name: string): void {
    try {
      this.db.transaction(() => {
        this.db.prepare('DELETE FROM read_models WHERE name = ?').run(name);
        this.db.prepare('DELETE FROM read_model_advances WHERE name = ?').run(name);
        this.db.prepare('DELETE FROM read_model_parts WHERE name = ?').run(name);
      })();
    } catch (error) {
      throw asStoreUnavailable(error, 'the read model store');
    }
  }
}
