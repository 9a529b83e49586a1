import { EsdbEventStore } from '../../src/eventstore/esdb/esdb.event-store';
import { eventStoreContract } from './event-store.contract';

/**
 * The same contract against a real EventStoreDB/KurrentDB. It runs only when
 * EVENTSTORE_CONNECTION_STRING is set (see README: `docker compose up -d eventstore`);
 * otherwise Jest reports it as skipped, never as passed.
 */
const connectionString = process.env.EVENTSTORE_CONNECTION_STRING;

if (connectionString) {
  eventStoreContract(
    `EventStoreDB at ${connectionString}`,
    async () => EsdbEventStore.connect(connectionString, { callTimeoutMs: 20_000 }),
    (store) => store.close(),
  );
} else {
  describe.skip('EventStore contract: EventStoreDB (set EVENTSTORE_CONNECTION_STRING to run)', () => {
    it('runs against a real server', () => undefined);
  });
}
