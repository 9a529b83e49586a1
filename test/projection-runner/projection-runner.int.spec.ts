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

  describe('events handed over by the write path (applyWritten)', () => {
    /** What the write path hands over: the events as the store now holds them. */
    const written = async (after: bigint) => store.readAll({ after, maxCount: 1000 });

    it('folds them at once, each once, and the feed does not apply them again', async () => {
      await appendCounted('a-1', 3);
      const r = runner();
      await r.start();
      await r.waitFor((await store.headPosition())!);
      const before = (await store.headPosition())!;
      await store.appendMany(
        ['h-1', 'h-2'].map((streamId) => ({
          streamId,
          expectedRevision: 'no-stream' as const,
          events: [testEvent('Counted', { n: 1 }), testEvent('Counted', { n: 2 })],
        })),
      );
      const events = await written(before);
      // Whatever the feed took first is skipped; the rest is applied here, up to the head.
      expect(r.applyWritten(events) ?? r.currentPosition()).toBe(events[events.length - 1].position);
      expect(r.applyWritten(events)).toBeNull();
      await appendCounted('c-1', 1);
      await r.waitFor((await store.headPosition())!);
      const state = r.state(tally);
      expect(state.applied).toBe(3 + 4 + 1);
      expect(state.byStream.get('h-2')).toBe(3);
      await r.stop();
    });

    it('stops at a gap (another writer in between) and leaves the rest to the feed', async () => {
      await appendCounted('a-1', 2);
      const r = runner();
      await r.start();
      await r.waitFor((await store.headPosition())!);
      const other = new SqliteEventStore(openSqliteDatabase(join(dir, 'events.sqlite')), 20);
      const before = (await store.headPosition())!;
      await other.append('o-1', [testEvent('Counted', { n: 10 })], 'no-stream'); // another process: no signal here
      await store.append('m-1', [testEvent('Counted', { n: 1 })], 'no-stream');
      const events = await written(before);
      expect(r.applyWritten(events.slice(1))).toBeNull(); // ours follow one the runner has not seen
      await r.waitFor((await store.headPosition())!);
      expect(r.state(tally).applied).toBe(2 + 2);
      expect(r.state(tally).byStream.get('o-1')).toBe(10);
      await r.stop();
      await other.close();
    });

    it('applies nothing before the runner has caught up', async () => {
      await appendCounted('a-1', 2);
      const r = runner();
      expect(r.applyWritten(await written(0n))).toBeNull();
      await r.start();
      await r.waitFor((await store.headPosition())!);
      expect(r.state(tally).applied).toBe(2);
      await r.stop();
    });
  });

  it('moves the checkpoint of a read model no event changed without writing its state again', async () => {
    await appendCounted('a-1', 2);
    const models = new SqliteReadModelStore(db);
    const writes: string[] = [];
    const counting = {
      load: (name: string) => models.load(name),
      delete: (name: string) => models.delete(name),
      save: (list: Parameters<SqliteReadModelStore['save']>[0]) => {
        list.forEach((m) => writes.push(`state ${m.name}`));
        models.save(list);
      },
      savePosition: (model: Parameters<SqliteReadModelStore['savePosition']>[0]) => {
        const moved = models.savePosition(model);
        writes.push(`${moved ? 'position' : 'no row'} ${model.name}`);
        return moved;
      },
    };
    const r = new ProjectionRunner(store, counting, [tally], logger, { persistEveryMs: 60_000 });
    await r.start();
    await r.waitFor((await store.headPosition())!);
    r.persist();
    expect(writes).toEqual(['state tally']);
    await store.append('x-1', [testEvent('Other')], 'no-stream'); // tally has no handler for it
    const head = (await store.headPosition())!;
    await r.waitFor(head);
    r.persist();
    expect(writes).toEqual(['state tally', 'position tally']);
    expect(models.load('tally')).toMatchObject({ position: head, state: { applied: 2 } });
    await store.append('x-2', [testEvent('Counted', { n: 1 })], 'no-stream');
    await r.waitFor((await store.headPosition())!);
    r.persist();
    expect(writes).toEqual(['state tally', 'position tally', 'state tally']);
    expect(models.load('tally')).toMatchObject({ state: { applied: 3 } });
    await r.stop();
  });
});
