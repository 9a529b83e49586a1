import {
  AccessDeniedError,
  EventStoreDBClient,
  START,
  streamNameFilter,
  type AllStreamRecordedEvent,
  type Position,
} from '@eventstore/db-client';
import { join } from 'node:path';
import { backoffMs, FileCheckpoint, JsonlSink, sleep, stopSignal, type Envelope, type Log } from './support';

/**
 * A downstream consumer reading License Ledger's streams straight from EventStoreDB
 * (`@eventstore/db-client` 6), resuming from its last position.
 *
 *   EVENTSTORE_CONNECTION_STRING='esdb://127.0.0.1:2113?tls=false' CONSUMER_STATE_DIR=./data/esdb-consumer \
 *     node dist/scripts/consumers/esdb-consumer.js
 *
 * Type-checked against the real client; not run against a server in this repository's
 * tests (none can run where they run).
 */

/**
 * Our stream categories (docs/events/schemas/index.json). `$ce-<category>` would need the
 * server's by-category projection, which the provided docker-compose leaves off, so we
 * filter `$all` by stream-name prefix on the server instead. A new category must be added.
 */
export const LEDGER_STREAM_PREFIXES = [
  'profile-',
  'licensee-',
  'catalog-',
  'job-',
  'jobrun-',
  'instance-',
  'environment-',
  'integration-',
];

/** A $all position, (commit, prepare), as decimal strings: bigint does not survive JSON. */
export interface StoredPosition {
  readonly commit: string;
  readonly prepare: string;
}

export interface EsdbConsumerOptions {
  readonly client: EventStoreDBClient;
  readonly checkpoint: FileCheckpoint<StoredPosition>;
  readonly handle: (event: Envelope) => Promise<void>;
  readonly signal: AbortSignal;
  readonly log: Log;
}

/**
 * The client never resubscribes: after a dropped connection or a server restart the
 * subscription errors or ends, and that is all. So loop: subscribe after the stored
 * position (start positions are exclusive), handle, save, and on any drop back off and
 * subscribe again from what was saved.
 *
 * The filter's `checkpointReached` callback is deliberately not used to save positions:
 * the client awaits it while transforming the gRPC stream, which can run ahead of events
 * still buffered for our `for await`, so saving there could skip unhandled events.
 */
export async function consumeFromEventStore(options: EsdbConsumerOptions): Promise<void> {
  const { client, checkpoint, handle, signal, log } = options;
  let attempt = 0;
  while (!signal.aborted) {
    const stored = await checkpoint.load();
    let last: Position | null = stored ? { commit: BigInt(stored.commit), prepare: BigInt(stored.prepare) } : null;
    const subscription = client.subscribeToAll({
      fromPosition: last ?? START,
      filter: streamNameFilter({ prefixes: LEDGER_STREAM_PREFIXES }),
    });
    const unsubscribe = () => void subscription.unsubscribe();
    signal.addEventListener('abort', unsubscribe, { once: true });
    try {
      // Pull-based: one event at a time, so the saved position is always the last one handled.
      for await (const { event } of subscription) {
        if (!event || !event.isJson) continue;
        // However the server resumes, never hand the same event to the handler twice.
        if (last !== null && !isAfter(event.position, last)) continue;
        await handle(toEnvelope(event));
        last = event.position;
        await checkpoint.save({ commit: last.commit.toString(), prepare: last.prepare.toString() });
        attempt = 0;
      }
      if (!signal.aborted) log('subscription ended; resubscribing');
    } catch (error) {
      if (signal.aborted) break;
      if (error instanceof AccessDeniedError) throw error; // wrong credentials do not fix themselves
      log(`subscription dropped: ${(error as Error).message}; resubscribing`);
    } finally {
      signal.removeEventListener('abort', unsubscribe);
      await subscription.unsubscribe().catch(() => undefined);
    }
    await sleep(backoffMs(attempt++), signal);
  }
}

const isAfter = (a: Position, b: Position): boolean =>
  a.commit > b.commit || (a.commit === b.commit && a.prepare > b.prepare);

/**
 * The envelope the service publishes over HTTP, so one handler serves both transports.
 * position packs (commit, prepare) as the service does (commit * 2^64 + prepare): it equals
 * the SSE id the service sends when it runs on EventStoreDB. Unlike the HTTP log, these
 * events are not upcast: metadata.schemaVersion is the version they were written under.
 */
function toEnvelope(event: AllStreamRecordedEvent & { isJson: true }): Envelope {
  const metadata = (event.metadata ?? {}) as Record<string, unknown>;
  return {
    position: ((event.position.commit << 64n) | event.position.prepare).toString(),
    streamId: event.streamId,
    type: event.type,
    recordedAt: typeof metadata.recordedAt === 'string' ? metadata.recordedAt : event.created.toISOString(),
    data: event.data as Record<string, unknown>,
    metadata,
  };
}

async function main(): Promise<void> {
  const connection = process.env.EVENTSTORE_CONNECTION_STRING;
  if (!connection) throw new Error('set EVENTSTORE_CONNECTION_STRING, e.g. esdb://127.0.0.1:2113?tls=false');
  const stateDir = process.env.CONSUMER_STATE_DIR ?? './data/esdb-consumer';
  const client = EventStoreDBClient.connectionString(connection);
  const checkpoint = new FileCheckpoint<StoredPosition>(join(stateDir, 'position.json'));
  const sink = await JsonlSink.open(join(stateDir, 'events.jsonl'));
  const log = (line: string): void => {
    process.stdout.write(`${line}\n`);
  };
  const stored = await checkpoint.load();
  log(`resuming after ${stored ? `(${stored.commit}, ${stored.prepare})` : 'the beginning'}`);
  try {
    await consumeFromEventStore({
      client,
      checkpoint,
      signal: stopSignal(),
      log,
      handle: async (event) =>
        log(`${(await sink.write(event)) ? 'handled' : 'skipped replay'} ${event.position} ${event.type}`),
    });
  } finally {
    await client.dispose();
  }
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`consumer failed: ${(error as Error).message}\n`);
    process.exit(1);
  });
}
