import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteVault } from '../../src/credentials/sqlite-vault';
import { EsdbEventStore } from '../../src/eventstore/esdb/esdb.event-store';
import { EsdbVault } from '../../src/eventstore/esdb/esdb-vault';
import { newId } from '../../src/shared/ids';
import { openSqliteDatabase, type SqliteDatabase } from '../../src/storage/sqlite-database';
import { startEsdbFake, type EsdbFake } from '../support/esdb-fake';
import { vaultContract } from './vault.contract';

const dir = mkdtempSync(join(tmpdir(), 'll-vault-'));
let db: SqliteDatabase;
vaultContract(
  'SQLite file',
  async () => new SqliteVault((db = openSqliteDatabase(join(dir, 'vault.sqlite')))),
  async () => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  },
);

let fake: EsdbFake;
let esdb: EsdbEventStore;
const prefix = () => `vault${newId().slice(0, 8)}_`;
vaultContract(
  'EventStoreDB test server',
  async () => {
    fake = await startEsdbFake();
    esdb = EsdbEventStore.connect(fake.connectionString, { streamPrefix: prefix() });
    return new EsdbVault(esdb.privateStreams);
  },
  async () => {
    await esdb.close();
    await fake.stop();
  },
);

const connectionString = process.env.EVENTSTORE_CONNECTION_STRING;
if (connectionString) {
  let real: EsdbEventStore;
  vaultContract(
    `EventStoreDB at ${connectionString}`,
    async () => {
      real = EsdbEventStore.connect(connectionString, { streamPrefix: prefix(), callTimeoutMs: 20_000 });
      return new EsdbVault(real.privateStreams);
    },
    () => real.close(),
  );
}
