import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineProjection } from '../../projections/projection';
import { EsdbEventStore } from '../../src/eventstore/esdb/esdb.event-store';
import type { EventStore } from '../../src/eventstore/event-store.port';
import { SqliteEventStore } from '../../src/eventstore/sqlite/sqlite.event-store';
import { JsonLogger } from '../../src/logging/logger';
import { ProjectionRunner } from '../../src/projection-runner/projection-runner';
import { SqliteReadModelStore } from '../../src/projection-runner/read-model.store';
import { openSqliteDatabase, type SqliteDatabase } from '../../src/storage/sqlite-database';
import { startEsdbFake, type EsdbFake } from '../support/esdb-fake';
import { testEvent } from '../support/events';

/** Counts what it applies and remembers each event's place: a skipped or repeated event shows. */
const tally = defineProjection<{ applied: number; ids: string[] }, { type: 'Counted'; data: { n: number } }>({
  name: 'tally',
  version: 1,
  initialState: () => ({ applied: 0, ids: [] }),
  handlers: {
    Counted: (state, event) => {
      state.applied += 1;
      state.ids.push(`${event.streamId}@${event.revision}`);
      return state;
    },
  },
});

/** Where the store lives, so a test can switch it or wipe it while the instance keeps its local read models. */
interface StoreHome {
  open(): Promise<EventStore>;
  /** The same place, emptied: a wiped volume, a new server. */
  wipe(): Promise<void>;
  close(): Promise<void>;
}

function sqliteHome(dir: string): StoreHome {
  let db: SqliteDatabase | null = null;
  let generation = 0;
  return {
    async open() {
      db?.close();
      db = openSqliteDatabase(join(dir, `events-${generation}.sqlite`));
      return new SqliteEventStore(db, 20);
    },
    async wipe() {
      generation += 1;
    },
    async close() {
      db?.close();
    },
  };
}

function esdbHome(): StoreHome {
  let fake: EsdbFake | null = null;
  let client: EsdbEventStore | null = null;
  return {
    async open() {
      await client?.close();
      fake ??= await startEsdbFake();
      client = EsdbEventStore.connect(fake.connectionString, { streamPrefix: 'ledger_' });
      return client;
    },
    async wipe() {
      await client?.close();
      await fake?.stop();
      client = null;
      fake = null;
    },
    async close() {
      await client?.close();
      await fake?.stop();
    },
  };
}

describe.each([
  ['SQLite', 'sqlite'],
  ['the EventStoreDB test server', 'esdb'],
] as const)('read-model checkpoints are bound to their store: %s', (_name, kind) => {
  let dir: string;
  let local: SqliteDatabase;
  let home: StoreHome;
  let logs: string[];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'll-identity-'));
    // The instance's own file: read models and checkpoints, apart from the events (as with EventStoreDB).
    local = openSqliteDatabase(join(dir, 'local.sqlite'));
    home = kind === 'sqlite' ? sqliteHome(dir) : esdbHome();
    logs = [];
  });
  afterEach(async () => {
    await home.close();
    local.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const runOnce = async (store: EventStore) => {
    const runner = new ProjectionRunner(
      store,
      new SqliteReadModelStore(local),
      [tally],
      new JsonLogger('info', (line) => logs.push(line)),
      { persistEveryMs: 60_000 },
    );
    await runner.start();
    const head = await store.headPosition();
    if (head !== null) await runner.waitFor(head);
    const state = { ...runner.state(tally), ids: [...runner.state(tally).ids] };
    await runner.stop();
    return state;
  };
  const append = async (store: EventStore, stream: string, count: number) => {
    for (let i = 0; i < count; i++) await store.append(stream, [testEvent('Counted', { n: i })], 'any');
  };

  it('the same store resumes from its checkpoints', async () => {
    const store = await home.open();
    await append(store, 'c-1', 5);
    expect((await runOnce(store)).applied).toBe(5);
    await append(store, 'c-1', 2);
    const again = await home.open();
    expect((await runOnce(again)).applied).toBe(7);
    expect(logs.filter((l) => l.includes('rebuilding from position 0'))).toEqual([]);
  });

  it('a wiped store is folded again from position 0, and the log says why; nothing is skipped or kept from before', async () => {
    const first = await home.open();
    const firstId = await first.identity();
    await append(first, 'c-1', 10);
    expect((await runOnce(first)).applied).toBe(10);

    await home.wipe();
    const second = await home.open();
    expect(await second.identity()).not.toBe(firstId);
    // Fewer events than before: their positions lie below the old checkpoint, which would have skipped them.
    await append(second, 'c-2', 3);
    const folded = await runOnce(second);
    expect(folded.applied).toBe(3);
    expect(folded.ids).toEqual((await second.readStream('c-2')).map((e) => `${e.streamId}@${e.revision}`));
    const line = logs.find((l) => l.includes('belongs to another store'));
    expect(line).toBeDefined();
    expect(JSON.parse(line!)).toMatchObject({
      level: 'warn',
      projection: 'tally',
      checkpointStore: firstId,
      store: await second.identity(),
    });
  });

  it('a checkpoint saved before stores had an identity is not trusted: folded again, with a log line', async () => {
    const store = await home.open();
    await append(store, 'c-1', 4);
    new SqliteReadModelStore(local).save([
      {
        name: 'tally',
        version: 1,
        position: (await store.headPosition())!,
        storeId: null,
        state: { applied: 99, ids: [] },
      },
    ]);
    expect((await runOnce(store)).applied).toBe(4);
    expect(logs.some((l) => l.includes('does not say which store it came from'))).toBe(true);
  });
});

describe('store identity on EventStoreDB', () => {
  let fake: EsdbFake;
  const clients: EsdbEventStore[] = [];
  const open = (streamPrefix: string) => {
    const client = EsdbEventStore.connect(fake.connectionString, { streamPrefix });
    clients.push(client);
    return client;
  };
  beforeEach(async () => {
    fake = await startEsdbFake();
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) await client.close();
    await fake.stop();
  });

  it('instances starting at once on one store agree on one identity; another prefix is another store', async () => {
    const ids = await Promise.all([open('ledger_'), open('ledger_'), open('ledger_')].map((c) => c.identity()));
    expect(new Set(ids).size).toBe(1);
    expect(await open('ledger_').identity()).toBe(ids[0]);
    expect(await open('other_').identity()).not.toBe(ids[0]);
    // Written once per prefix, in a bookkeeping stream no read of the log shows.
    expect(fake.log.records.filter((r) => r.stream === 'ledger__store-identity')).toHaveLength(1);
    expect(await open('ledger_').readAll()).toEqual([]);
  });
});
