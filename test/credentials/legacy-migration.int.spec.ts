import Database from 'better-sqlite3';
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { VaultCredentialStore } from '../../src/credentials/credential.store';
import { openCredentialStore } from '../../src/credentials/open-credentials';
import { VaultSigningKeyStore } from '../../src/credentials/signing-keys';
import { SqliteVault } from '../../src/credentials/sqlite-vault';
import type { SecretVault } from '../../src/credentials/vault';
import { EsdbEventStore } from '../../src/eventstore/esdb/esdb.event-store';
import { EsdbVault } from '../../src/eventstore/esdb/esdb-vault';
import { JsonLogger } from '../../src/logging/logger';
import { startEsdbFake, type EsdbFake } from '../support/esdb-fake';

/** What versions before the shared vault wrote into each instance's own SQLite file (the old SqliteCredentialStore). */
function writeLegacy(db: Database.Database, key: Buffer, rows: { ref: string; kind: string; secret: string }[]) {
  db.exec(`CREATE TABLE credentials (
      ref TEXT PRIMARY KEY, kind TEXT NOT NULL, key_id TEXT NOT NULL,
      iv BLOB NOT NULL, tag BLOB NOT NULL, ciphertext BLOB NOT NULL, created_at TEXT NOT NULL
    );
    CREATE TABLE signing_keys (
      purpose TEXT NOT NULL, kid TEXT NOT NULL, created_at TEXT NOT NULL, credential_ref TEXT NOT NULL,
      PRIMARY KEY (purpose, kid)
    )`);
  const insert = db.prepare(
    'INSERT INTO credentials (ref, kind, key_id, iv, tag, ciphertext, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  for (const row of rows) {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(row.ref));
    const ciphertext = Buffer.concat([cipher.update(row.secret, 'utf8'), cipher.final()]);
    const keyId = createHash('sha256').update(key).digest('hex').slice(0, 16);
    insert.run(row.ref, row.kind, keyId, iv, cipher.getAuthTag(), ciphertext, '2025-01-01T00:00:00.000Z');
  }
}

describe.each(['sqlite', 'esdb'] as const)('credentials from an earlier version move into the %s vault', (kind) => {
  let fake: EsdbFake | null = null;
  let client: EsdbEventStore | null = null;
  let local: Database.Database;
  let vault: SecretVault;
  const key = randomBytes(32);
  const logs: string[] = [];
  const logger = new JsonLogger('info', (line) => logs.push(line));
  const signingSecret = randomBytes(32).toString('base64');
  const legacy = [
    { ref: 'cred-00000000-0000-4000-8000-000000000001', kind: 'client-secret', secret: 'graph-secret' },
    { ref: 'cred-00000000-0000-4000-8000-000000000002', kind: 'refresh-token', secret: 'refresh-token-value' },
    { ref: 'cred-00000000-0000-4000-8000-000000000003', kind: 'signing-key', secret: signingSecret },
  ];

  beforeEach(async () => {
    logs.length = 0;
    local = new Database(':memory:');
    writeLegacy(local, key, legacy);
    local
      .prepare('INSERT INTO signing_keys (purpose, kid, created_at, credential_ref) VALUES (?, ?, ?, ?)')
      .run('keep-link', 'kid00001', '2025-02-01T00:00:00.000Z', legacy[2]!.ref);
    if (kind === 'sqlite') vault = new SqliteVault(local);
    else {
      fake = await startEsdbFake();
      client = EsdbEventStore.connect(fake.connectionString, { streamPrefix: 'ledger_' });
      vault = new EsdbVault(client.privateStreams);
    }
  });
  afterEach(async () => {
    await client?.close();
    await fake?.stop();
    local.close();
  });

  it('at start, under the same references, each with its own data key; the old rows are gone', async () => {
    const store = await openCredentialStore(vault, local, { key, source: 'test' }, logger);
    for (const row of legacy) await expect(store.get(row.ref)).resolves.toBe(row.secret);
    expect(local.prepare('SELECT count(*) AS n FROM credentials').get()).toEqual({ n: 0 });
    expect(local.prepare('SELECT count(*) AS n FROM signing_keys').get()).toEqual({ n: 0 });
    const dataKeys = await Promise.all(legacy.map(async (row) => (await vault.read(row.ref))!.record.dataKey));
    expect(new Set(dataKeys).size).toBe(3);
    const [signing] = await new VaultSigningKeyStore(vault, store).list('keep-link');
    expect(signing).toMatchObject({ kid: 'kid00001', createdAt: '2025-02-01T00:00:00.000Z' });
    expect(signing!.secret.toString('base64')).toBe(signingSecret);
    expect(logs.some((l) => l.includes('moved credentials') && l.includes('"moved":3'))).toBe(true);
  });

  it('is idempotent: a move cut short is finished by the next start, and nothing is written twice', async () => {
    // The first start died after moving one row and before deleting it: the vault has it, the file still does too.
    const first = await VaultCredentialStore.open(vault, key);
    await first.adopt(legacy[0]!.ref, 'client-secret', legacy[0]!.secret);
    const before = (await vault.read(legacy[0]!.ref))!;
    const store = await openCredentialStore(vault, local, { key, source: 'test' }, logger);
    await openCredentialStore(vault, local, { key, source: 'test' }, logger);
    expect(await vault.read(legacy[0]!.ref)).toEqual(before);
    for (const row of legacy) await expect(store.get(row.ref)).resolves.toBe(row.secret);
    expect(await new VaultSigningKeyStore(vault, store).list('keep-link')).toHaveLength(1);
  });

  it('leaves rows sealed under another key where they are, and says so', async () => {
    writeLegacyForeign(local);
    await openCredentialStore(vault, local, { key, source: 'test' }, logger);
    expect(local.prepare('SELECT ref FROM credentials').all()).toEqual([{ ref: 'cred-foreign' }]);
    expect(logs.some((l) => l.includes('"level":"warn"') && l.includes('another SAM_SECRET_KEY'))).toBe(true);
  });
});

function writeLegacyForeign(db: Database.Database) {
  db.prepare(
    'INSERT INTO credentials (ref, kind, key_id, iv, tag, ciphertext, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  ).run('cred-foreign', 'client-secret', 'ffffffffffffffff', randomBytes(12), randomBytes(16), randomBytes(8), 'x');
}
