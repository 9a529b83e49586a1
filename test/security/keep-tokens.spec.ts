import { createHmac, randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { SqliteCredentialStore } from '../../src/credentials/credential.store';
import { CredentialSigningKeyStore, KeyRing } from '../../src/credentials/signing-keys';
import { checkKeepToken, signKeepToken } from '../../src/reclamation/keep-token';

const DAY = 86_400_000;
const subject = {
  profileId: '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0',
  reclamationId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
};

describe('keep-link tokens and their key ring', () => {
  let now: Date;
  let store: CredentialSigningKeyStore;
  let ring: KeyRing;
  const seconds = () => Math.floor(now.getTime() / 1000);
  const check = (token: string, s = subject) => checkKeepToken(token, s, (kid) => ring.find(kid), seconds());

  beforeEach(() => {
    now = new Date('2026-03-01T00:00:00Z');
    const db = new Database(':memory:');
    store = new CredentialSigningKeyStore(db, new SqliteCredentialStore(db, randomBytes(32)));
    ring = new KeyRing(store, 'keep-link', { rotateAfterMs: 30 * DAY, verifyAfterRetirementMs: 373 * DAY }, () => now);
  });

  it('verifies its own token until it expires, and only for its profile and reclamation', () => {
    const token = signKeepToken(ring.current(), subject, seconds() + 9 * 86_400);
    expect(token).toMatch(/^k1\.[A-Za-z0-9_-]{8}\.[0-9a-z]+\.[A-Za-z0-9_-]{43}$/);
    expect(check(token)).toBe('valid');
    expect(check(token, { ...subject, reclamationId: '11111111-2222-4333-8444-555555555555' })).toBe('invalid');
    expect(check(token, { ...subject, profileId: '11111111-2222-4333-8444-555555555555' })).toBe('invalid');
    const [v, kid, exp, mac] = token.split('.');
    expect(check([v, kid, (parseInt(exp!, 36) + 86_400).toString(36), mac].join('.'))).toBe('invalid'); // a later expiry
    expect(check([v, kid, exp, `${mac!.slice(0, -1)}${mac!.endsWith('A') ? 'B' : 'A'}`].join('.'))).toBe('invalid');
    now = new Date(now.getTime() + 9 * DAY + 1_000);
    expect(check(token)).toBe('expired');
  });

  it('cannot be minted by whoever knows the webhook secret (the old scheme)', () => {
    ring.current();
    const webhookSecret = 'whsec-0123456789abcdef-test';
    const minted = createHmac('sha256', webhookSecret).update(`keep:${subject.reclamationId}`).digest('base64url');
    expect(check(minted)).toBe('invalid');
    expect(check(`k1.${ring.current().kid}.zzzzzz.${minted}`)).toBe('invalid');
  });

  it('rotates: a new key signs after the rotation period, the old one verifies until its links have expired', () => {
    const first = ring.current();
    const oldLink = signKeepToken(first, subject, seconds() + 372 * 86_400);
    expect(ring.current().kid).toBe(first.kid);

    now = new Date(now.getTime() + 31 * DAY);
    const second = ring.current();
    expect(second.kid).not.toBe(first.kid);
    expect(check(oldLink)).toBe('valid');
    expect(check(signKeepToken(second, subject, seconds() + 86_400))).toBe('valid');
    expect(store.list('keep-link').map((k) => k.kid)).toEqual([second.kid, first.kid]);

    // Past the longest a link can live after its key retired, the next rotation deletes the key.
    now = new Date(now.getTime() + 374 * DAY);
    const third = ring.current();
    expect(store.list('keep-link').map((k) => k.kid)).toEqual([third.kid, second.kid]);
    expect(check(oldLink)).toBe('invalid');
  });

  it('keeps the secrets encrypted in the credential store: the index holds only ids', () => {
    const db = new Database(':memory:');
    const credentials = new SqliteCredentialStore(db, randomBytes(32));
    const keys = new CredentialSigningKeyStore(db, credentials);
    const secret = randomBytes(32);
    keys.add('keep-link', { kid: 'abcdefgh', secret, createdAt: now.toISOString() });
    const dump =
      JSON.stringify(db.prepare('SELECT * FROM signing_keys').all()) +
      JSON.stringify(db.prepare('SELECT * FROM credentials').all());
    expect(dump).not.toContain(secret.toString('base64'));
    expect(keys.list('keep-link')[0]!.secret.equals(secret)).toBe(true);
    keys.remove('keep-link', 'abcdefgh');
    expect(db.prepare('SELECT count(*) AS n FROM credentials').get()).toEqual({ n: 0 });
  });
});
