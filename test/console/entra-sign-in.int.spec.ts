import { ConfigError, loadConfig } from '../../src/config/config';
import { APP_ROLES, roleFromAppRoles } from '../../src/console/entra-sign-in';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { freePort } from '../../scripts/support/free-port';
import { call } from '../sandbox/support/https-client';
import { FAST_RETRIES } from '../support/sandbox-app';
import { KEYS, startTestApp, type TestApp } from '../support/test-app';

/** "Sign in with Microsoft": OIDC code + PKCE on the service's own app registration, against the sandbox's Entra. */
describe('console sign-in with Microsoft Entra ID', () => {
  let sandbox: Sandbox;
  let t: TestApp;
  beforeAll(async () => {
    sandbox = await startSandbox({ users: 20, seed: 11 });
    const port = await freePort();
    t = await startTestApp({
      port,
      trustedCaPems: [sandbox.caPem],
      connectors: FAST_RETRIES,
      env: {
        SAM_PUBLIC_URL: `http://127.0.0.1:${port}`,
        SAM_ENTRA_SIGN_IN_AUTHORITY_HOST: sandbox.authorityHost,
        SAM_ENTRA_SIGN_IN_TENANT_ID: sandbox.tenantId,
        SAM_ENTRA_SIGN_IN_CLIENT_ID: sandbox.tenant.app.clientId,
        SAM_ENTRA_SIGN_IN_CLIENT_SECRET: sandbox.tenant.app.clientSecret,
      },
    });
  });
  afterAll(async () => {
    await t.close();
    await sandbox.stop();
  });
  const admin = () => sandbox.tenant.identity.adminUserId;

  const finish = async () => {
    const { code, state } = await signInAtEntra();
    return t.anonymous().post('/api/v1/sessions/microsoft/code').send({ code, state });
  };

  /** What the browser does: start, follow Entra to the redirect, read code and state from its fragment. */
  async function signInAtEntra(): Promise<{ code: string; state: string; redirect: URL }> {
    const started = await t.anonymous().post('/api/v1/sessions/microsoft').send({});
    expect(started.status).toBe(200);
    const authorize = new URL(started.body.authorizeUrl);
    expect(authorize.origin).toBe(sandbox.url);
    expect(authorize.searchParams.get('response_mode')).toBe('fragment');
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${t.url}/`);
    const answer = await call(sandbox, 'GET', started.body.authorizeUrl);
    expect(answer.status).toBe(302);
    const redirect = new URL(String(answer.headers.location));
    const fragment = new URLSearchParams(redirect.hash.slice(1));
    return { code: fragment.get('code')!, state: fragment.get('state')!, redirect };
  }

  it('says it is offered, and returns to the console with the code in the fragment only', async () => {
    expect((await t.anonymous().get('/api/v1/sessions/options')).body).toEqual({ microsoft: true });
    const { code, state, redirect } = await signInAtEntra();
    expect(`${redirect.origin}${redirect.pathname}`).toBe(`${t.url}/`);
    expect(redirect.search).toBe('');
    expect(code).toBeTruthy();
    expect(state).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('opens a session with the role the app role assignment gives, in the person’s name, once', async () => {
    const { code, state } = await signInAtEntra();
    const opened = await t.anonymous().post('/api/v1/sessions/microsoft/code').send({ code, state });
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({ role: 'admin', keyId: admin(), token: expect.stringMatching(/^llsession_/) });
    const me = await t.anonymous().get('/api/v1/whoami').set('Authorization', `Bearer ${opened.body.token}`);
    expect(me.body).toEqual({ role: 'admin', keyId: admin() });
    const replay = await t.anonymous().post('/api/v1/sessions/microsoft/code').send({ code, state });
    expect(replay.status).toBe(400);
  });

  it('an auditor role gives a read-only session; no role gives none', async () => {
    try {
      sandbox.tenant.app.appRoleAssignments.set(admin(), [APP_ROLES.auditor]);
      const auditor = await finish();
      expect(auditor.body.role).toBe('auditor');
      const token = auditor.body.token as string;
      expect(
        (await t.anonymous().post('/api/v1/profiles').set('Authorization', `Bearer ${token}`).send({})).status,
      ).toBe(403);

      sandbox.tenant.app.appRoleAssignments.delete(admin());
      const none = await finish();
      expect(none.status).toBe(403);
      expect(none.body.detail).toContain(APP_ROLES.admin);
      expect(none.body).not.toHaveProperty('token');
    } finally {
      sandbox.tenant.app.appRoleAssignments.set(admin(), [APP_ROLES.admin]);
    }
  });

  it('refuses a made-up code or state with a 4xx', async () => {
    const { state } = await signInAtEntra();
    const forged = await t
      .anonymous()
      .post('/api/v1/sessions/microsoft/code')
      .send({ code: 'forged-code-value', state });
    expect(forged.status).toBe(400);
    const unknown = await t
      .anonymous()
      .post('/api/v1/sessions/microsoft/code')
      .send({ code: 'forged-code-value', state: 'x'.repeat(43) });
    expect(unknown.status).toBe(400);
    for (const body of [
      {},
      { code: 'a b', state: 'x'.repeat(43) },
      { code: 'abcdefghijk', state: 'x'.repeat(43), more: 1 },
    ])
      expect((await t.anonymous().post('/api/v1/sessions/microsoft/code').send(body)).status).toBe(400);
  });

  it('maps app roles: admin over auditor, others give nothing', () => {
    expect(roleFromAppRoles([APP_ROLES.auditor, APP_ROLES.admin])).toBe('admin');
    expect(roleFromAppRoles([APP_ROLES.auditor])).toBe('auditor');
    expect(roleFromAppRoles(['Other.Admin'])).toBeNull();
  });

  it('is off unless all three settings are given, and then says so', async () => {
    const keys = `admin:${KEYS.admin}`;
    expect(() => loadConfig({ SAM_API_KEYS: keys, SAM_ENTRA_SIGN_IN_CLIENT_ID: sandbox.tenant.app.clientId })).toThrow(
      ConfigError,
    );
    expect(loadConfig({ SAM_API_KEYS: keys }).entraSignIn).toBeNull();
    const plain = await startTestApp();
    try {
      expect((await plain.anonymous().get('/api/v1/sessions/options')).body).toEqual({ microsoft: false });
      expect((await plain.anonymous().post('/api/v1/sessions/microsoft').send({})).status).toBe(409);
    } finally {
      await plain.close();
    }
  });
});
