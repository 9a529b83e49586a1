import { randomBytes } from 'node:crypto';
import { ConcurrencyError } from '../eventstore/errors';
import { newId } from '../shared/ids';
import type { JsonObject } from '../shared/json';
import { keyFingerprint, seal, sealedOf, unseal } from './envelope';
import type { SecretVault } from './vault';

export type CredentialKind = 'client-secret' | 'refresh-token' | 'webhook-secret' | 'webhook-url' | 'signing-key';

/** Secrets live here, encrypted; events and responses carry only the reference. */
export interface CredentialStore {
  put(kind: CredentialKind, secret: string): Promise<string>;
  get(ref: string): Promise<string>;
  /** Replaces the secret behind an existing reference (a refresh token that rotated). */
  replace(ref: string, secret: string): Promise<void>;
  delete(ref: string): Promise<void>;
}

export class CredentialError extends Error {
  override readonly name = 'CredentialError';
}

/** SAM_SECRET_KEY is not the key the shared store's data keys are sealed with: the service must not start. */
export class SecretKeyMismatchError extends Error {
  override readonly name = 'SecretKeyMismatchError';
  constructor(
    readonly expected: string,
    readonly actual: string,
  ) {
    super(
      `SAM_SECRET_KEY is not the key this store's secrets are sealed with (the store's key has fingerprint ${expected}, ` +
        `this one ${actual}): every instance must start with the same SAM_SECRET_KEY`,
    );
  }
}

/** The record that says which master key seals every data key; written by the first instance. */
export const MASTER_KEY_RECORD = 'master-key';
const KEY_CHECK = "license-ledger: the key that seals this store's data keys";
const REPLACE_ATTEMPTS = 4;

/**
 * Envelope encryption over the shared secret vault (AES-256-GCM throughout):
 * - each credential version has its own random data key, kept in the vault as `dk-<uuid>`,
 *   sealed under SAM_SECRET_KEY (the master key) and bound to its name;
 * - the secret is sealed under that data key and bound to its reference and key name, in
 *   the record `cred-<uuid>` (the reference events carry);
 * - deleting a credential destroys its data keys, then its record; replacing it writes a
 *   new data key, then the record naming the old key as retired, then destroys the old
 *   key. Whatever copy of an old ciphertext a store keeps (EventStoreDB keeps every version
 *   until a scavenge) is unreadable once its data key is gone: crypto-shredding.
 * A crash between those steps leaves a retired key that the next replace or delete destroys.
 */
export class VaultCredentialStore implements CredentialStore {
  readonly fingerprint: string;

  private constructor(
    private readonly vault: SecretVault,
    private readonly key: Buffer,
  ) {
    this.fingerprint = keyFingerprint(key);
  }

  /** The first start records which key seals the data keys; every later start must bring the same key. */
  static async open(vault: SecretVault, key: Buffer): Promise<VaultCredentialStore> {
    if (key.length !== 32) throw new Error('the credential key must be 32 bytes');
    const store = new VaultCredentialStore(vault, key);
    await store.checkMasterKey();
    return store;
  }

  async put(kind: CredentialKind, secret: string): Promise<string> {
    const ref = `cred-${newId()}`;
    await this.writeSealed(ref, kind, secret, null, []);
    return ref;
  }

  /** Stores a secret under a reference chosen before (one moved from an earlier version); false when it is there already. */
  async adopt(ref: string, kind: CredentialKind, secret: string): Promise<boolean> {
    try {
      await this.writeSealed(ref, kind, secret, null, []);
      return true;
    } catch (error) {
      if (error instanceof ConcurrencyError) return false;
      throw error;
    }
  }

  async get(ref: string): Promise<string> {
    const entry = await this.vault.read(ref);
    if (!entry) throw new CredentialError(`credential ${ref} is not in the credential store`);
    const dataKeyName = String(entry.record.dataKey);
    const dataKey = await this.dataKey(dataKeyName, ref);
    const sealed = sealedOf(entry.record);
    const secret = sealed && unseal(dataKey, sealed, `${ref}|${dataKeyName}`);
    if (!secret) throw new CredentialError(`credential ${ref} failed its integrity check`);
    return secret.toString('utf8');
  }

