import type { JsonObject } from '../shared/json';

/** A record as the vault holds it, with the version a conditional write names. */
export interface VaultEntry {
  readonly record: JsonObject;
  readonly version: number;
}

/**
 * Where sealed secrets and their wrapped data keys live: in the store every instance shares
 * (the SQLite file, or EventStoreDB), outside the public event log, and able to destroy a
 * record for good. It stores only what the credential store has already encrypted.
 */
export interface SecretVault {
  readonly kind: 'sqlite' | 'esdb';
  /** The latest record under a name; null when there is none or it was destroyed. */
  read(name: string): Promise<VaultEntry | null>;
  /**
   * Writes the next record under a name, if the name is still at `expected` (null: it must
   * not exist yet); otherwise a ConcurrencyError. Returns the new version. A destroyed name
   * cannot be written again (VaultRecordDestroyed).
   */
  write(name: string, record: JsonObject, expected: number | null): Promise<number>;
  /**
   * Destroys a record and every earlier version of it, as far as the store can
   * (docs/ARCHITECTURE.md, "Shared secrets", says how far each goes). Destroying a missing
   * or destroyed name is a no-op.
   */
  destroy(name: string): Promise<void>;
}

/** A write to a name that was destroyed: names are never reused. */
export class VaultRecordDestroyed extends Error {
  override readonly name = 'VaultRecordDestroyed';
  constructor(readonly record: string) {
    super(`the vault record ${record} was destroyed and cannot be written again`);
  }
}
