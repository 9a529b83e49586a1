import { deserialize, serialize } from 'node:v8';
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
  delete(name: string): void;
}

/**
 * Read models live in the local SQLite file as V8-serialised blobs (Maps and Sets survive,
 * and it is several times faster than JSON for large states), each row holding its
 * checkpoint so state and position always commit together.
 */
const CHECKPOINT_AFTER_BYTES = 16 * 2 ** 20;

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
  }

  load(name: string): StoredReadModel | null {
    const row = this.db
      .prepare('SELECT name, version, position, store_id, state FROM read_models WHERE name = ?')
      .get(name) as
      { name: string; version: number; position: string | null; store_id: string | null; state: Buffer } | undefined;
    if (!row) return null;
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
      state: deserialize(row.state),
    };
  }

  save(models: readonly StoredReadModel[]): void {
    const upsert = this.db
      .prepare(`INSERT INTO read_models (name, version, position, store_id, state, saved_at) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT(name) DO UPDATE SET version = excluded.version, position = excluded.position,
        store_id = excluded.store_id, state = excluded.state, saved_at = excluded.saved_at`);
    const dropAdvance = this.db.prepare('DELETE FROM read_model_advances WHERE name = ?');
    const blobs = models.map((m) => serialize(m.state));
    const now = new Date().toISOString();
    this.db.transaction(() => {
      models.forEach((m, i) => {
        upsert.run(m.name, m.version, m.position === null ? null : m.position.toString(), m.storeId, blobs[i], now);
        dropAdvance.run(m.name);
      });
    })();
    // A large read model is copied from the WAL into the database right after (in the next turn,
    // so requests are served between the two), while the runner saves at a quiet moment, rather
    // than by the event store's next checkpoint in the middle of a job.
    if (blobs.reduce((n, b) => n + b.length, 0) >= CHECKPOINT_AFTER_BYTES) {
      setImmediate(() => {
        try {
          if (this.db.open) this.db.pragma('wal_checkpoint(PASSIVE)');
        } catch {
          // Another connection may hold the WAL; SQLite or the event store checkpoints later.
        }
      });
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
      })();
    } catch (error) {
      throw asStoreUnavailable(error, 'the read model store');
    }
  }
}