  async replace(ref: string, secret: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const entry = await this.vault.read(ref);
      if (!entry) throw new CredentialError(`credential ${ref} is not in the credential store`);
      // Keys an earlier replace retired but may not have destroyed (it crashed): destroyed first.
      await this.destroyAll(retiredOf(entry.record));
      const current = String(entry.record.dataKey);
      try {
        await this.writeSealed(ref, entry.record.kind as CredentialKind, secret, entry.version, [current]);
      } catch (error) {
        // Another instance replaced it meanwhile: write ours on top of theirs (the latest secret wins).
        if (error instanceof ConcurrencyError && attempt < REPLACE_ATTEMPTS) continue;
        throw error;
      }
      await this.vault.destroy(current);
      return;
    }
  }

  async delete(ref: string): Promise<void> {
    const entry = await this.vault.read(ref);
    if (!entry) return;
    // The keys first: once they are gone the secret is unreadable wherever a copy survives.
    await this.destroyAll([String(entry.record.dataKey), ...retiredOf(entry.record)]);
    await this.vault.destroy(ref);
  }

  private async writeSealed(
    ref: string,
    kind: CredentialKind,
    secret: string,
    expected: number | null,
    retired: readonly string[],
  ): Promise<void> {
    const dataKeyName = `dk-${newId()}`;
    const dataKey = randomBytes(32);
    await this.vault.write(dataKeyName, { masterKey: this.fingerprint, ...seal(this.key, dataKey, dataKeyName) }, null);
    const record: JsonObject = {
      kind,
      dataKey: dataKeyName,
      retired: [...retired],
      ...seal(dataKey, Buffer.from(secret, 'utf8'), `${ref}|${dataKeyName}`),
    };
    try {
      await this.vault.write(ref, record, expected);
    } catch (error) {
      await this.vault.destroy(dataKeyName).catch(() => undefined);
      throw error;
    }
  }

  private async dataKey(name: string, ref: string): Promise<Buffer> {
    const entry = await this.vault.read(name);
    if (!entry) throw new CredentialError(`credential ${ref} was deleted or replaced: its data key is destroyed`);
    if (entry.record.masterKey !== this.fingerprint)
      throw new CredentialError(
        `credential ${ref} was encrypted under another SAM_SECRET_KEY; restore that key or enter the secret again`,
      );
    const sealed = sealedOf(entry.record);
    const key = sealed && unseal(this.key, sealed, name);
    if (!key) throw new CredentialError(`credential ${ref} failed its integrity check`);
    return key;
  }

  private async destroyAll(names: readonly string[]): Promise<void> {
    for (const name of names) await this.vault.destroy(name);
  }

  private async checkMasterKey(): Promise<void> {
    const entry = await this.vault.read(MASTER_KEY_RECORD);
    if (!entry) {
      const record = { fingerprint: this.fingerprint, ...seal(this.key, Buffer.from(KEY_CHECK), MASTER_KEY_RECORD) };
      try {
        await this.vault.write(MASTER_KEY_RECORD, record, null);
        return;
      } catch (error) {
        // Another instance starting at the same moment wrote it first: check against theirs.
        if (!(error instanceof ConcurrencyError)) throw error;
        return this.checkMasterKey();
      }
    }
    const sealed = sealedOf(entry.record);
    const opened = sealed && unseal(this.key, sealed, MASTER_KEY_RECORD);
    if (opened?.toString('utf8') !== KEY_CHECK)
      throw new SecretKeyMismatchError(String(entry.record.fingerprint), this.fingerprint);
  }
}

const retiredOf = (record: JsonObject): string[] =>
  Array.isArray(record.retired) ? record.retired.filter((r): r is string => typeof r === 'string') : [];

export const CREDENTIALS = Symbol('CredentialStore');
