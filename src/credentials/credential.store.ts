import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { SqliteDatabase } from '../storage/sqlite-database';
import { asStoreUnavailable } from '../storage/sqlite-errors';
import { newId } from '../shared/ids';

export type CredentialKind = 'client-secret' | 'refresh-token' | 'webhook-secret' | 'webhook-url' | 'signing-key';

/** Secrets live here, encrypted; events and responses carry only the reference. */
export interface CredentialStore {
  put(kind: CredentialKind, secret: string): string;
  get(ref: string): string;
  /** Replaces the secret behind an existing reference (a refresh token that rotated). */
  replace(ref: string, secret: string): void;
  delete(ref: string): void;
}

export class CredentialError extends Error {
  override readonly name = 'CredentialError';
}

const ALGORITHM = 'aes-256-gcm';

/**
 * AES-256-GCM with a fresh 12-byte IV per secret; the reference is the additional
 * authenticated data, so a ciphertext copied under another reference fails to decrypt.
 * A key fingerprint is stored beside each row so a changed SAM_SECRET_KEY is reported
 * as such instead of as corrupt data.
 */
export class SqliteCredentialStore implements CredentialStore {
  private readonly keyId: string;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly key: Buffer,
  ) {
    if (key.length !== 32) throw new Error('the credential key must be 32 bytes');
    this.keyId = createHash('sha256').update(key).digest('hex').slice(0, 16);
    db.exec(`CREATE TABLE IF NOT EXISTS credentials (
      ref TEXT PRIMARY KEY, kind TEXT NOT NULL, key_id TEXT NOT NULL,
      iv BLOB NOT NULL, tag BLOB NOT NULL, ciphertext BLOB NOT NULL, created_at TEXT NOT NULL
    )`);
  }

  put(kind: CredentialKind, secret: string): string {
    const ref = `cred-${newId()}`;
    const sealed = this.seal(ref, secret);
    usable(() =>
      this.db
        .prepare(
          'INSERT INTO credentials (ref, kind, key_id, iv, tag, ciphertext, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        )
        .run(ref, kind, this.keyId, sealed.iv, sealed.tag, sealed.ciphertext, new Date().toISOString()),
    );
    return ref;
  }

  get(ref: string): string {
    const row = usable(() =>
      this.db.prepare('SELECT key_id, iv, tag, ciphertext FROM credentials WHERE ref = ?').get(ref),
    ) as { key_id: string; iv: Buffer; tag: Buffer; ciphertext: Buffer } | undefined;
    if (!row) throw new CredentialError(`credential ${ref} is not in the credential store`);
    if (row.key_id !== this.keyId) {
      throw new CredentialError(
        `credential ${ref} was encrypted under another SAM_SECRET_KEY; restore that key or enter the secret again`,
      );
    }
    const decipher = createDecipheriv(ALGORITHM, this.key, row.iv);
    decipher.setAAD(Buffer.from(ref));
    decipher.setAuthTag(row.tag);
    try {
      return Buffer.concat([decipher.update(row.ciphertext), decipher.final()]).toString('utf8');
    } catch {
      throw new CredentialError(`credential ${ref} failed its integrity check`);
    }
  }

  replace(ref: string, secret: string): void {
    const sealed = this.seal(ref, secret);
    const info = usable(() =>
      this.db
        .prepare('UPDATE credentials SET key_id = ?, iv = ?, tag = ?, ciphertext = ? WHERE ref = ?')
        .run(this.keyId, sealed.iv, sealed.tag, sealed.ciphertext, ref),
    );
    if (info.changes === 0) throw new CredentialError(`credential ${ref} is not in the credential store`);
  }

  delete(ref: string): void {
    usable(() => this.db.prepare('DELETE FROM credentials WHERE ref = ?').run(ref));
  }

  private seal(ref: string, secret: string) {
    const iv = randomBytes(12);
    const cipher = createCipheriv(ALGORITHM, this.key, iv);
    cipher.setAAD(Buffer.from(ref));
    const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return { iv, tag: cipher.getAuthTag(), ciphertext };
  }
}

/** A read-only or full database is the store being unavailable (503), not an internal error (500). */
function usable<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw asStoreUnavailable(error, 'the credential store');
  }
}

export const CREDENTIALS = Symbol('CredentialStore');
