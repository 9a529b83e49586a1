import { KEYS, startTestApp, type TestApp } from '../support/test-app';

describe('the HTTP edge', () => {
  describe('wrong API keys are throttled per client address', () => {
    let t: TestApp;
    beforeAll(async () => {
      // Behind a proxy on loopback: X-Forwarded-For names the client, so each test can be its own client.
      t = await startTestApp({
        env: { SAM_AUTH_FAILURE_LIMIT: '3', SAM_AUTH_FAILURE_WINDOW_SECONDS: '600', SAM_TRUST_PROXY: 'loopback' },
      });
    });
    afterAll(() => t.close());

    const call = (client: string, key: string) =>
      t.anonymous().get('/api/v1/profiles').set('X-Forwarded-For', client).set('Authorization', `Bearer ${key}`);

    it('after the limit of wrong keys: 429 with Retry-After for every key that address presents, right ones too', async () => {
      for (let i = 0; i < 3; i++) expect((await call('203.0.113.10', `guess-${i}-0123456789abcdef`)).status).toBe(401);
      const blocked = await call('203.0.113.10', 'guess-3-0123456789abcdef');
      expect(blocked.status).toBe(429);
      expect(blocked.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(blocked.body.type).toBe('urn:license-ledger:problem:too-many-requests');
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      // The block does not reveal whether a key is right: it is not even looked at.
      expect((await call('203.0.113.10', KEYS.admin)).status).toBe(429);
      // Another address is not affected.
      expect((await call('203.0.113.11', KEYS.admin)).status).toBe(200);
    });

    it('requests with a valid key never count, however many', async () => {
      for (let i = 0; i < 20; i++) expect((await call('203.0.113.20', KEYS.auditor)).status).toBe(200);
      expect((await call('203.0.113.20', 'wrong-0123456789abcdef')).status).toBe(401);
      expect((await call('203.0.113.20', KEYS.auditor)).status).toBe(200);
    });

    it('a missing key is a 401 and is not counted as a guess', async () => {
      for (let i = 0; i < 10; i++)
        expect((await t.anonymous().get('/api/v1/profiles').set('X-Forwarded-For', '203.0.113.30')).status).toBe(401);
      expect((await call('203.0.113.30', KEYS.auditor)).status).toBe(200);
    });
  });

  describe('security headers (helmet)', () => {
    let t: TestApp;
    beforeAll(async () => (t = await startTestApp()));
    afterAll(() => t.close());

    it('on API answers, errors and the docs', async () => {
      for (const res of [
        await t.as('auditor').get('/api/v1/profiles'),
        await t.anonymous().get('/api/v1/profiles'),
        await t.anonymous().get('/docs/'),
      ]) {
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
        expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
        expect(res.headers['content-security-policy']).not.toMatch(/upgrade-insecure-requests/);
        expect(res.headers['x-powered-by']).toBeUndefined();
      }
    });
  });

  describe('SAM_DOCS', () => {
    const docs = async (mode: string | undefined, key?: string) => {
      const t = await startTestApp(mode ? { env: { SAM_DOCS: mode } } : {});
      try {
        const get = (path: string) => {
          const req = t.anonymous().get(path);
          return key ? req.set('Authorization', `Bearer ${key}`) : req;
        };
        return [(await get('/docs-json')).status, (await get('/docs/')).status];
      } finally {
        await t.close();
      }
    };

    it('public by default, as API.md lists it', async () => {
      expect(await docs(undefined)).toEqual([200, 200]);
    });
    it('key: only with an API key of any role', async () => {
      expect(await docs('key')).toEqual([401, 401]);
      expect(await docs('key', KEYS.consumer)).toEqual([200, 200]);
    });
    it('off: not served', async () => {
      expect(await docs('off', KEYS.admin)).toEqual([404, 404]);
    });
  });
});
