import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import {
  CredentialError,
  SecretKeyMismatchError,
  VaultCredentialStore,
  type CredentialStore,
} from '../../src/credentials/credential.store';
import { SqliteVault } from '../../src/credentials/sqlite-vault';
import type { SecretVault } from '../../src/credentials/vault';
import { EsdbEventStore } from '../../src/eventstore/esdb/esdb.event-store';
import { EsdbVault } from '../../src/eventstore/esdb/esdb-vault';
import { startEsdbFake, type EsdbFake } from '../support/esdb-fake';

const SECRET = 'client-secret-Zq8~never-in-clear';

/** A vault whose destroy fails while `failing` is set: a process dying between two steps. */
function flaky(vault: SecretVault) {
  const state = { failing: false };
  const wrapped: SecretVault = {
    kind: vault.kind,
    read: (name) => vault.read(name),
    write: (name, record, expected) => vault.write(name, record, expected),
    destroy: async (name) => {
      if (state.failing) throw new Error('the process died here');
      return vault.destroy(name);
    },
  };
  return { vault: wrapped, state };
}

describe.each(['sqlite', 'esdb'] as const)('credential store on the %s vault', (kind) => {
  let fake: EsdbFake | null = null;
  const clients: EsdbEventStore[] = [];
  let db: Database.Database;
  const key = randomBytes(32);

  /** Another instance's view of the same shared vault. */
  const vaultOf = (): SecretVault => {
    if (kind === 'sqlite') return new SqliteVault(db);
    const client = EsdbEventStore.connect(fake!.connectionString, { streamPrefix: 'ledger_' });
    clients.push(client);
    return new EsdbVault(client.privateStreams);
  };
  /** Everything the store holds, raw: the SQLite rows, or every event the fake server has ever written. */
  const rawStore = () =>
    kind === 'sqlite'
      ? JSON.stringify(db.prepare('SELECT * FROM vault').all())
      : fake!.log.records.map((r) => Buffer.from(r.data).toString('utf8')).join('\n');

  beforeEach(async () => {
    db = new Database(':memory:');
    if (kind === 'esdb') fake = await startEsdbFake();
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) await client.close();
    await fake?.stop();
    db.close();
  });

  it('seals a secret that any instance sharing the vault reads, and never holds it in clear', async () => {
    const a: CredentialStore = await VaultCredentialStore.open(vaultOf(), key);
    const b: CredentialStore = await VaultCredentialStore.open(vaultOf(), key);
    const ref = await a.put('client-secret', SECRET);
    expect(ref).toMatch(/^cred-[0-9a-f-]{36}$/);
    await expect(b.get(ref)).resolves.toBe(SECRET);
    expect(rawStore()).not.toContain(SECRET);
    expect(rawStore()).not.toContain(Buffer.from(SECRET).toString('base64'));
  });

  it('replacing destroys the old data key: the old ciphertext, wherever it survives, can no longer be opened', async () => {
    const vault = vaultOf();
    const store = await VaultCredentialStore.open(vault, key);
    const ref = await store.put('refresh-token', 'token-one');
    const first = (await vault.read(ref))!.record;
    await store.replace(ref, 'token-two');
    await expect(store.get(ref)).resolves.toBe('token-two');
    const second = (await vault.read(ref))!.record;
    expect(second.dataKey).not.toBe(first.dataKey);
    expect(second.retired).toEqual([first.dataKey]);
    await expect(vault.read(String(first.dataKey))).resolves.toBeNull();
    if (kind === 'esdb') {
      // The server keeps the old version until a scavenge; without its data key it is noise.
      expect(rawStore()).toContain(String(first.ciphertext));
    }
  });

  it('deleting destroys the data key and the record: the secret is gone for every instance', async () => {
    const vault = vaultOf();
    const a = await VaultCredentialStore.open(vault, key);
    const b = await VaultCredentialStore.open(vaultOf(), key);
    const ref = await a.put('webhook-secret', SECRET);
    const { dataKey } = (await vault.read(ref))!.record;
    await a.delete(ref);
    await expect(b.get(ref)).rejects.toBeInstanceOf(CredentialError);
    await expect(vault.read(String(dataKey))).resolves.toBeNull();
    await expect(vault.read(ref)).resolves.toBeNull();
    await expect(a.delete(ref)).resolves.toBeUndefined();
  });

  it('a replace cut short before it destroyed the old key: the next replace destroys it', async () => {
    const { vault, state } = flaky(vaultOf());
    const store = await VaultCredentialStore.open(vault, key);
    const ref = await store.put('refresh-token', 'token-one');
    const first = String((await vault.read(ref))!.record.dataKey);
    state.failing = true;
    await expect(store.replace(ref, 'token-two')).rejects.toThrow('the process died here');
    state.failing = false;
    await expect(store.get(ref)).resolves.toBe('token-two');
    expect(await vault.read(first)).not.toBeNull();
    await store.replace(ref, 'token-three');
    await expect(vault.read(first)).resolves.toBeNull();
    await expect(store.get(ref)).resolves.toBe('token-three');
  });

  it('two instances replacing at once: both land in turn, the latest secret wins, no key is left behind', async () => {
    const vault = vaultOf();
    const a = await VaultCredentialStore.open(vault, key);
    const b = await VaultCredentialStore.open(vaultOf(), key);
    const ref = await a.put('refresh-token', 'token-zero');
    await Promise.all([a.replace(ref, 'token-a'), b.replace(ref, 'token-b')]);
    const { record } = (await vault.read(ref))!;
    expect(['token-a', 'token-b']).toContain(await a.get(ref));
    await expect(b.get(ref)).resolves.toBe(await a.get(ref));
    // Two replaces: the live key plus the one retired last; every earlier key is destroyed.
    await expect(vault.read(String(record.dataKey))).resolves.not.toBeNull();
    await expect(vault.read(String((record.retired as string[])[0]))).resolves.toBeNull();
  });

  it('the first start records the master key; a start with another key is refused, naming both fingerprints', async () => {
    const vault = vaultOf();
    const first = await VaultCredentialStore.open(vault, key);
    const other = randomBytes(32);
    const refused = await VaultCredentialStore.open(vaultOf(), other).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SecretKeyMismatchError);
    expect((refused as Error).message).toContain(first.fingerprint);
    await expect(VaultCredentialStore.open(vaultOf(), key)).resolves.toBeInstanceOf(VaultCredentialStore);
  });
});
