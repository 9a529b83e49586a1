import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../src/eventstore/sqlite/sqlite.event-store';
import { openSqliteDatabase, type SqliteDatabase } from '../../src/storage/sqlite-database';
import { eventStoreContract } from './event-store.contract';

const dir = mkdtempSync(join(tmpdir(), 'll-contract-'));
let db: SqliteDatabase;

eventStoreContract(
  'SQLite file',
  async () => {
    db = openSqliteDatabase(join(dir, 'events.sqlite'));
    return new SqliteEventStore(db, 25);
  },
  async (store) => {
    await store.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  },
);
