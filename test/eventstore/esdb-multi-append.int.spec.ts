import { ConcurrencyError, StoreUnavailableError } from '../../src/eventstore/errors';
import { EsdbEventStore, type EsdbOptions } from '../../src/eventstore/esdb/esdb.event-store';
import type { StreamAppend } from '../../src/eventstore/event-store.port';
import { deterministicId } from '../../src/shared/ids';
import { startEsdbFake, type EsdbFake } from '../support/esdb-fake';
import { EXPECT_ANY } from '../support/esdb-fake/log';
import { testEvent } from '../support/events';

/**
 * appendMany on a server that offers the multi-stream append (KurrentDB 25.1+, AppendSession)
 * and on one that does not, through the real client and adapter against the test server. Which
 * path a call took is read from the server's request log; nothing here measures time.
 */
const PREFIX = 'multi_';
const FAST: EsdbOptions = {
  streamPrefix: PREFIX,
  callTimeoutMs: 400,
  retry: { attempts: 4, firstDelayMs: 10, maxDelayMs: 50 },
};

const batch = (): StreamAppend[] =>
  Array.from({ length: 10 }, (_, s) => ({
    streamId: `bulk-${s}`,
    expectedRevision: 'no-stream' as const,
    events: [0, 1, 2].map((i) => testEvent('Bulk', { s, i }, deterministicId('bulk', String(s), String(i)))),
  }));

