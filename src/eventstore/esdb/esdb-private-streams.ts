import type { JsonObject } from '../../shared/json';
import { ConcurrencyError } from '../errors';
import type { ExpectedRevision } from '../event-store.port';
import { EsdbError, type EsdbConnection } from './esdb-client';

/** One client call under the adapter's deadline, retries and client reset. */
export type EsdbCall = <T>(what: string, work: (connection: EsdbConnection) => Promise<T>) => Promise<T>;

/** Names of bookkeeping streams start with this (after the prefix): no read, list or subscription shows them. */
export const PRIVATE_STREAM = '_';

export interface PrivateEvent {
  readonly id: string;
  readonly type: string;
  readonly data: JsonObject;
}

/**
 * The adapter's own bookkeeping streams (`<prefix>_…`): the store identity, batch markers,
 * the secret vault. They are never in the public log, and they may be tombstoned.
 */
export class EsdbPrivateStreams {
  constructor(
    private readonly prefix: string,
    private readonly call: EsdbCall,
  ) {}

  /** The last event and its revision; null for a stream that is missing or tombstoned. */
  async last(name: string): Promise<{ data: JsonObject; revision: number } | null> {
    const stream = this.stream(name);
    const records = await this.call(`read ${stream}`, async (c) => {
      const out = [];
      for await (const record of c.readStream(stream, 'end', 'backwards', 1)) out.push(record);
      return out;
    });
    const [record] = records;
    return record ? { data: record.data as JsonObject, revision: Number(record.revision) } : null;
  }

  /** Appends one event at the expected revision; returns the stream's new revision. */
  async append(name: string, event: PrivateEvent, expected: ExpectedRevision): Promise<number> {
    const stream = this.stream(name);
    const metadata = { schemaVersion: 1 };
    try {
      const result = await this.call(`append to ${stream}`, (c) =>
        c.append(stream, [{ ...event, metadata }], expected),
      );
      return Number(result.nextExpectedRevision);
    } catch (error) {
      if (error instanceof EsdbError && error.kind === 'conflict')
        throw new ConcurrencyError(name, expected, error.actualRevision ?? 'no-stream');
      throw error;
    }
  }

  /** Hard delete: stream reads never return its events again (a scavenge removes them from disk). */
  async tombstone(name: string): Promise<void> {
    const stream = this.stream(name);
    await this.call(`tombstone ${stream}`, (c) => c.tombstone(stream));
  }

  private stream(name: string): string {
    return `${this.prefix}${PRIVATE_STREAM}${name}`;
  }
}
