import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineProjection } from '../../projections/projection';
import type { EventStore } from '../../src/eventstore/event-store.port';
import { SqliteEventStore } from '../../src/eventstore/sqlite/sqlite.event-store';
import { JsonLogger } from '../../src/logging/logger';
import { ProjectionRunner } from '../../src/projection-runner/projection-runner';
import { SqliteReadModelStore } from '../../src/projection-runner/read-model.store';
import { openSqliteDatabase, type SqliteDatabase } from '../../src/storage/sqlite-database';
import { testEvent } from '../support/events';

type Tally = { applied: number; byStream: Map<string, number>; seen: Set<string> };

/** Counts every event it applies; a duplicate application would show in `applied`. */
const tally = defineProjection<Tally, { type: 'Counted'; data: { n: number } } | { type: 'Other'; data: unknown }>({
  name: 'tally',
  version: 1,
  initialState: () => ({ applied: 0, byStream: new Map(), seen: new Set() }),
  handlers: {
    Counted: (state, event) => {
      state.applied += 1;
      state.byStream.set(event.streamId, (state.byStream.get(event.streamId) ?? 0) + event.data.n);
      state.seen.add(`${event.streamId}@${event.revision}`);
      return state;
    },
  },
});

const logger = new JsonLogger('silent');

describe('projection runner', () => {
  let dir: string;
  let db: SqliteDatabase;
  let store: EventStore;
  const open = () => {
    db = openSqliteDatabase(join(dir, 'events.sqlite'));
    store = new SqliteEventStore(db, 20);
  };
  const runner = () =>
    new ProjectionRunner(store, new SqliteReadModelStore(db), [tally], logger, {
      persistEveryMs: 60_000,
      catchUpBatch: 7,
    });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'll-runner-'));
    open();
  });
  afterEach(() => {
    if (db.open) db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const appendCounted = async (stream: string, count: number) => {
    for (let i = 0; i < count; i++)
      await store.append(stream, [testEvent('Counted', { n: 1 }), testEvent('Other')], 'any');
  };

  it('catches up on history, then follows live appends, applying each event once', async () => {
    await appendCounted('a-1', 20);
    const r = runner();
    await r.start();
    const head = (await store.headPosition())!;
    await r.waitFor(head);
    expect(r.isCaughtUp()).toBe(true);
    await appendCounted('b-1', 5);
    await r.waitFor((await store.headPosition())!);
    const state = r.state(tally);
    expect(state.applied).toBe(25);
    expect(state.seen.size).toBe(25);
    expect(state.byStream.get('b-1')).toBe(5);
    await r.stop();
  });

  it('a restarted runner resumes from its checkpoint instead of replaying everything', async () => {
    await appendCounted('a-1', 10);
    const first = runner();
    await first.start();
    await first.waitFor((await store.headPosition())!);
    await first.stop();
    const checkpoint = first.status()[0].position;

    db.close();
    open();
    await appendCounted('a-1', 3);
    const second = runner();
    const replayed: bigint[] = [];
    second.onEvent((e) => replayed.push(e.position));
    await second.start();
    await second.waitFor((await store.headPosition())!);
    expect(replayed.every((p) => p > BigInt(checkpoint!))).toBe(true);
    expect(replayed.filter((_, i) => i % 2 === 0)).toHaveLength(3);
    expect(second.state(tally).applied).toBe(13);
    await second.stop();
  });

  it('a rebuild from position 0 gives the same read model', async () => {
    await appendCounted('a-1', 8);
    await appendCounted('c-1', 4);
    const r = runner();
    await r.start();
    await r.waitFor((await store.headPosition())!);
    const before = r.state(tally);
    const snapshot = { applied: before.applied, byStream: [...before.byStream], seen: [...before.seen].sort() };
    await r.rebuild('tally');
    const after = r.state(tally);
    expect(after).not.toBe(before);
    expect({ applied: after.applied, byStream: [...after.byStream], seen: [...after.seen].sort() }).toEqual(snapshot);
    await r.stop();
  });

  it('rebuilds a read model whose definition version changed', async () => {
    await appendCounted('a-1', 2);
    const r = runner();
    await r.start();
    await r.waitFor((await store.headPosition())!);
    await r.stop();
    const readModels = new SqliteReadModelStore(db);
    readModels.save([
      {
        name: 'tally',
        version: 0,
        position: (await store.headPosition())!,
        storeId: await store.identity(),
        state: { applied: 999, byStream: new Map(), seen: new Set() },
      },
    ]);
    const again = runner();
    await again.start();
    await again.waitFor((await store.headPosition())!);
    expect(again.state(tally).applied).toBe(2);
    await again.stop();
  });

  it('is not caught up until it has folded what the store held at start', async () => {
    await appendCounted('a-1', 50);
    const r = runner();
    expect(r.isCaughtUp()).toBe(false);
    await r.start();
    await r.waitFor((await store.headPosition())!);
    expect(r.isCaughtUp()).toBe(true);
    await r.stop();
  });
});
