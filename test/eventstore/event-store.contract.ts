import type { EventStore } from '../../src/eventstore/event-store.port';
import { ConcurrencyError } from '../../src/eventstore/errors';
import { newId } from '../../src/shared/ids';
import { collect, testEvent } from '../support/events';

/**
 * The one contract every EventStore adapter keeps. Streams get a fresh prefix per test so
 * the suite also runs against a long-lived EventStoreDB that holds other data.
 */
export function eventStoreContract(
  name: string,
  open: () => Promise<EventStore>,
  close: (store: EventStore) => Promise<void>,
) {
  describe(`EventStore contract: ${name}`, () => {
    let store: EventStore;
    let prefix: string;
    const stream = (id: string) => `${prefix}-${id}`;

    beforeAll(async () => {
      store = await open();
    });
    afterAll(async () => {
      await close(store);
    });
    beforeEach(() => {
      prefix = `contract${newId().replace(/-/g, '')}`;
    });

    describe('append and read a stream', () => {
      it('writes events at revisions 0..n-1 and reads them back in order with their envelope', async () => {
        const events = [testEvent('Opened', { n: 1 }), testEvent('Renamed', { n: 2 })];
        const result = await store.append(stream('a'), events, 'no-stream');
        expect(result.nextExpectedRevision).toBe(1);
        const read = await store.readStream(stream('a'));
        expect(read.map((e) => [e.type, e.revision, e.data])).toEqual([
          ['Opened', 0, { n: 1 }],
          ['Renamed', 1, { n: 2 }],
        ]);
        expect(read[1].position).toBe(result.position);
        expect(read[0].position < read[1].position).toBe(true);
        expect(read[0].id).toBe(events[0].id);
        expect(read[0].metadata).toMatchObject({
          actor: { kind: 'system', id: 'test' },
          correlationId: 'test-correlation',
          schemaVersion: 1,
        });
        expect(new Date(read[0].recordedAt).toISOString()).toBe(read[0].recordedAt);
        expect(read[0].metadata.recordedAt).toBe(read[0].recordedAt);
      });

      it('reads a missing stream as empty', async () => {
        await expect(store.readStream(stream('missing'))).resolves.toEqual([]);
      });

      it('reads from a revision, at most a count', async () => {
        await store.append(
          stream('r'),
          [1, 2, 3, 4].map((n) => testEvent('N', { n })),
          'no-stream',
        );
        const read = await store.readStream(stream('r'), { fromRevision: 1, maxCount: 2 });
        expect(read.map((e) => e.data.n)).toEqual([2, 3]);
      });
    });

    describe('expected revision', () => {
      it("'no-stream' fails once the stream exists", async () => {
        await store.append(stream('x'), [testEvent('A')], 'no-stream');
        await expect(store.append(stream('x'), [testEvent('B')], 'no-stream')).rejects.toBeInstanceOf(ConcurrencyError);
      });

      it("'exists' fails on a missing stream and passes on an existing one", async () => {
        await expect(store.append(stream('y'), [testEvent('A')], 'exists')).rejects.toBeInstanceOf(ConcurrencyError);
        await store.append(stream('y'), [testEvent('A')], 'any');
        await expect(store.append(stream('y'), [testEvent('B')], 'exists')).resolves.toMatchObject({
          nextExpectedRevision: 1,
        });
      });

      it('a number must equal the current revision; the error names the actual one', async () => {
        await store.append(stream('z'), [testEvent('A'), testEvent('B')], 'no-stream');
        const error = await store.append(stream('z'), [testEvent('C')], 0).catch((e) => e);
        expect(error).toBeInstanceOf(ConcurrencyError);
        expect(error.actual).toBe(1);
        await expect(store.append(stream('z'), [testEvent('C')], 1)).resolves.toMatchObject({
          nextExpectedRevision: 2,
        });
      });

      it("'any' appends whatever the revision", async () => {
        await store.append(stream('w'), [testEvent('A')], 'any');
        await expect(store.append(stream('w'), [testEvent('B')], 'any')).resolves.toMatchObject({
          nextExpectedRevision: 1,
        });
      });

      it('two concurrent appenders at the same revision: exactly one wins', async () => {
        await store.append(stream('race'), [testEvent('Opened')], 'no-stream');
        const outcomes = await Promise.allSettled([
          store.append(stream('race'), [testEvent('First')], 0),
          store.append(stream('race'), [testEvent('Second')], 0),
        ]);
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
        expect(rejected).toHaveLength(1);
        expect(rejected[0].reason).toBeInstanceOf(ConcurrencyError);
        expect(await store.readStream(stream('race'))).toHaveLength(2);
      });
    });

    describe('idempotency by event id', () => {
      it('re-appending the same ids returns the first result and writes nothing', async () => {
        const events = [testEvent('A'), testEvent('B')];
        const first = await store.append(stream('idem'), events, 'no-stream');
        const again = await store.append(stream('idem'), events, 'no-stream');
        // The same revision and position; `written` (what this call wrote, if the adapter says) is absent: nothing was.
        expect(again).toEqual({ nextExpectedRevision: first.nextExpectedRevision, position: first.position });
        expect(await store.readStream(stream('idem'))).toHaveLength(2);
      });

      it('a bulk re-run with the same ids appends no duplicate', async () => {
        const batch = [0, 1, 2].map((i) => ({
          streamId: stream(`bulk${i}`),
          events: [testEvent('A', { i })],
          expectedRevision: 'no-stream' as const,
        }));
        const first = await store.appendMany(batch);
        const again = await store.appendMany(batch);
        expect(again).toEqual(
          first.map((r) => ({ nextExpectedRevision: r.nextExpectedRevision, position: r.position })),
        );
        for (let i = 0; i < 3; i++) expect(await store.readStream(stream(`bulk${i}`))).toHaveLength(1);
      });

      it('repeating only some of an earlier append is refused and writes nothing', async () => {
        const a = testEvent('A');
        await store.append(stream('partial'), [a, testEvent('B')], 'no-stream');
        await expect(store.append(stream('partial'), [a, testEvent('C')], 'any')).rejects.toBeDefined();
        expect((await store.readStream(stream('partial'))).map((e) => e.type)).toEqual(['A', 'B']);
      });
    });

    describe('$all', () => {
      it('holds every stream in commit order with strictly increasing positions, paged by position', async () => {
        const start = await store.headPosition();
        await store.append(stream('p'), [testEvent('P1')], 'no-stream');
        await store.append(stream('q'), [testEvent('Q1'), testEvent('Q2')], 'no-stream');
        await store.append(stream('p'), [testEvent('P2')], 0);
        const all = (await store.readAll({ after: start, maxCount: 1000 })).filter((e) =>
          e.streamId.startsWith(prefix),
        );
        expect(all.map((e) => e.type)).toEqual(['P1', 'Q1', 'Q2', 'P2']);
        for (let i = 1; i < all.length; i++) expect(all[i - 1].position < all[i].position).toBe(true);
        const page = await store.readAll({ after: all[0].position, maxCount: 2 });
        expect(page.map((e) => e.type)).toEqual(['Q1', 'Q2']);
        expect(await store.headPosition()).toBe(all[3].position);
      });

      it('filters by type without losing its place', async () => {
        const start = await store.headPosition();
        await store.append(stream('t'), [testEvent('Keep'), testEvent('Skip'), testEvent('Keep')], 'no-stream');
        const kept = await store.readAll({ after: start, types: ['Keep'], maxCount: 10 });
        expect(kept.filter((e) => e.streamId === stream('t')).map((e) => e.revision)).toEqual([0, 2]);
      });

      it('reads the events at given positions, in the order asked', async () => {
        await store.append(stream('at'), [testEvent('A'), testEvent('B'), testEvent('C')], 'no-stream');
        const [a, , c] = await store.readStream(stream('at'));
        const read = await store.readAt([c.position, a.position]);
        expect(read.map((e) => e.type)).toEqual(['C', 'A']);
        expect(read[0]).toEqual(c);
      });

      it('appendMany writes every stream and returns one result per stream', async () => {
        const appends = Array.from({ length: 50 }, (_, i) => ({
          streamId: stream(`many${i}`),
          events: [testEvent('A', { i }), testEvent('B', { i })],
          expectedRevision: 'no-stream' as const,
        }));
        const results = await store.appendMany(appends);
        expect(results).toHaveLength(50);
        expect(results.every((r) => r.nextExpectedRevision === 1)).toBe(true);
        expect((await store.readStream(stream('many49'))).map((e) => e.data)).toEqual([{ i: 49 }, { i: 49 }]);
      });
    });

    describe('subscribeAll', () => {
      it('delivers the committed history, then live events, without gap or duplicate across the switch', async () => {
        const start = await store.headPosition();
        const history = Array.from({ length: 30 }, (_, i) => testEvent('H', { i }));
        for (let i = 0; i < 3; i++)
          await store.append(stream('sub'), history.slice(i * 10, i * 10 + 10), i === 0 ? 'no-stream' : i * 10 - 1);
        const subscription = store.subscribeAll(start);
        const received = collect(subscription, 60);
        for (let i = 0; i < 30; i++) {
          await store.append(stream('sub'), [testEvent('L', { i })], 29 + i);
        }
        const events = (await received).filter((e) => e.streamId === stream('sub'));
        await subscription.close();
        expect(events.map((e) => e.revision)).toEqual(Array.from({ length: 60 }, (_, i) => i));
        expect(new Set(events.map((e) => e.id)).size).toBe(60);
      });

      it('starts after the given position', async () => {
        await store.append(stream('after'), [testEvent('A'), testEvent('B'), testEvent('C')], 'no-stream');
        const [, b] = await store.readStream(stream('after'));
        const subscription = store.subscribeAll(b.position);
        const [next] = await collect(subscription, 1);
        await subscription.close();
        expect(next.type).toBe('C');
      });

      it('ends its iteration when closed', async () => {
        const subscription = store.subscribeAll(await store.headPosition());
        const iterating = (async () => {
          let n = 0;
          for await (const _ of subscription) n++;
          return n;
        })();
        await new Promise((r) => setTimeout(r, 50));
        await subscription.close();
        await expect(iterating).resolves.toBe(0);
      });
    });

    describe('identity', () => {
      it('has one identity, the same on every call, that adds no event to the log', async () => {
        const before = await store.headPosition();
        const id = await store.identity();
        expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        await expect(store.identity()).resolves.toBe(id);
        expect(await store.headPosition()).toBe(before);
        expect((await store.readAll({ after: before, maxCount: 10 })).map((e) => e.type)).toEqual([]);
      });
    });

    describe('readiness', () => {
      it('probe answers on a healthy store and adds no event', async () => {
        const before = await store.headPosition();
        await expect(store.probe()).resolves.toBeUndefined();
        expect(await store.headPosition()).toBe(before);
      });
    });

    describe('sizes and content', () => {
      it('takes a 10,000-event batch in one append and in one appendMany', async () => {
        const events = Array.from({ length: 10_000 }, (_, i) => testEvent('Bulk', { i }));
        const result = await store.append(stream('big'), events, 'no-stream');
        expect(result.nextExpectedRevision).toBe(9_999);
        const appends = Array.from({ length: 1_000 }, (_, s) => ({
          streamId: stream(`spread${s}`),
          events: Array.from({ length: 10 }, (_, i) => testEvent('Bulk', { s, i })),
          expectedRevision: 'no-stream' as const,
        }));
        const results = await store.appendMany(appends);
        expect(results).toHaveLength(1_000);
        const read = await store.readStream(stream('big'), { fromRevision: 9_990 });
        expect(read.map((e) => e.data.i)).toEqual(Array.from({ length: 10 }, (_, i) => 9_990 + i));
        expect(await store.readStream(stream('spread999'))).toHaveLength(10);
        // 20,000 events through gRPC to the wire test server: seconds alone, past 30 s on an overloaded machine.
      }, 120_000);

      it('round-trips unicode exactly', async () => {
        const text = 'Zoë Ångström — 日本語 — עברית — 🧾💼 — \u0000 — \u2028 — "quoted" \\ slash';
        await store.append(stream('unicode'), [testEvent('Text', { text, [text]: text })], 'no-stream');
        const [event] = await store.readStream(stream('unicode'));
        expect(event.data).toEqual({ text, [text]: text });
      });

      it('round-trips a 1 MB payload', async () => {
        const blob = 'x'.repeat(1024 * 1024);
        await store.append(stream('large'), [testEvent('Large', { blob })], 'no-stream');
        const [event] = await store.readStream(stream('large'));
        expect((event.data.blob as string).length).toBe(blob.length);
        expect(event.data.blob).toBe(blob);
      });
    });
  });
}
