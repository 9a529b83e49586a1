import { randomBytes } from 'node:crypto';
import { ConcurrencyError } from '../eventstore/errors';
import type { JsonObject } from '../shared/json';
import { CredentialError, type CredentialStore } from './credential.store';
import type { SecretVault } from './vault';

export interface SigningKey {
  /** Names the key inside what it signed, so a verifier picks the right one after a rotation. */
  readonly kid: string;
  readonly secret: Buffer;
  readonly createdAt: string;
}

/** Which key is which: the index entry beside the key's secret (a credential reference). */
export interface SigningKeyEntry {
  readonly kid: string;
  readonly createdAt: string;
  readonly ref: string;
}

/**
 * Where the service's own signing keys live. Every instance that verifies must see the same
 * keys (a keep link signed by one instance is clicked on another), so they live in the
 * shared store, like every secret.
 */
export interface SigningKeyStore {
  /** Every key for a purpose, newest first. */
  list(purpose: string): Promise<SigningKey[]>;
  add(purpose: string, key: SigningKey): Promise<void>;
  remove(purpose: string, kid: string): Promise<void>;
}

const UPDATE_ATTEMPTS = 8;

/**
 * Keys in the shared secret vault: each secret is a credential (sealed under its own data
 * key, like every secret), and one vault record per purpose, `keyring-<purpose>`, lists
 * them; it changes by conditional writes, so two instances adding keys at once both land.
 */
export class VaultSigningKeyStore implements SigningKeyStore {
  constructor(
    private readonly vault: SecretVault,
    private readonly credentials: CredentialStore,
  ) {}

  async list(purpose: string): Promise<SigningKey[]> {
    const entries = (await this.read(purpose)).entries;
    const keys = await Promise.all(
      entries.map(async (entry): Promise<SigningKey | null> => {
        try {
          const secret = Buffer.from(await this.credentials.get(entry.ref), 'base64');
          return { kid: entry.kid, createdAt: entry.createdAt, secret };
        } catch (error) {
          // Removed by another instance between the two reads.
          if (error instanceof CredentialError) return null;
          throw error;
        }
      }),
    );
    return keys.filter((k): k is SigningKey => k !== null);
  }

  async add(purpose: string, key: SigningKey): Promise<void> {
    const ref = await this.credentials.put('signing-key', key.secret.toString('base64'));
    try {
      await this.adopt(purpose, { kid: key.kid, createdAt: key.createdAt, ref });
    } catch (error) {
      await this.credentials.delete(ref).catch(() => undefined);
      throw error;
    }
  }

  /** Lists a key whose secret is already a credential (one moved from an earlier version); a known kid is left as it is. */
  async adopt(purpose: string, entry: SigningKeyEntry): Promise<void> {
    await this.update(purpose, (entries) => (entries.some((e) => e.kid === entry.kid) ? entries : [...entries, entry]));
  }

  async remove(purpose: string, kid: string): Promise<void> {
    let removed: SigningKeyEntry | undefined;
    await this.update(purpose, (entries) => {
      removed = entries.find((e) => e.kid === kid);
      return entries.filter((e) => e.kid !== kid);
    });
    if (removed) await this.credentials.delete(removed.ref);
  }

  private async read(purpose: string): Promise<{ entries: SigningKeyEntry[]; version: number | null }> {
    const found = await this.vault.read(`keyring-${purpose}`);
    const raw = Array.isArray(found?.record.keys) ? found.record.keys : [];
    const entries = raw
      .filter((k): k is JsonObject => typeof k === 'object' && k !== null && !Array.isArray(k))
      .map((k) => ({ kid: String(k.kid), createdAt: String(k.createdAt), ref: String(k.ref) }))
      .sort((a, b) => (a.createdAt === b.createdAt ? (a.kid < b.kid ? -1 : 1) : a.createdAt > b.createdAt ? -1 : 1));
    return { entries, version: found?.version ?? null };
  }

  private async update(purpose: string, change: (entries: SigningKeyEntry[]) => SigningKeyEntry[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const { entries, version } = await this.read(purpose);
      const next = change(entries);
      if (next === entries) return;
      try {
        await this.vault.write(`keyring-${purpose}`, { keys: next.map((e) => ({ ...e })) }, version);
        return;
      } catch (error) {
        if (!(error instanceof ConcurrencyError) || attempt >= UPDATE_ATTEMPTS) throw error;
      }
    }
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
  private cached: { keys: SigningKey[]; loadedAtMs: number } | null = null;

  constructor(
    private readonly store: SigningKeyStore,
    private readonly purpose: string,
    private readonly policy: KeyRingPolicy,
    private readonly now: () => Date,
  ) {}

  /** The key to sign with now (made when there is none or the newest is due for rotation). */
  async current(): Promise<SigningKey> {
    const keys = await this.load();
    const newest = keys[0];
    const now = this.now();
    if (newest && now.getTime() - Date.parse(newest.createdAt) < this.policy.rotateAfterMs) return newest;
    const made: SigningKey = {
      kid: randomBytes(6).toString('base64url'),
      secret: randomBytes(32),
      createdAt: now.toISOString(),
    };
    await this.store.add(this.purpose, made);
    await this.prune([made, ...keys]);
    this.cached = null;
    return made;
  }

  /**
   * The key a token names, while it may still verify. Keys are kept for a minute; a kid not
   * among them reloads them (at most once a second), since another instance may have just
   * rotated.
   */
  async find(kid: string): Promise<SigningKey | null> {
    const cached = this.cached;
    const age = cached ? Date.now() - cached.loadedAtMs : Infinity;
    const hit = age < CACHE_MS ? cached!.keys.find((k) => k.kid === kid) : undefined;
    if (hit || age < RELOAD_ON_MISS_MS) return hit ?? null;
    return (await this.load()).find((k) => k.kid === kid) ?? null;
  }

  private async load(): Promise<SigningKey[]> {
    const keys = await this.store.list(this.purpose);
    this.cached = { keys, loadedAtMs: Date.now() };
    return keys;
  }

  /** Drops every key whose successor has been signing for longer than anything it signed may live. */
  private async prune(newestFirst: readonly SigningKey[]): Promise<void> {
    const now = this.now().getTime();
    for (let i = 1; i < newestFirst.length; i++) {
      const retiredAt = Date.parse(newestFirst[i - 1]!.createdAt);
      if (now - retiredAt > this.policy.verifyAfterRetirementMs)
        await this.store.remove(this.purpose, newestFirst[i]!.kid);
    }
  }
}

const CACHE_MS = 60_000;
const RELOAD_ON_MISS_MS = 1_000;
