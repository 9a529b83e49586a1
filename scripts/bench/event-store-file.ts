import { rmSync } from 'node:fs';
import type { StreamAppend } from '../../src/eventstore/event-store.port';
import { SqliteEventStore } from '../../src/eventstore/sqlite/sqlite.event-store';
import { ALL_EVENT_DEFINITIONS } from '../../src/domain/all-events';
import { EventRegistry } from '../../src/events/event-registry';
import { RegisteredEventStore } from '../../src/events/registered-event-store';
import { openSqliteDatabase } from '../../src/storage/sqlite-database';
import { eventCount, firstEvents, LedgerHistory } from './ledger-history';

export function removeDatabase(path: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
}

export interface GeneratedStore {
  readonly path: string;
  readonly events: number;
  readonly jobs: number;
  readonly users: number;
  readonly ms: number;
}

/**
 * Writes `events` events of a `users`-user tenant's history into a fresh file through the
 * product's own port (schema-checked, one appendMany per job, as the jobs write), so the
 * rebuild and restart figures read a store the service itself could have written.
 */
export async function generateStore(
  path: string,
  users: number,
  events: number,
  seed: number,
  /** Appended first (not counted in `events`): say, the tenant's profile, for answers about it at past moments. */
  before: readonly StreamAppend[] = [],
): Promise<GeneratedStore> {
  removeDatabase(path);
  const db = openSqliteDatabase(path);
  const store = new RegisteredEventStore(new SqliteEventStore(db), new EventRegistry(ALL_EVENT_DEFINITIONS));
  if (before.length > 0) await store.appendMany(before);
  const history = new LedgerHistory(users, seed);
  const started = performance.now();
  let written = 0;
  let jobs = 0;
  while (written < events) {
    const appends = firstEvents(history.next(), events - written);
    await store.appendMany(appends);
    written += eventCount(appends);
    jobs += 1;
  }
  const ms = performance.now() - started;
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return { path, events: written, jobs, users, ms };
}
