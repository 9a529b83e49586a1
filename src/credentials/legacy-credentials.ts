import type { SqliteDatabase } from '../storage/sqlite-database';
import type { CredentialKind, VaultCredentialStore } from './credential.store';
import { keyFingerprint, unsealRaw } from './envelope';
import type { VaultSigningKeyStore } from './signing-keys';

export interface MigrationReport {
  /** Credentials now in the vault (moved now, or found there from an earlier, interrupted move). */
  readonly moved: number;
  /** Rows sealed under another SAM_SECRET_KEY: left where they are, unreadable with this key. */
  readonly foreign: number;
  readonly signingKeys: number;
}

interface LegacyRow {
  readonly ref: string;
  readonly kind: string;
  readonly key_id: string;
  readonly iv: Buffer;
  readonly tag: Buffer;
  readonly ciphertext: Buffer;
}

/**
 * Earlier versions sealed each secret directly under SAM_SECRET_KEY in the instance's own
 * SQLite file (table `credentials`, signing keys indexed in `signing_keys`), where another
 * instance could not read them. At start they move into the shared vault under the same
 * references (events name them), each with its own data key; a moved row is overwritten
 * and deleted. Idempotent: a reference already in the vault (a move cut short, or another
 * instance on the same file moving it at the same moment) is not written twice.
 */
export async function migrateLegacyCredentials(
  db: SqliteDatabase,
  key: Buffer,
  credentials: VaultCredentialStore,
  signingKeys: VaultSigningKeyStore,
): Promise<MigrationReport> {
  const fingerprint = keyFingerprint(key);
  let moved = 0;
  let foreign = 0;
  if (hasTable(db, 'credentials')) {
    const rows = db.prepare('SELECT ref, kind, key_id, iv, tag, ciphertext FROM credentials').all() as LegacyRow[];
    for (const row of rows) {
      const secret = row.key_id === fingerprint ? unsealRaw(key, row.iv, row.tag, row.ciphertext, row.ref) : null;
      if (!secret) {
        foreign += 1;
        continue;
      }
      await credentials.adopt(row.ref, row.kind as CredentialKind, secret.toString('utf8'));
      forget(db, row.ref);
      moved += 1;
    }
  }
  let signing = 0;
  if (hasTable(db, 'signing_keys')) {
    const rows = db.prepare('SELECT purpose, kid, created_at, credential_ref FROM signing_keys').all() as {
      purpose: string;
      kid: string;
      created_at: string;
      credential_ref: string;
    }[];
    for (const row of rows) {
      await signingKeys.adopt(row.purpose, { kid: row.kid, createdAt: row.created_at, ref: row.credential_ref });
      db.prepare('DELETE FROM signing_keys WHERE purpose = ? AND kid = ?').run(row.purpose, row.kid);
      signing += 1;
    }
  }
  return { moved, foreign, signingKeys: signing };
}

function hasTable(db: SqliteDatabase, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

/** Zeros first, then the row: the file keeps no copy once SQLite checkpoints the page. */
function forget(db: SqliteDatabase, ref: string): void {
  db.transaction(() => {
    db.prepare('UPDATE credentials SET ciphertext = zeroblob(length(ciphertext)) WHERE ref = ?').run(ref);
    db.prepare('DELETE FROM credentials WHERE ref = ?').run(ref);
  })();
}
