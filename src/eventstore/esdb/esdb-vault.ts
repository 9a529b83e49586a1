import { VaultRecordDestroyed, type SecretVault, type VaultEntry } from '../../credentials/vault';
import { newId } from '../../shared/ids';
import type { JsonObject } from '../../shared/json';
import { EsdbError } from './esdb-client';
import type { EsdbPrivateStreams } from './esdb-private-streams';

const STREAM = 'vault-';
const EVENT_TYPE = 'VaultRecordWritten';

/**
 * The secret vault on EventStoreDB: one private stream per record (`<prefix>_vault-<name>`),
 * each write an event at the expected revision, the latest event the record. Destroying a
 * record tombstones its stream: stream reads never return any of its versions again and the
 * name cannot be written again; the bytes stay in `$all` (readable by an admin reading the
 * raw log) until the server's next scavenge removes them.
 */
export class EsdbVault implements SecretVault {
  readonly kind = 'esdb' as const;

  constructor(private readonly streams: EsdbPrivateStreams) {}

  async read(name: string): Promise<VaultEntry | null> {
    const last = await this.streams.last(STREAM + name);
    return last ? { record: last.data, version: last.revision } : null;
  }

  async write(name: string, record: JsonObject, expected: number | null): Promise<number> {
    // One id for every retry of this write: a repeat after a lost answer is a no-op.
    const event = { id: newId(), type: EVENT_TYPE, data: record };
    try {
      return await this.streams.append(STREAM + name, event, expected === null ? 'no-stream' : expected);
    } catch (error) {
      if (error instanceof EsdbError && error.kind === 'deleted') throw new VaultRecordDestroyed(name);
      throw error;
    }
  }

  async destroy(name: string): Promise<void> {
    await this.streams.tombstone(STREAM + name);
  }
}
