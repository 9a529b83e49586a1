import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineProjection } from '../../projections/projection';
import type { EventStore } from '../../src/eventstore/event-store.port';
import { SqliteEventStore } from '../../src/eventstore/sqlite/sqlite.event-store';
import { JsonLogger } from '../../src/logging/logger';
import { ProjectionRunner } from '../../src/projection-runner/projection-runner';
import { SqliteReadModelStore } from '../../src/projection-runner/read-model.store';
import { serializeInSteps } from '../../src/storage/chunked-serialization';
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
      saveInParts: (model: Parameters<SqliteReadModelStore['saveInParts']>[0]) => models.saveInParts(model),
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

  describe('a large read model saved in parts', () => {
    // A failed expectation must not leave a runner following the store (Jest would never exit).
    const stopAfter: ProjectionRunner[] = [];
    afterEach(() => Promise.all(stopAfter.splice(0).map((r) => r.stop())));
    /** One entry per stream: a Map of thousands of entries is written a thousand entries per turn. */
    const streams = defineProjection<Map<string, number>, { type: 'Counted'; data: { n: number } }>({
      name: 'streams',
      version: 1,
      initialState: () => new Map(),
      saveInParts: true,
      handlers: { Counted: (state, event) => state.set(event.streamId, (state.get(event.streamId) ?? 0) + 1) },
    });
    const appendStreams = (prefix: string, count: number) =>
      store.appendMany(
        Array.from({ length: count }, (_, i) => ({
          streamId: `${prefix}-${i}`,
          expectedRevision: 'no-stream' as const,
          events: [testEvent('Counted', { n: 1 })],
        })),
      );

    it('holds events back while it is written, so the parts are one state at one checkpoint', async () => {
      await appendStreams('early', 4_500);
      const models = new SqliteReadModelStore(db);
      const r = new ProjectionRunner(store, models, [streams], logger, { persistEveryMs: 60_000 });
      await r.start();
      stopAfter.push(r);
      await r.whenCaughtUp();
      // New streams arrive, a turn apart, while the save after catching up is under way.
      let late = 0;
      let saved = models.load('streams');
      while (!saved) {
        await appendStreams(`late${late++}`, 1);
        await new Promise((resolve) => setImmediate(resolve));
        saved = models.load('streams');
      }
      expect(late).toBeGreaterThan(1);
      const state = saved.state as Map<string, number>;
      const atCheckpoint = await store.readAll({ after: null, maxCount: 10_000 });
      const streamsAtCheckpoint = new Set(
        atCheckpoint.filter((e) => e.position <= saved!.position!).map((e) => e.streamId),
      );
      expect(state.size).toBe(streamsAtCheckpoint.size);
      expect([...state.keys()].every((id) => streamsAtCheckpoint.has(id))).toBe(true);
      // Then the held-back events are applied.
      await r.waitFor((await store.headPosition())!);
      expect(r.state(streams).size).toBe(4_500 + late);
      await r.stop();
      // The next start restores it (the shutdown saved it whole) and goes on from its checkpoint.
      const again = new ProjectionRunner(store, models, [streams], logger, { persistEveryMs: 60_000 });
      await again.start();
      stopAfter.push(again);
      await again.whenCaughtUp();
      expect(again.state(streams).size).toBe(4_500 + late);
      await again.stop();
    });

    it('restores a state from its parts; parts gone missing are no saved state; a save given up leaves none', async () => {
      const models = new SqliteReadModelStore(db);
      const state = new Map(Array.from({ length: 2_500 }, (_, i) => [`s-${i}`, i]));
      const model = { name: 'streams', version: 1, position: 2_500n, storeId: 'store-1' };
      const writer = models.saveInParts(model);
      const parts = await serializeInSteps(state, (part) => writer.write(part));
      expect(parts).toBeGreaterThan(2);
      expect(models.load('streams')).toBeNull(); // nothing is read from parts before the commit
      expect(writer.commit()).toBe(true);
      expect(models.load('streams')).toEqual({ ...model, state });

      // A whole save of the same model meanwhile drops a save in parts under way: it does not commit.
      const overtaken = models.saveInParts({ ...model, position: 2_600n });
      await serializeInSteps(new Map([['other', 1]]), (part) => overtaken.write(part));
      models.save([{ ...model, position: 2_700n, state: new Map([['whole', 1]]) }]);
      expect(overtaken.commit()).toBe(false);
      expect(models.load('streams')).toEqual({ ...model, position: 2_700n, state: new Map([['whole', 1]]) });

      const given = models.saveInParts({ ...model, position: 2_800n });
      given.write(Buffer.from('not yet'));
      given.abort();
      expect(db.prepare('SELECT COUNT(*) AS n FROM read_model_parts').get()).toEqual({ n: 0 });

      const again = models.saveInParts(model);
      const count = await serializeInSteps(state, (part) => again.write(part));
      expect(again.commit()).toBe(true);
      // The next save in parts replaces it; the older parts are dropped afterwards, a turn each.
      const next = models.saveInParts({ ...model, position: 2_900n });
      await serializeInSteps(state, (part) => next.write(part));
      expect(next.commit()).toBe(true);
      const partsLeft = () => (db.prepare('SELECT COUNT(*) AS n FROM read_model_parts').get() as { n: number }).n;
      expect(partsLeft()).toBe(2 * count);
      while (partsLeft() > count) await new Promise((resolve) => setImmediate(resolve));
      expect(models.load('streams')).toEqual({ ...model, position: 2_900n, state });
      db.prepare('DELETE FROM read_model_parts WHERE part = 1').run();
      expect(models.load('streams')).toBeNull();
    });
  });
});
