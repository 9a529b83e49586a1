import { KEYS, startTestApp, type TestApp } from '../support/test-app';
import { publicProfileBody } from '../support/bodies';

describe('HTTP shell', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const expectProblem = (
    res: { status: number; headers: Record<string, string>; body: Record<string, unknown> },
    status: number,
    code?: string,
  ) => {
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      status,
      title: expect.any(String),
      detail: expect.any(String),
      type: expect.stringMatching(/^urn:license-ledger:problem:/),
    });
    if (code) expect(res.body.type).toBe(`urn:license-ledger:problem:${code}`);
    expect(res.body.requestId).toBe(res.headers['x-request-id']);
  };

  describe('API keys and roles', () => {
    it('401 without a key, with an unknown key, and with a malformed header', async () => {
      expectProblem(await t.anonymous().get('/api/v1/events'), 401, 'unauthenticated');
      expectProblem(
        await t.anonymous().get('/api/v1/events').set('Authorization', 'Bearer not-a-key-at-all-1234'),
        401,
      );
      expectProblem(await t.anonymous().get('/api/v1/events').set('Authorization', `Basic ${KEYS.admin}`), 401);
      expectProblem(await t.anonymous().get('/api/v1/events').set('Authorization', `Bearer ${KEYS.admin}x`), 401);
    });

    it('consumer reads only the event log', async () => {
      expect((await t.as('consumer').get('/api/v1/events')).status).toBe(200);
      expect((await t.as('consumer').get('/api/v1/events/schemas')).status).toBe(200);
      expectProblem(await t.as('consumer').get('/api/v1/profiles'), 403, 'forbidden');
      expectProblem(await t.as('consumer').post('/api/v1/profiles').send(publicProfileBody()), 403);
    });

    it('auditor reads everything and issues no commands', async () => {
      expect((await t.as('auditor').get('/api/v1/profiles')).status).toBe(200);
      expect((await t.as('auditor').get('/api/v1/events')).status).toBe(200);
      expectProblem(await t.as('auditor').post('/api/v1/profiles').send(publicProfileBody()), 403);
    });

    it('admin may do everything', async () => {
      expect((await t.as('admin').post('/api/v1/profiles').send(publicProfileBody())).status).toBe(201);
      expect((await t.as('admin').get('/api/v1/events')).status).toBe(200);
    });
  });

  describe('bad input is a 400 problem and appends nothing', () => {
    const rejects = async (
      send: () => Promise<{ status: number; headers: Record<string, string>; body: Record<string, unknown> }>,
      status = 400,
      code?: string,
    ) => {
      const before = await t.store.headPosition();
      const res = await send();
      expectProblem(res, status, code);
      expect(await t.store.headPosition()).toBe(before);
      return res;
    };

    it('malformed JSON', async () => {
      await rejects(
        () =>
          t.as('admin').post('/api/v1/profiles').set('Content-Type', 'application/json').send('{"displayName": "x",'),
        400,
        'malformed-json',
      );
    });

    it('unknown fields, at the top and nested', async () => {
      const top = await rejects(
        () =>
          t
            .as('admin')
            .post('/api/v1/profiles')
            .send(publicProfileBody({ isAdmin: true })),
        400,
        'invalid-request',
      );
      expect(top.body.errors).toContainEqual({ field: 'isAdmin', problem: 'should not exist' });
      const nested = await rejects(() =>
        t
          .as('admin')
          .post('/api/v1/profiles')
          .send(
            publicProfileBody({ subscriptionConnection: { ...publicProfileBody().subscriptionConnection, extra: 1 } }),
          ),
      );
      expect(nested.body.errors).toContainEqual({ field: 'subscriptionConnection.extra', problem: 'should not exist' });
    });

    it('wrong types', async () => {
      const res = await rejects(() =>
        t
          .as('admin')
          .post('/api/v1/profiles')
          .send(publicProfileBody({ downloadActivity: 'yes', displayName: 42 })),
      );
      const fields = (res.body.errors as { field: string }[]).map((e) => e.field);
      expect(fields).toEqual(expect.arrayContaining(['downloadActivity', 'displayName']));
    });

    it('a body that is not an object', async () => {
      await rejects(() =>
        t.as('admin').post('/api/v1/profiles').set('Content-Type', 'application/json').send('[1,2,3]'),
      );
      await rejects(() =>
        t.as('admin').post('/api/v1/profiles').set('Content-Type', 'application/json').send('"text"'),
      );
    });

    it('a body above the size limit is 413', async () => {
      await rejects(
        () =>
          t
            .as('admin')
            .post('/api/v1/profiles')
            .send(publicProfileBody({ displayName: 'x'.repeat(2 * 1024 * 1024) })),
        413,
        'body-too-large',
      );
    });

    it('a malformed id in the path', async () => {
      await rejects(
        () => t.as('admin').patch('/api/v1/profiles/not-a-uuid').send({ displayName: 'x' }),
        400,
        'invalid-profile-id',
      );
    });

    it('an unknown route is a 404 problem', async () => {
      expectProblem(await t.as('admin').get('/api/v1/nothing-here'), 404);
    });
  });

  describe('operations endpoints', () => {
    it('health needs no key', async () => {
      expect((await t.anonymous().get('/health/live')).body).toEqual({ status: 'live' });
      const ready = await t.anonymous().get('/health/ready');
      expect(ready.status).toBe(200);
      expect(ready.body).toMatchObject({
        status: 'ready',
        store: { ok: true, kind: 'sqlite' },
        readModels: { caughtUp: true, faulted: [] },
      });
    });

    it('serves OpenAPI at /docs-json and the UI at /docs', async () => {
      const json = await t.anonymous().get('/docs-json');
      expect(json.status).toBe(200);
      expect(Object.keys(json.body.paths)).toEqual(
        expect.arrayContaining(['/api/v1/profiles', '/api/v1/events', '/api/v1/events/stream']),
      );
      const ui = await t.anonymous().get('/docs/');
      expect(ui.status).toBe(200);
      expect(ui.text).toContain('swagger');
    });

    it('every request gets a request id, echoed from a sane X-Request-Id, on its log line', async () => {
      const res = await t.as('auditor').get('/api/v1/profiles').set('X-Request-Id', 'trace-42');
      expect(res.headers['x-request-id']).toBe('trace-42');
      const line = t.logs.map((l) => JSON.parse(l)).find((l) => l.requestId === 'trace-42' && l.msg === 'request');
      expect(line).toMatchObject({ level: 'info', method: 'GET', path: '/api/v1/profiles', status: 200 });
      const odd = await t.as('auditor').get('/api/v1/profiles').set('X-Request-Id', 'bad id with spaces');
      expect(odd.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });
  });
});
