import { join } from 'node:path';
import type { StreamAppend } from '../../src/eventstore/event-store.port';
import { SqliteEventStore } from '../../src/eventstore/sqlite/sqlite.event-store';
import { ALL_EVENT_DEFINITIONS } from '../../src/domain/all-events';
import { EventRegistry } from '../../src/events/event-registry';
import { RegisteredEventStore } from '../../src/events/registered-event-store';
import { openSqliteDatabase } from '../../src/storage/sqlite-database';
import { throughputRatio, type Figure } from './figures';
import { eventCount } from './ledger-history';
import { removeDatabase } from './event-store-file';

const ROUNDS = 2;

/**
 * Figure 4: one appendMany of a first download (every licensee stream, expected revisions
 * checked) into a fresh file, against better-sqlite3 inserting the same rows (data and
 * metadata JSON.stringify'd, recordedAt added) with one prepared statement in one
 * transaction, into the same schema on a connection with the same pragmas. Each side runs twice on fresh
 * files; the faster run counts. The registry-checked path the jobs use is reported beside it.
 */
export async function benchAppend(
  dir: string,
  appends: readonly StreamAppend[],
  log: (line: string) => void,
): Promise<Figure[]> {
  const events = eventCount(appends);
  const best = { bare: Infinity, adapter: Infinity, registered: Infinity };
  for (let round = 0; round < ROUNDS; round++) {
    best.bare = Math.min(best.bare, await timed(dir, 'bare', (path) => bareInsert(path, appends)));
    best.adapter = Math.min(best.adapter, await timed(dir, 'adapter', (path) => adapterAppend(path, appends, false)));
    best.registered = Math.min(
      best.registered,
      await timed(dir, 'registered', (path) => adapterAppend(path, appends, true)),
    );
  }
  log(
    `    ${events} events in ${appends.length} streams: bare ${best.bare.toFixed(0)} ms, adapter ${best.adapter.toFixed(0)} ms, with schema checks ${best.registered.toFixed(0)} ms`,
  );
  const perS = (ms: number) => (events / ms) * 1000;
  return [
    throughputRatio(
      'append',
      `SQLite adapter appendMany (${events} events, ${appends.length} streams) vs bare inserts`,
      perS(best.adapter),
      perS(best.bare),
      0.5,
      'events/s',
      {
        events,
        streams: appends.length,
        bareMs: best.bare,
        adapterMs: best.adapter,
        registeredMs: best.registered,
        registeredPerS: perS(best.registered),
      },
    ),
    throughputRatio(
      'append-registered',
      'The same through RegisteredEventStore (schema check per event, as the jobs append)',
      perS(best.registered),
      perS(best.bare),
      0.5,
      'events/s',
      {
        events,
        registeredMs: best.registered,
      },
    ),
  ];
}

async function timed(dir: string, name: string, work: (path: string) => Promise<number>): Promise<number> {
  const path = join(dir, `append-${name}.sqlite`);
  removeDatabase(path);
  // The adapter creates the schema; the bare side gets the very same table and indexes.
  new SqliteEventStore(openSqliteDatabase(path)).close();
  global.gc?.();
  const ms = await work(path);
  removeDatabase(path);
  return ms;
}

async function bareInsert(path: string, appends: readonly StreamAppend[]): Promise<number> {
  const db = openSqliteDatabase(path);
  // The same connection settings as the adapter's (page cache, checkpointing): only its code is compared.
  new SqliteEventStore(db);
  const insert = db.prepare(
    'INSERT INTO events (event_id, stream_id, revision, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const started = performance.now();
  const recordedAt = new Date().toISOString();
  db.transaction(() => {
    for (const a of appends) {
      let revision = a.expectedRevision === 'no-stream' ? -1 : (a.expectedRevision as number);
      for (const e of a.events) {
        insert.run(
          e.id,
          a.streamId,
          ++revision,
          e.type,
          JSON.stringify(e.data),
          JSON.stringify({ ...e.metadata, recordedAt }),
          recordedAt,
        );
      }
    }
  }).immediate();
  const ms = performance.now() - started;
  db.close();
  return ms;
}

async function adapterAppend(path: string, appends: readonly StreamAppend[], registered: boolean): Promise<number> {
  const db = openSqliteDatabase(path);
  const adapter = new SqliteEventStore(db);
  const store = registered ? new RegisteredEventStore(adapter, new EventRegistry(ALL_EVENT_DEFINITIONS)) : adapter;
  const started = performance.now();
  await store.appendMany(appends);
  const ms = performance.now() - started;
  db.close();
  return ms;
}
