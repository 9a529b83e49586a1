import { EsdbEventStore } from '../../src/eventstore/esdb/esdb.event-store';
import { newId } from '../../src/shared/ids';
import { startEsdbFake, type EsdbFake } from '../support/esdb-fake';
import { eventStoreContract } from './event-store.contract';

/**
 * The contract against EventStoreDB through the real client and adapter: against the
 * wire-level test server on every run, as both server generations (KurrentDB 25.1+ with its
 * multi-stream append, and an older server without it), and against a real server as well
 * when EVENTSTORE_CONNECTION_STRING is set (README, "EventStoreDB"). Each run writes under a
 * fresh stream prefix, so a shared, long-lived server is fine.
 */
const streamPrefix = () => `contract${newId().slice(0, 8)}_`;

const generations = [
  { name: 'KurrentDB 25.1+, multi-stream append', multiStreamAppend: true },
  { name: 'before 25.1, ordered batches', multiStreamAppend: false },
] as const;

for (const generation of generations) {
  let fake: EsdbFake;
  eventStoreContract(
    `EventStoreDB test server (${generation.name})`,
    async () => {
      fake = await startEsdbFake({ multiStreamAppend: generation.multiStreamAppend });
      return EsdbEventStore.connect(fake.connectionString, { streamPrefix: streamPrefix() });
    },
    async (store) => {
      await store.close();
      await fake.stop();
    },
  );

  // Runs after the contract above (jest keeps declaration order): which path its appendMany calls took.
  describe(`the contract's bulk appends (${generation.name})`, () => {
    it('took the path the server offers, as the test server logged it', () => {
      const sessions = fake.requests.filter((r) => r.method === 'AppendSession');
      const markers = fake.requests.filter((r) => r.streams.some((s) => s.includes('__batch-')));
      if (generation.multiStreamAppend) {
        // One session per appendMany of the suite: a batch and its rerun, 50 streams, 1,000 streams.
        expect(sessions.map((s) => s.streams.length)).toEqual([3, 3, 50, 1_000]);
        expect(markers).toEqual([]);
      } else {
        expect(sessions).toEqual([]);
        expect(markers.map((m) => m.method)).toEqual(['BatchAppend', 'BatchAppend', 'BatchAppend', 'BatchAppend']);
      }
    });
  });
}

const connectionString = process.env.EVENTSTORE_CONNECTION_STRING;
if (connectionString) {
  eventStoreContract(
    `EventStoreDB at ${connectionString}`,
    async () => EsdbEventStore.connect(connectionString, { streamPrefix: streamPrefix(), callTimeoutMs: 20_000 }),
    (store) => store.close(),
  );
}
