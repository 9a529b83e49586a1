import { publicProfileBody } from '../support/bodies';
import { startTestApp, type TestApp } from '../support/test-app';

describe('profile input is checked before anything is stored or appended', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { SAM_ALLOWED_ENDPOINT_HOSTS: 'sandbox.internal' } });
  });
  afterAll(() => t.close());

  const base = publicProfileBody();
  const cases: [string, Record<string, unknown>, string][] = [
    ['an unknown field', { ...base, owner: 'me' }, 'owner'],
    ['a wrong type', { ...base, downloadActivity: 'true' }, 'downloadActivity'],
    [
      'a non-GUID tenant id',
      { ...base, subscriptionConnection: { ...base.subscriptionConnection, tenantId: 'contoso.onmicrosoft.com' } },
      'subscriptionConnection.tenantId',
    ],
    ['an unknown cloud', { ...base, cloud: 'moon' }, 'cloud'],
    [
      'an http environment URL',
      {
        ...base,
        activityConnection: { ...base.activityConnection, environmentUrl: 'http://contoso.crm.dynamics.com' },
      },
      'activityConnection.environmentUrl',
    ],
    [
      'a foreign environment host',
      { ...base, activityConnection: { ...base.activityConnection, environmentUrl: 'https://169.254.169.254' } },
      'activityConnection.environmentUrl',
    ],
    ['a Dynamics host of another cloud', { ...base, cloud: 'china' }, 'activityConnection.environmentUrl'],
    ['custom cloud without endpoints', { ...base, cloud: 'custom' }, 'endpoints'],
    [
      'custom cloud with a foreign authority',
      {
        ...base,
        cloud: 'custom',
        endpoints: { authorityHost: 'https://evil.example', graphBaseUrl: 'https://graph.microsoft.com' },
      },
      'endpoints.authorityHost',
    ],
    [
      'custom cloud with an http Graph',
      {
        ...base,
        cloud: 'custom',
        endpoints: { authorityHost: 'https://login.microsoftonline.com', graphBaseUrl: 'http://graph.microsoft.com' },
      },
      'endpoints.graphBaseUrl',
    ],
    ['an impossible date', { ...base, analyzeActivityFrom: '2026-02-30' }, 'analyzeActivityFrom'],
    ['a future date', { ...base, analyzeActivityFrom: '2999-01-01' }, 'analyzeActivityFrom'],
    ['activity on without an activity connection', { ...base, activityConnection: undefined }, 'activityConnection'],
    [
      'an empty secret',
      { ...base, subscriptionConnection: { ...base.subscriptionConnection, clientSecret: '' } },
      'subscriptionConnection.clientSecret',
    ],
    ['a null connection', { ...base, subscriptionConnection: null }, 'subscriptionConnection'],
  ];

  it.each(cases)('%s is a 400 problem naming the field, and appends nothing', async (_name, body, field) => {
    const before = await t.store.headPosition();
    const res = await t.as('admin').post('/api/v1/profiles').send(body);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await t.store.headPosition()).toBe(before);
  });

  it('an allowed extra host passes the guard', async () => {
    const res = await t
      .as('admin')
      .post('/api/v1/profiles')
      .send({
        ...base,
        cloud: 'custom',
        endpoints: { authorityHost: 'https://sandbox.internal', graphBaseUrl: 'https://sandbox.internal/graph' },
        activityConnection: { ...base.activityConnection, environmentUrl: 'https://sandbox.internal/dynamics' },
      });
    expect(res.status).toBe(201);
  });

  it('a custom cloud keeps its discovery base, given at creation or in a PATCH', async () => {
    const endpoints = {
      authorityHost: 'https://sandbox.internal',
      graphBaseUrl: 'https://sandbox.internal/graph',
      discoveryBaseUrl: 'https://sandbox.internal/discovery',
    };
    const created = await t
      .as('admin')
      .post('/api/v1/profiles')
      .send({
        ...base,
        cloud: 'custom',
        endpoints,
        activityConnection: { ...base.activityConnection, environmentUrl: 'https://sandbox.internal/dynamics' },
      });
    expect(created.body.endpoints).toEqual(endpoints);
    const changed = { ...endpoints, discoveryBaseUrl: 'https://sandbox.internal/discovery2' };
    const patched = await t.as('admin').patch(`/api/v1/profiles/${created.body.id}`).send({ endpoints: changed });
    expect(patched.body.endpoints).toEqual(changed);
  });

  it('a PATCH that would break the rules changes nothing', async () => {
    const id = (await t.as('admin').post('/api/v1/profiles').send(base)).body.id;
    const before = await t.store.headPosition();
    for (const body of [
      { cloud: 'usgovhigh' },
      { activityConnection: { environmentUrl: 'https://example.com' } },
      { subscriptionConnection: { clientId: 'x' } },
      { status: 'published' },
    ]) {
      const res = await t.as('admin').patch(`/api/v1/profiles/${id}`).send(body);
      expect([JSON.stringify(body), res.status]).toEqual([JSON.stringify(body), 400]);
    }
    expect(await t.store.headPosition()).toBe(before);
    expect(
      (await t.as('admin').patch('/api/v1/profiles/6a8d0a4b-8a8e-4f5b-8a55-3a6f1c2b9d10').send({ displayName: 'x' }))
        .status,
    ).toBe(404);
  });
});
