import { ConsoleSessions, SESSION_TTL_MS, SIGN_IN_LINK_TTL_MS } from '../../src/console/console-sessions';
import type { Clock } from '../../src/shared/clock';
import { startTestApp, type TestApp } from '../support/test-app';

/** People's sessions: a one-time sign-in link buys a short-lived bearer token with a role, like a key. */
describe('console sessions', () => {
  let t: TestApp;
  let now = new Date('2026-11-02T08:00:00Z');
  const clock: Clock = { now: () => now };
  const sessions = () => t.app.get(ConsoleSessions);
  const link = (role: 'admin' | 'auditor', id = 'person-1') =>
    sessions().issueSignInLink({ role, actor: { kind: 'user', id } });
  const exchange = (code: string) => t.anonymous().post('/api/v1/sessions').send({ signInLink: code });
  const withToken = (token: string) => ({
    get: (path: string) => t.anonymous().get(path).set('Authorization', `Bearer ${token}`),
    post: (path: string) => t.anonymous().post(path).set('Authorization', `Bearer ${token}`),
    delete: (path: string) => t.anonymous().delete(path).set('Authorization', `Bearer ${token}`),
  });

  beforeAll(async () => {
    t = await startTestApp({ clock });
  });
  afterAll(() => t.close());

  it('exchanges a link once for a token that acts with the link’s role and names the person', async () => {
    const code = link('admin', 'entra-object-id-1');
    const opened = await exchange(code);
    expect(opened.status).toBe(201);
    expect(opened.body).toEqual({
      token: expect.stringMatching(/^llsession_[A-Za-z0-9_-]{43}$/),
      role: 'admin',
      keyId: 'entra-object-id-1',
      expiresAt: new Date(now.getTime() + SESSION_TTL_MS).toISOString(),
    });
    const again = await exchange(code);
    expect(again.status).toBe(401);
    expect(again.headers['content-type']).toMatch(/^application\/problem\+json/);

    const token = opened.body.token as string;
    expect((await withToken(token).get('/api/v1/whoami')).body).toEqual({ role: 'admin', keyId: 'entra-object-id-1' });
    // A command recorded under the person, not a key.
    const profile = await withToken(token)
      .post('/api/v1/profiles')
      .send({
        displayName: 'By a person',
        cloud: 'public',
        analyzeActivityFrom: '2026-01-01',
        downloadActivity: false,
        subscriptionConnection: {
          tenantId: '00000000-0000-4000-8000-000000000001',
          clientId: '00000000-0000-4000-8000-000000000002',
          clientSecret: 'a-secret-value',
        },
      });
    expect(profile.status).toBe(201);
    const events = await t.as('auditor').get('/api/v1/events?type=ProfileDrafted');
    expect(events.body.items.at(-1).metadata.actor).toMatchObject({
      kind: 'user',
      id: 'entra-object-id-1',
      role: 'admin',
    });
    expect(JSON.stringify(events.body)).not.toContain(token);
  });

  it('an auditor’s session reads and may not command', async () => {
    const token = (await exchange(link('auditor'))).body.token as string;
    expect((await withToken(token).get('/api/v1/profiles')).status).toBe(200);
    expect((await withToken(token).post('/api/v1/profiles').send({})).status).toBe(403);
  });

  it('ends at sign-out, and by itself after its time', async () => {
    const first = (await exchange(link('admin'))).body.token as string;
    expect((await withToken(first).delete('/api/v1/sessions/current')).status).toBe(204);
    expect((await withToken(first).get('/api/v1/whoami')).status).toBe(401);
    expect((await t.as('auditor').delete('/api/v1/sessions/current')).status).toBe(400);

    const second = (await exchange(link('admin'))).body.token as string;
    now = new Date(now.getTime() + SESSION_TTL_MS + 1);
    expect((await withToken(second).get('/api/v1/whoami')).status).toBe(401);
  });

  it('refuses an expired, unknown or malformed link with a 4xx and opens nothing', async () => {
    const code = link('admin');
    now = new Date(now.getTime() + SIGN_IN_LINK_TTL_MS + 1);
    expect((await exchange(code)).status).toBe(401);
    expect((await exchange('x'.repeat(32))).status).toBe(401);
    for (const body of [{}, { signInLink: 'short' }, { signInLink: 'x'.repeat(32), extra: 1 }, { signInLink: 42 }]) {
      const response = await t.anonymous().post('/api/v1/sessions').send(body);
      expect(response.status).toBe(400);
    }
    // A made-up token of the right shape is not a session.
    expect((await withToken(`llsession_${'A'.repeat(43)}`).get('/api/v1/whoami')).status).toBe(401);
  });
});
