import { createHmac, randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { VaultCredentialStore } from '../../src/credentials/credential.store';
import { KeyRing, VaultSigningKeyStore } from '../../src/credentials/signing-keys';
import { SqliteVault } from '../../src/credentials/sqlite-vault';
import { checkKeepToken, keepTokenKid, signKeepToken } from '../../src/reclamation/keep-token';

const DAY = 86_400_000;
const subject = {
  profileId: '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0',
  reclamationId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
};

describe('keep-link tokens and their key ring', () => {
  let now: Date;
  let store: VaultSigningKeyStore;
  let ring: KeyRing;
  const seconds = () => Math.floor(now.getTime() / 1000);
  const check = async (token: string, s = subject) => {
    const kid = keepTokenKid(token);
    const key = kid ? await ring.find(kid) : null;
    return checkKeepToken(token, s, () => key, seconds());
  };
  const kids = async () => (await store.list('keep-link')).map((k) => k.kid);

  beforeEach(async () => {
    now = new Date('2026-03-01T00:00:00Z');
    const vault = new SqliteVault(new Database(':memory:'));
    store = new VaultSigningKeyStore(vault, await VaultCredentialStore.open(vault, randomBytes(32)));
    ring = new KeyRing(store, 'keep-link', { rotateAfterMs: 30 * DAY, verifyAfterRetirementMs: 373 * DAY }, () => now);
  });

  it('verifies its own token until it expires, and only for its profile and reclamation', async () => {
    const token = signKeepToken(await ring.current(), subject, seconds() + 9 * 86_400);
    expect(token).toMatch(/^k1\.[A-Za-z0-9_-]{8}\.[0-9a-z]+\.[A-Za-z0-9_-]{43}$/);
    expect(await check(token)).toBe('valid');
    expect(await check(token, { ...subject, reclamationId: '11111111-2222-4333-8444-555555555555' })).toBe('invalid');
    expect(await check(token, { ...subject, profileId: '11111111-2222-4333-8444-555555555555' })).toBe('invalid');
    const [v, kid, exp, mac] = token.split('.');
    expect(await check([v, kid, (parseInt(exp!, 36) + 86_400).toString(36), mac].join('.'))).toBe('invalid'); // a later expiry
    expect(await check([v, kid, exp, `${mac!.slice(0, -1)}${mac!.endsWith('A') ? 'B' : 'A'}`].join('.'))).toBe(
      'invalid',
    );
    now = new Date(now.getTime() + 9 * DAY + 1_000);
    expect(await check(token)).toBe('expired');
  });

  it('cannot be minted by whoever knows the webhook secret (the old scheme)', async () => {
    const key = await ring.current();
    const webhookSecret = 'whsec-0123456789abcdef-test';
    const minted = createHmac('sha256', webhookSecret).update(`keep:${subject.reclamationId}`).digest('base64url');
    expect(await check(minted)).toBe('invalid');
    expect(await check(`k1.${key.kid}.zzzzzz.${minted}`)).toBe('invalid');
  });

  it('rotates: a new key signs after the rotation period, the old one verifies until its links have expired', async () => {
    const first = await ring.current();
    const oldLink = signKeepToken(first, subject, seconds() + 372 * 86_400);
    expect((await ring.current()).kid).toBe(first.kid);

    now = new Date(now.getTime() + 31 * DAY);
    const second = await ring.current();
    expect(second.kid).not.toBe(first.kid);
    expect(await check(oldLink)).toBe('valid');
    expect(await check(signKeepToken(second, subject, seconds() + 86_400))).toBe('valid');
    expect(await kids()).toEqual([second.kid, first.kid]);

    // Past the longest a link can live after its key retired, the next rotation deletes the key.
    now = new Date(now.getTime() + 374 * DAY);
    const third = await ring.current();
    expect(await kids()).toEqual([third.kid, second.kid]);
    expect(await check(oldLink)).toBe('invalid');
  });

  it('keeps the secrets sealed in the vault: the key ring record holds only ids, a removed key is destroyed', async () => {
    const db = new Database(':memory:');
    const vault = new SqliteVault(db);
    const keys = new VaultSigningKeyStore(vault, await VaultCredentialStore.open(vault, randomBytes(32)));
    const secret = randomBytes(32);
    await keys.add('keep-link', { kid: 'abcdefgh', secret, createdAt: now.toISOString() });
    const dump = JSON.stringify(db.prepare('SELECT * FROM vault').all());
    expect(dump).not.toContain(secret.toString('base64'));
    expect((await keys.list('keep-link'))[0]!.secret.equals(secret)).toBe(true);
    await keys.remove('keep-link', 'abcdefgh');
    expect(await keys.list('keep-link')).toEqual([]);
    // Only the master-key check and the (now empty) key ring are left; the secret and its data key are destroyed.
    const names = (db.prepare('SELECT name FROM vault ORDER BY name').all() as { name: string }[]).map((r) => r.name);
    expect(names).toEqual(['keyring-keep-link', 'master-key']);
  });

  it('two instances on one vault share the ring: a link signed by one verifies on the other', async () => {
    const vault = new SqliteVault(new Database(':memory:'));
    const key = randomBytes(32);
    const ringOf = async () =>
      new KeyRing(
        new VaultSigningKeyStore(vault, await VaultCredentialStore.open(vault, key)),
        'keep-link',
        { rotateAfterMs: 30 * DAY, verifyAfterRetirementMs: 373 * DAY },
        () => now,
      );
    const [a, b] = [await ringOf(), await ringOf()];
    const link = signKeepToken(await a.current(), subject, seconds() + 86_400);
    const kid = keepTokenKid(link)!;
    expect(checkKeepToken(link, subject, () => null, seconds())).toBe('invalid');
    const onB = await b.find(kid);
    expect(checkKeepToken(link, subject, () => onB, seconds())).toBe('valid');
    expect((await b.current()).kid).toBe(kid);
  });
});
