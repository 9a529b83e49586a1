import { ConcurrencyError } from '../eventstore/errors';
import type { JsonObject } from '../shared/json';
import type { SqliteDatabase } from '../storage/sqlite-database';
import { asStoreUnavailable } from '../storage/sqlite-errors';
import { VaultRecordDestroyed, type SecretVault, type VaultEntry } from './vault';

/**
 * The secret vault in the SQLite file every instance on that file shares: one row per
 * record, a version for conditional writes, and the names destroyed (never written again).
 * Destroying overwrites the record with zeros before deleting the row, so the database file
 * keeps no copy once SQLite has checkpointed that page; the WAL keeps the earlier page
 * image until SQLite reuses it, and backups keep theirs.
 */
export class SqliteVault implements SecretVault {
  readonly kind = 'sqlite' as const;

  constructor(private readonly db: SqliteDatabase) {
    db.exec(`CREATE TABLE IF NOT EXISTS vault (
      name TEXT PRIMARY KEY, version INTEGER NOT NULL, record TEXT NOT NULL, written_at TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS vault_destroyed (name TEXT PRIMARY KEY, destroyed_at TEXT NOT NULL)`);
  }

  async read(name: string): Promise<VaultEntry | null> {
    const row = usable(() => this.db.prepare('SELECT version, record FROM vault WHERE name = ?').get(name)) as
      { version: number; record: string } | undefined;
    return row ? { record: JSON.parse(row.record) as JsonObject, version: row.version } : null;
  }

  async write(name: string, record: JsonObject, expected: number | null): Promise<number> {
    return usable(() =>
      this.db
        .transaction(() => {
          if (this.db.prepare('SELECT 1 FROM vault_destroyed WHERE name = ?').get(name))
            throw new VaultRecordDestroyed(name);
          const row = this.db.prepare('SELECT version FROM vault WHERE name = ?').get(name) as
            { version: number } | undefined;
          const current = row?.version ?? null;
          if (current !== expected)
            throw new ConcurrencyError(name, expected ?? 'no-stream', current === null ? 'no-stream' : current);
          const version = current === null ? 0 : current + 1;
          this.db
            .prepare(
              `INSERT INTO vault (name, version, record, written_at) VALUES (?, ?, ?, ?)
             ON CONFLICT(name) DO UPDATE SET version = excluded.version, record = excluded.record, written_at = excluded.written_at`,
            )
            .run(name, version, JSON.stringify(record), new Date().toISOString());
          return version;
        })
        .immediate(),
    );
  }

  async destroy(name: string): Promise<void> {
    usable(() =>
      this.db
        .transaction(() => {
          this.db
            .prepare("UPDATE vault SET record = replace(hex(zeroblob(length(record))), '00', '0') WHERE name = ?")
            .run(name);
          this.db.prepare('DELETE FROM vault WHERE name = ?').run(name);
          this.db
            .prepare('INSERT OR IGNORE INTO vault_destroyed (name, destroyed_at) VALUES (?, ?)')
            .run(name, new Date().toISOString());
        })
        .immediate(),
    );
  }
}

/** A read-only or full database is the store being unavailable (503), not an internal error (500). */
function usable<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw asStoreUnavailable(error, 'the secret vault');
  }
}
