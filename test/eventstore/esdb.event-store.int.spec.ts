import { EsdbEventStore } from '../../src/eventstore/esdb/esdb.event-store';
import { newId } from '../../src/shared/ids';
import { startEsdbFake, type EsdbFake } from '../support/esdb-fake';
import { eventStoreContract } from './event-store.contract';

/**
 * The contract against EventStoreDB through the real client and adapter: against the
 * wire-level test server on every run, and against a real server as well when
 * EVENTSTORE_CONNECTION_STRING is set (README, "EventStoreDB"). Each run writes under a
 * fresh stream prefix, so a shared, long-lived server is fine.
 */
const streamPrefix = () => `contract${newId().slice(0, 8)}_`;
let fake: EsdbFake;

eventStoreContract(
  'EventStoreDB test server',
  async () => {
    fake = await startEsdbFake();
    return EsdbEventStore.connect(fake.connectionString, { streamPrefix: streamPrefix() });
  },
  async (store) => {
    await store.close();
    await fake.stop();
  },
);

const connectionString = process.env.EVENTSTORE_CONNECTION_STRING;
if (connectionString) {
  eventStoreContract(
    `EventStoreDB at ${connectionString}`,
    async () => EsdbEventStore.connect(connectionString, { streamPrefix: streamPrefix(), callTimeoutMs: 20_000 }),
    (store) => store.close(),
  );
}
