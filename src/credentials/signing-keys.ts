import { randomBytes } from 'node:crypto';
import type { SqliteDatabase } from '../storage/sqlite-database';
import { asStoreUnavailable } from '../storage/sqlite-errors';
import type { CredentialStore } from './credential.store';

export interface SigningKey {
  /** Names the key inside what it signed, so a verifier picks the right one after a rotation. */
  readonly kid: string;
  readonly secret: Buffer;
  readonly createdAt: string;
}

/**
 * Where the service's own signing keys live. Every instance that verifies must see the same
 * keys, so this is the one seam to move them (today: the credential store; later: the
 * shared event store).
 */
export interface SigningKeyStore {
  /** Every key for a purpose, newest first. */
  list(purpose: string): SigningKey[];
  add(purpose: string, key: SigningKey): void;
  remove(purpose: string, kid: string): void;
}

/** Keys in the credential store (encrypted like every secret); which key is which in a small index table. */
export class CredentialSigningKeyStore implements SigningKeyStore {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly credentials: CredentialStore,
  ) {
    db.exec(`CREATE TABLE IF NOT EXISTS signing_keys (
      purpose TEXT NOT NULL, kid TEXT NOT NULL, created_at TEXT NOT NULL, credential_ref TEXT NOT NULL,
      PRIMARY KEY (purpose, kid)
    )`);
  }

  list(purpose: string): SigningKey[] {
    const rows = usable(() =>
      this.db
        .prepare(
          'SELECT kid, created_at, credential_ref FROM signing_keys WHERE purpose = ? ORDER BY created_at DESC, kid',
        )
        .all(purpose),
    ) as { kid: string; created_at: string; credential_ref: string }[];
    return rows.map((row) => ({
      kid: row.kid,
      createdAt: row.created_at,
      secret: Buffer.from(this.credentials.get(row.credential_ref), 'base64'),
    }));
  }

  add(purpose: string, key: SigningKey): void {
    const ref = this.credentials.put('signing-key', key.secret.toString('base64'));
    try {
      usable(() =>
        this.db
          .prepare('INSERT INTO signing_keys (purpose, kid, created_at, credential_ref) VALUES (?, ?, ?, ?)')
          .run(purpose, key.kid, key.createdAt, ref),
      );
    } catch (error) {
      this.credentials.delete(ref);
      throw error;
    }
  }

  remove(purpose: string, kid: string): void {
    const row = usable(() =>
      this.db.prepare('SELECT credential_ref FROM signing_keys WHERE purpose = ? AND kid = ?').get(purpose, kid),
    ) as { credential_ref: string } | undefined;
    if (!row) return;
    usable(() => this.db.prepare('DELETE FROM signing_keys WHERE purpose = ? AND kid = ?').run(purpose, kid));
    this.credentials.delete(row.credential_ref);
  }
}

export interface KeyRingPolicy {
  /** A key older than this is replaced by a new one for signing. */
  readonly rotateAfterMs: number;
  /** A replaced key still verifies this long (the longest anything it signed stays valid). */
  readonly verifyAfterRetirementMs: number;
}

/**
 * Signing keys for one purpose with rotation: signing always uses the newest key, made anew
 * once it is older than the rotation period; older keys keep verifying until everything they
 * signed has expired, then are deleted. Two instances rotating at once each add a key; both
 * verify, and the newer signs from then on.
 */
export class KeyRing {
  constructor(
    private readonly store: SigningKeyStore,
    private readonly purpose: string,
    private readonly policy: KeyRingPolicy,
    private readonly now: () => Date,
  ) {}

  /** The key to sign with now (made when there is none or the newest is due for rotation). */
  current(): SigningKey {
    const keys = this.store.list(this.purpose);
    const newest = keys[0];
    const now = this.now();
    if (newest && now.getTime() - Date.parse(newest.createdAt) < this.policy.rotateAfterMs) return newest;
    const made: SigningKey = {
      kid: randomBytes(6).toString('base64url'),
      secret: randomBytes(32),
      createdAt: now.toISOString(),
    };
    this.store.add(this.purpose, made);
    this.prune([made, ...keys]);
    return made;
  }

  /** The key a token names, while it may still verify. */
  find(kid: string): SigningKey | null {
    return this.store.list(this.purpose).find((k) => k.kid === kid) ?? null;
  }

  /** Drops every key whose successor has been signing for longer than anything it signed may live. */
  private prune(newestFirst: readonly SigningKey[]): void {
    const now = this.now().getTime();
    for (let i = 1; i < newestFirst.length; i++) {
      const retiredAt = Date.parse(newestFirst[i - 1]!.createdAt);
      if (now - retiredAt > this.policy.verifyAfterRetirementMs) this.store.remove(this.purpose, newestFirst[i]!.kid);
    }
  }
}

/** A read-only or full database is the store being unavailable (503), not an internal error (500). */
function usable<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw asStoreUnavailable(error, 'the signing key store');
  }
}
