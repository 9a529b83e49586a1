import { StoreUnavailableError, SubscriptionFailedError } from '../../src/eventstore/errors';
import { EsdbEventStore, type EsdbOptions } from '../../src/eventstore/esdb/esdb.event-store';
import type { RecordedEvent, StreamAppend } from '../../src/eventstore/event-store.port';
import { deterministicId } from '../../src/shared/ids';
import { startEsdbFake, type EsdbFake } from '../support/esdb-fake';
import { testEvent } from '../support/events';

/** Small timers so that a fault costs milliseconds; nothing below asserts on time. */
const FAST: EsdbOptions = {
  streamPrefix: 'faults_',
  callTimeoutMs: 400,
  retry: { attempts: 4, firstDelayMs: 10, maxDelayMs: 50 },
};

describe('EventStoreDB adapter under faults (test server)', () => {
  let fake: EsdbFake;
  let store: EsdbEventStore;
  const extra: { close(): Promise<unknown> }[] = [];

  beforeEach(async () => {
    fake = await startEsdbFake();
    store = EsdbEventStore.connect(fake.connectionString, FAST);
  });
  afterEach(async () => {
    for (const resource of extra.splice(0)) await resource.close();
    await store.close();
    await fake.stop();
  });

  const open = (options: EsdbOptions = {}) => {
    const opened = EsdbEventStore.connect(fake.connectionString, { ...FAST, ...options });
    extra.push(opened);
    return opened;
  };

  describe('client lifecycle', () => {
    it('a server that accepts the first call and never answers it is left behind for a fresh client', async () => {
      // The v6 client's first call fetches server features without a deadline; a client
      // that kept waiting on it would fail every retry too.
      fake.faults.hangNext('features');
      await expect(store.append('s-1', [testEvent('A')], 'no-stream')).resolves.toMatchObject({
        nextExpectedRevision: 0,
      });
      expect(await store.readStream('s-1')).toHaveLength(1);
    });

    it('a hung append is retried on a fresh client and written once', async () => {
      await store.append('s-1', [testEvent('A')], 'no-stream');
      fake.faults.hangNext('append');
      await store.append('s-1', [testEvent('B')], 0);
      expect((await store.readStream('s-1')).map((e) => e.type)).toEqual(['A', 'B']);
    });

    it('not leader: the call is repeated on the leader that the answer names', async () => {
      const leader = await startEsdbFake({ log: fake.log });
      extra.push({ close: () => leader.stop() });
      fake.faults.notLeader(leader.endpoint);
      await store.append('s-1', [testEvent('A')], 'no-stream');
      // This node still refuses every call that requires the leader: the reads went to the leader too.
      expect((await store.readStream('s-1')).map((e) => e.type)).toEqual(['A']);
      expect(leader.log.stream('faults_s-1')).toHaveLength(1);
    });

    it('unavailable and server timeouts are retried; past the bound they are StoreUnavailableError', async () => {
      fake.faults.failNext('read', 'unavailable', 2);
      await expect(store.readStream('s-1')).resolves.toEqual([]);
      fake.faults.failNext('append', 'deadline', 2);
      await expect(store.append('s-1', [testEvent('A')], 'no-stream')).resolves.toMatchObject({
        nextExpectedRevision: 0,
      });
      fake.faults.failNext('read', 'unavailable', Infinity);
      await expect(store.readStream('s-1')).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.probe()).rejects.toBeInstanceOf(StoreUnavailableError);
    });

    it('a permanent error is not retried', async () => {
      fake.faults.failNext('read', 'access-denied', 2);
      const error = await store.readStream('s-1').catch((e: unknown) => e);
      expect(error).not.toBeInstanceOf(StoreUnavailableError);
      expect(String(error)).toMatch(/Access Denied/);
      // One try only: the second armed refusal is still there for the next call.
      await expect(store.readStream('s-1')).rejects.toThrow(/Access Denied/);
      await expect(store.readStream('s-1')).resolves.toEqual([]);
    });
  });

  describe('subscriptions', () => {
    it('a dropped subscription resumes after its last event, without gap or duplicate', async () => {
      await store.append(
        's-1',
        [0, 1, 2, 3, 4].map((i) => testEvent('E', { i })),
        'no-stream',
      );
      const subscription = store.subscribeAll(null);
      const iterator = subscription[Symbol.asyncIterator]();
      const received: RecordedEvent[] = [];
      for (let i = 0; i < 5; i++) received.push((await iterator.next()).value as RecordedEvent);
      fake.faults.dropSubscriptions();
      await store.append(
        's-1',
        [5, 6, 7, 8, 9].map((i) => testEvent('E', { i })),
        4,
      );
      for (let i = 0; i < 5; i++) received.push((await iterator.next()).value as RecordedEvent);
      await subscription.close();
      expect(received.map((e) => e.data.i)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(subscription.failed ?? null).toBeNull();
    });

    it('a subscription refused for good ends with SubscriptionFailedError and says so', async () => {
      const fatal: Error[] = [];
      const refused = open({ onFatal: (error) => fatal.push(error) });
      fake.faults.failNext('subscribe', 'access-denied');
      const subscription = refused.subscribeAll(null);
      await expect(subscription[Symbol.asyncIterator]().next()).rejects.toBeInstanceOf(SubscriptionFailedError);
      expect(subscription.failed).toBeInstanceOf(SubscriptionFailedError);
      expect(fatal).toEqual([subscription.failed]);
    });
  });

  describe('bulk appends on a server without multi-stream append (before KurrentDB 25.1)', () => {
    beforeEach(async () => {
      await store.close();
      await fake.stop();
      fake = await startEsdbFake({ multiStreamAppend: false, serverVersion: '24.10.0' });
      store = EsdbEventStore.connect(fake.connectionString, FAST);
    });

    const batch = (): StreamAppend[] =>
      Array.from({ length: 10 }, (_, s) => ({
        streamId: `bulk-${s}`,
        expectedRevision: 'no-stream' as const,
        events: [0, 1, 2].map((i) => testEvent('Bulk', { s, i }, deterministicId('bulk', String(s), String(i)))),
      }));
    const markers = () => fake.log.records.filter((r) => r.stream.startsWith('faults__batch-'));

    it('a batch cut off after k streams shows whole streams only, and calling again completes it exactly once', async () => {
      fake.faults.partialBatch(4);
      await expect(store.appendMany(batch())).rejects.toBeInstanceOf(StoreUnavailableError);
      const partial = await store.readAll({ maxCount: 1000 });
      const perStream = (events: RecordedEvent[]) =>
        Array.from({ length: 10 }, (_, s) => events.filter((e) => e.streamId === `bulk-${s}`).length);
      // Each stream is all or nothing; k streams got in; the batch's last stream and its marker did not.
      expect(perStream(partial).every((n) => n === 0 || n === 3)).toBe(true);
      expect(perStream(partial).filter((n) => n === 3)).toHaveLength(4);
      expect(perStream(partial)[9]).toBe(0);
      expect(markers()).toHaveLength(0);

      fake.faults.clear();
      const results = await store.appendMany(batch());
      expect(results.map((r) => r.nextExpectedRevision)).toEqual(Array(10).fill(2));
      const complete = await store.readAll({ maxCount: 1000 });
      expect(perStream(complete)).toEqual(Array(10).fill(3));
      expect(new Set(complete.map((e) => e.id)).size).toBe(30);
      expect(markers()).toHaveLength(1);
      const marker = JSON.parse(Buffer.from(markers()[0].data).toString('utf8'));
      expect(marker).toMatchObject({ streams: 10, events: 30 });
      expect(marker.written).toHaveLength(10);

      // A third run changes nothing, the marker included.
      await store.appendMany(batch());
      expect(await store.readAll({ maxCount: 1000 })).toHaveLength(30);
      expect(markers()).toHaveLength(1);
      // The ordered path throughout: one append per stream, never a multi-stream append.
      expect(fake.requests.filter((r) => r.method === 'AppendSession')).toEqual([]);
    });

    it('one stream at a time, a cut-off batch is a prefix of the batch', async () => {
      const sequential = open({ pipelineDepth: 1 });
      fake.faults.partialBatch(4);
      await expect(sequential.appendMany(batch())).rejects.toBeInstanceOf(StoreUnavailableError);
      const written = await sequential.readAll({ maxCount: 1000 });
      expect([...new Set(written.map((e) => e.streamId))]).toEqual(['bulk-0', 'bulk-1', 'bulk-2', 'bulk-3']);
    });

    it('a batch whose last append is empty still ends with its marker', async () => {
      const appends = [...batch().slice(0, 3), { streamId: 'bulk-3', expectedRevision: 'any' as const, events: [] }];
      const results = await store.appendMany(appends);
      expect(results.map((r) => r.nextExpectedRevision)).toEqual([2, 2, 2, -1]);
      expect(markers()).toHaveLength(1);
      expect(JSON.parse(Buffer.from(markers()[0].data).toString('utf8'))).toMatchObject({ streams: 4, events: 9 });
    });

    it('readers never see the marker: headPosition is the last event of the batch', async () => {
      const results = await store.appendMany(batch());
      expect(fake.log.head?.stream).toMatch(/^faults__batch-/);
      expect(await store.headPosition()).toBe(results[9].position);
    });
  });

  describe('a shared store', () => {
    it("another application's streams are never read, listed or subscribed to", async () => {
      const other = open({ streamPrefix: 'other_' });
      await other.append('s-1', [testEvent('Theirs')], 'no-stream');
      await store.append('s-1', [testEvent('Ours')], 'no-stream');
      await other.append('s-2', [testEvent('Theirs')], 'no-stream');
      expect((await store.readAll()).map((e) => e.type)).toEqual(['Ours']);
      expect((await store.readStream('s-1')).map((e) => e.type)).toEqual(['Ours']);
      const [ours] = await store.readStream('s-1');
      expect(await store.headPosition()).toBe(ours.position);
      const subscription = store.subscribeAll(null);
      const [first] = [(await subscription[Symbol.asyncIterator]().next()).value as RecordedEvent];
      await subscription.close();
      expect(first.type).toBe('Ours');
      expect(fake.log.records.map((r) => r.stream)).toEqual(['other_s-1', 'faults_s-1', 'other_s-2']);
    });

    it('two clients on one server see each other at once (what several instances need)', async () => {
      const second = open();
      await store.append('s-1', [testEvent('A')], 'no-stream');
      await expect(second.append('s-1', [testEvent('B')], 'no-stream')).rejects.toMatchObject({ actual: 0 });
      await second.append('s-1', [testEvent('B')], 0);
      expect((await store.readStream('s-1')).map((e) => e.type)).toEqual(['A', 'B']);
    });
  });

  describe('the server clock', () => {
    it('recordedAt is the server’s created timestamp, whatever the client’s clock says', async () => {
      fake.log.now = () => Date.parse('2031-03-04T05:06:07.089Z');
      await store.append('s-1', [testEvent('A')], 'no-stream');
      const [event] = await store.readStream('s-1');
      expect(event.recordedAt).toBe('2031-03-04T05:06:07.089Z');
      expect(event.metadata.recordedAt).toBe(event.recordedAt);
    });
  });
});