describe('EventStoreDB bulk appends, by server generation (test server)', () => {
  let fake: EsdbFake;
  let store: EsdbEventStore;
  const extra: { close(): Promise<unknown> }[] = [];

  const start = async (options: Parameters<typeof startEsdbFake>[0] = {}) => {
    fake = await startEsdbFake(options);
    store = EsdbEventStore.connect(fake.connectionString, FAST);
  };
  afterEach(async () => {
    for (const resource of extra.splice(0)) await resource.close();
    await store.close();
    await fake.stop();
  });

  const bulkRecords = () => fake.log.records.filter((r) => r.stream.startsWith(`${PREFIX}bulk-`));
  const markers = () => fake.log.records.filter((r) => r.stream.startsWith(`${PREFIX}_batch-`));
  const calls = (method: string) => fake.requests.filter((r) => r.method === method);
  const perStream = () =>
    Array.from({ length: 10 }, (_, s) => bulkRecords().filter((r) => r.stream === `${PREFIX}bulk-${s}`).length);

  describe('the capability check picks the path', () => {
    it('KurrentDB 25.1+: one AppendSession for the whole batch, no per-stream appends, no marker', async () => {
      await start();
      const results = await store.appendMany(batch());
      expect(calls('AppendSession')).toEqual([
        { method: 'AppendSession', streams: batch().map((a) => PREFIX + a.streamId) },
      ]);
      expect([...calls('Append'), ...calls('BatchAppend')]).toEqual([]);
      expect(markers()).toEqual([]);
      expect(perStream()).toEqual(Array(10).fill(3));
      // Each result is its stream's last event, exactly as a read finds it.
      for (const [s, result] of results.entries()) {
        const events = await store.readStream(`bulk-${s}`);
        expect(result).toEqual({ nextExpectedRevision: 2, position: events[2].position });
      }
      expect(await store.headPosition()).toBe(results[9].position);
    });

    it('an older server: one append per stream in the order given, then the marker; no AppendSession', async () => {
      await start({ multiStreamAppend: false, serverVersion: '24.10.0' });
      await store.appendMany(batch());
      expect(calls('AppendSession')).toEqual([]);
      // Up to 16 in flight, so the first nine arrive in any order; the last stream waits for them.
      const arrived = calls('BatchAppend').map((r) => r.streams[0]);
      expect(arrived.slice(0, 9).sort()).toEqual(
        batch()
          .slice(0, 9)
          .map((a) => PREFIX + a.streamId),
      );
      expect(arrived.slice(9)).toEqual([`${PREFIX}bulk-9`, markers()[0].stream]);
    });

    it('a batch the server would refuse in one session takes the ordered path from the start', async () => {
      await start();
      const [a, b, c, d, e, f] = batch();
      const twice = [a, { ...b, streamId: 'BULK-0' }];
      const empty = [c, { ...d, events: [] }];
      const oddType = [e, { ...f, events: [testEvent('Bulk Event')] }];
      for (const appends of [twice, empty, oddType]) await store.appendMany(appends);
      expect(calls('AppendSession')).toEqual([]);
      expect(markers()).toHaveLength(3);
    });

    it('metadata reads back as written, without the server’s $schema keys', async () => {
      await start();
      const [written] = batch();
      await store.appendMany(batch());
      const [event] = await store.readStream('bulk-0');
      expect(event.metadata).toEqual({ ...written.events[0].metadata, recordedAt: event.recordedAt });
      expect(event.data).toEqual(written.events[0].data);
      expect(JSON.parse(Buffer.from(bulkRecords()[0].metadata).toString('utf8'))).toMatchObject({
        '$schema.name': 'Bulk',
        '$schema.format': 'Json',
      });
    });
  });

  describe('atomicity and recovery on KurrentDB 25.1+', () => {
    it('a session cut before its commit leaves nothing; calling again writes the batch once', async () => {
      await start();
      fake.faults.partialBatch(0);
      await expect(store.appendMany(batch())).rejects.toBeInstanceOf(StoreUnavailableError);
      // Every try (four) was one whole session, and none left a record.
      expect(calls('AppendSession')).toHaveLength(4);
      expect(bulkRecords()).toEqual([]);

      fake.faults.clear();
      await store.appendMany(batch());
      expect(perStream()).toEqual(Array(10).fill(3));
      expect(markers()).toEqual([]);
    });

    it('transient refusals are retried with the same session', async () => {
      await start();
      fake.faults.failNext('append-session', 'unavailable', 2);
      await store.appendMany(batch());
      expect(calls('AppendSession')).toHaveLength(3);
      expect(perStream()).toEqual(Array(10).fill(3));
    });

    it('a commit whose answer is lost is retried, answered as the first write, and written once', async () => {
      await start();
      fake.faults.loseSessionAnswers(1);
      const results = await store.appendMany(batch());
      expect(calls('AppendSession')).toHaveLength(2);
      expect(bulkRecords()).toHaveLength(30);
      expect(new Set(bulkRecords().map((r) => r.id)).size).toBe(30);
      await expect(store.appendMany(batch())).resolves.toEqual(results);
      expect(bulkRecords()).toHaveLength(30);
    });

    it('a conflict on one stream writes none of them and names that stream and its revision', async () => {
      await start();
      await store.append('bulk-5', [testEvent('Other')], 'no-stream');
      const error = await store.appendMany(batch()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConcurrencyError);
      expect(error).toMatchObject({ streamId: 'bulk-5', expected: 'no-stream', actual: 0 });
      expect(perStream()).toEqual([0, 0, 0, 0, 0, 1, 0, 0, 0, 0]);
      expect(calls('BatchAppend').map((r) => r.streams[0])).toEqual([`${PREFIX}bulk-5`]);
    });

    it('an expected revision of 0 is sent as 0, not left out as a default (which would mean any)', async () => {
      await start();
      await store.append('bulk-0', [testEvent('A'), testEvent('B')], 'no-stream');
      const appends = (expected: number) => [
        { streamId: 'bulk-0', expectedRevision: expected, events: [testEvent('C')] },
        { streamId: 'bulk-1', expectedRevision: 'any' as const, events: [testEvent('D')] },
      ];
      await expect(store.appendMany(appends(0))).rejects.toMatchObject({ streamId: 'bulk-0', actual: 1 });
      await expect(store.appendMany(appends(1))).resolves.toMatchObject([{ nextExpectedRevision: 2 }, {}]);
    });

    it('a tombstoned stream in the batch fails it whole', async () => {
      await start();
      fake.log.tombstone(`${PREFIX}bulk-7`, EXPECT_ANY);
      await expect(store.appendMany(batch())).rejects.toMatchObject({ kind: 'deleted' });
      expect(bulkRecords().map((r) => r.type)).toEqual(['$streamDeleted']);
    });

    it('a batch too large for one transaction is refused before any write and goes the ordered way', async () => {
      // Each stream's append fits; the ten together do not.
      await start({ maxAppendSize: 1_500 });
      await store.appendMany(batch());
      expect(calls('AppendSession')).toHaveLength(1);
      expect(calls('BatchAppend')).toHaveLength(11);
      expect(perStream()).toEqual(Array(10).fill(3));
      expect(markers()).toHaveLength(1);
    });

    it('a batch an older server left half written is completed the ordered way after an upgrade', async () => {
      await start();
      const before = await startEsdbFake({ log: fake.log, multiStreamAppend: false, serverVersion: '24.10.0' });
      const old = EsdbEventStore.connect(before.connectionString, FAST);
      extra.push(old, { close: () => before.stop() });
      before.faults.partialBatch(4);
      await expect(old.appendMany(batch())).rejects.toBeInstanceOf(StoreUnavailableError);
      expect(perStream().filter((n) => n === 3)).toHaveLength(4);

      // The session is refused (the written streams repeat, the rest are new), nothing more is
      // written by it, and the ordered path completes the batch exactly once.
      await store.appendMany(batch());
      expect(calls('AppendSession')).toHaveLength(1);
      expect(perStream()).toEqual(Array(10).fill(3));
      expect(new Set(bulkRecords().map((r) => r.id)).size).toBe(30);
      expect(markers()).toHaveLength(1);
    });

    it('a follower refuses the session; the ordered path finds the leader and writes the batch there', async () => {
      await start();
      const leader = await startEsdbFake({ log: fake.log });
      extra.push({ close: () => leader.stop() });
      fake.faults.notLeader(leader.endpoint);
      await store.appendMany(batch());
      expect(calls('AppendSession')).toHaveLength(1);
      expect(leader.requests.filter((r) => r.method === 'BatchAppend')).toHaveLength(11);
      expect(perStream()).toEqual(Array(10).fill(3));
    });
  });
});
