import { START, type EventStoreDBClient, type Position, type SubscribeToAllOptions } from '@eventstore/db-client';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  consumeFromEventStore,
  LEDGER_STREAM_PREFIXES,
  type StoredPosition,
} from '../../scripts/consumers/esdb-consumer';
import { FileCheckpoint, type Envelope } from '../../scripts/consumers/support';
import { ALL_EVENT_DEFINITIONS } from '../../src/domain/all-events';

/**
 * No EventStoreDB server can run where these tests run, so the ESDB consumer's own logic
 * (resubscribe from the saved position after a drop, never hand an event over twice, stop
 * cleanly) is exercised against a stand-in for the client's subscribeToAll. The client
 * itself is only type-checked (tsc compiles the consumer against its real types).
 */
const at = (commit: bigint, prepare = commit): Position => ({ commit, prepare });
const recorded = (n: number, position: Position) => ({
  event: {
    streamId: `licensee-p.u${n}`,
    id: `id-${n}`,
    isJson: true as const,
    revision: BigInt(n),
    type: 'LicenseAssigned',
    created: new Date(0),
    data: { n },
    metadata: { schemaVersion: 1, recordedAt: '2026-01-01T00:00:00.000Z' },
    position,
  },
});

describe('the EventStoreDB consumer (against a stand-in client)', () => {
  it('resubscribes after a drop from the last handled position, skips what it already handled, and stops cleanly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'll-esdb-consumer-'));
    const controller = new AbortController();
    const subscriptions: SubscribeToAllOptions[] = [];
    const handled: Envelope[] = [];
    // First subscription: two events, then the server goes away. Second: it re-sends the
    // second event (as a server resuming from an older checkpoint could), then a third.
    const script = [
      {
        events: [recorded(1, at(10n)), recorded(2, at(20n, 19n))],
        end: new Error('14 UNAVAILABLE: connection dropped'),
      },
      { events: [recorded(2, at(20n, 19n)), recorded(3, at(30n))], end: null },
    ];
    const client = {
      subscribeToAll(options: SubscribeToAllOptions) {
        subscriptions.push(options);
        const { events, end } = script[subscriptions.length - 1] ?? { events: [], end: null };
        return {
          async *[Symbol.asyncIterator]() {
            yield* events;
            if (end) throw end;
            if (subscriptions.length === 2) controller.abort(); // done: stop the consumer
          },
          unsubscribe: async () => undefined,
        };
      },
    } as unknown as EventStoreDBClient;
    try {
      const checkpoint = new FileCheckpoint<StoredPosition>(join(dir, 'position.json'));
      await consumeFromEventStore({
        client,
        checkpoint,
        signal: controller.signal,
        log: () => undefined,
        handle: async (e) => void handled.push(e),
      });

      expect(handled.map((e) => (e.data as { n: number }).n)).toEqual([1, 2, 3]);
      expect(handled[1]).toMatchObject({
        position: ((20n << 64n) | 19n).toString(),
        streamId: 'licensee-p.u2',
        recordedAt: '2026-01-01T00:00:00.000Z',
      });
      expect(subscriptions[0].fromPosition).toBe(START);
      expect(subscriptions[1].fromPosition).toEqual(at(20n, 19n));
      expect(subscriptions[0].filter).toMatchObject({ filterOn: 'streamName', prefixes: LEDGER_STREAM_PREFIXES });
      expect(JSON.parse(readFileSync(join(dir, 'position.json'), 'utf8'))).toEqual({ commit: '30', prepare: '30' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('filters on every stream category the registry has, and no other', () => {
    const categories = [...new Set(ALL_EVENT_DEFINITIONS.map((d) => d.category))];
    expect([...LEDGER_STREAM_PREFIXES].sort()).toEqual(categories.map((c) => `${c}-`).sort());
  });
});
