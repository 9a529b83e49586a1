import { startSandbox, type Sandbox } from '../../src/sandbox';
import { appToken, bearer, call, form, type HttpResult } from './support/https-client';

describe('sandbox fault injection', () => {
  let sandbox: Sandbox;
  let graphToken: string;
  let dataverseToken: string;
  const users = (): Promise<HttpResult> =>
    call(sandbox, 'GET', `${sandbox.graphBaseUrl}/v1.0/users?$top=5`, bearer(graphToken));
  const whoAmI = (): Promise<HttpResult> =>
    call(sandbox, 'GET', `${sandbox.environmentUrl}/api/data/v9.2/WhoAmI`, bearer(dataverseToken));
  const token = (): Promise<HttpResult> =>
    call(
      sandbox,
      'POST',
      `${sandbox.authority}/oauth2/v2.0/token`,
      form({
        grant_type: 'client_credentials',
        client_id: sandbox.clientId,
        client_secret: sandbox.clientSecret,
        scope: `${sandbox.graphBaseUrl}/.default`,
      }),
    );

  beforeAll(async () => {
    sandbox = await startSandbox({ users: 30, seed: 8 });
    graphToken = await appToken(sandbox, 'graph');
    dataverseToken = await appToken(sandbox, 'dynamics');
  });
  afterEach(() => sandbox.faults.clear());
  afterAll(() => sandbox.stop());

  it('throttles each service with its own 429 body and Retry-After', async () => {
    sandbox.faults.add({ family: 'graph', kind: 'throttle', retryAfterSeconds: 7 });
    const graph = await users();
    expect(graph.status).toBe(429);
    expect(graph.headers['retry-after']).toBe('7');
    expect(graph.json()).toMatchObject({
      error: {
        code: 'TooManyRequests',
        message: 'Please retry again later.',
        innerError: { code: '429', status: '429' },
      },
    });
    expect((await users()).status).toBe(200);

    sandbox.faults.add({ family: 'dataverse', kind: 'throttle' });
    const dataverse = await whoAmI();
    expect(dataverse.status).toBe(429);
    expect(dataverse.headers['retry-after']).toBe('1');
    expect(dataverse.json()).toEqual({
      error: {
        code: '0x80072322',
        message: 'Number of requests exceeded the limit of 6000 over time window of 300 seconds.',
      },
    });

    sandbox.faults.add({ family: 'token', kind: 'throttle', retryAfterSeconds: 2 });
    const entra = await token();
    expect(entra.status).toBe(429);
    expect(entra.headers['retry-after']).toBe('2');
    expect(entra.json()).toMatchObject({ error: 'temporarily_unavailable' });
  });

  it('answers 503 for unavailable, with Retry-After only when given', async () => {
    sandbox.faults.add({ family: 'graph', kind: 'unavailable' });
    const graph = await users();
    expect(graph.status).toBe(503);
    expect(graph.headers['retry-after']).toBeUndefined();
    expect(graph.json()).toMatchObject({ error: { code: 'serviceNotAvailable' } });
    sandbox.faults.add({ family: 'dataverse', kind: 'unavailable', retryAfterSeconds: 3 });
    const dataverse = await whoAmI();
    expect(dataverse.status).toBe(503);
    expect(dataverse.headers['retry-after']).toBe('3');
    expect(dataverse.json()).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
  });

  it('skips the first `after` matches and applies `times` times, matching on path substrings', async () => {
    const rule = sandbox.faults.add({ pathContains: '/users', kind: 'throttle', after: 1, times: 2 });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await users()).status);
    expect(statuses).toEqual([200, 429, 429, 200]);
    expect(sandbox.faults.list().find((r) => r.id === rule.id)).toMatchObject({ matched: 4, applied: 2 });
    expect((await whoAmI()).status).toBe(200);
  });

  it('answers slowly for slow, and normally afterwards', async () => {
    sandbox.faults.add({ family: 'graph', kind: 'slow', delayMs: 50 });
    expect((await users()).status).toBe(200);
  });

  it('answers 401 as for an expired token for expire-token', async () => {
    sandbox.faults.add({ family: 'graph', kind: 'expire-token' });
    const graph = await users();
    expect(graph.status).toBe(401);
    expect(graph.json()).toMatchObject({
      error: { code: 'InvalidAuthenticationToken', message: 'Lifetime validation failed, the token is expired.' },
    });
    sandbox.faults.add({ family: 'dataverse', kind: 'expire-token' });
    expect((await whoAmI()).status).toBe(401);
  });

  it('answers 200 with a truncated JSON body for malformed', async () => {
    sandbox.faults.add({ family: 'graph', kind: 'malformed' });
    const result = await users();
    expect(result.status).toBe(200);
    expect(() => JSON.parse(result.text)).toThrow();
  });

  it('never answers for timeout (the client gives up), or answers after delayMs', async () => {
    sandbox.faults.add({ family: 'dataverse', kind: 'timeout' });
    await expect(
      call(sandbox, 'GET', `${sandbox.environmentUrl}/api/data/v9.2/WhoAmI`, {
        ...bearer(dataverseToken),
        timeoutMs: 200,
      }),
    ).rejects.toThrow('client timeout');
    sandbox.faults.add({ family: 'dataverse', kind: 'timeout', delayMs: 30 });
    expect((await whoAmI()).status).toBe(200);
  });

  it('drops the connection for reset', async () => {
    sandbox.faults.add({ family: 'token', kind: 'reset' });
    await expect(token()).rejects.toThrow();
    expect((await token()).status).toBe(200);
  });

  it('is driven over HTTP through /_sandbox/faults as well', async () => {
    const created = await call(sandbox, 'POST', `${sandbox.url}/_sandbox/faults`, {
      body: { family: 'graph', kind: 'throttle', times: 1 },
    });
    expect(created.status).toBe(201);
    expect(created.json<{ id: string }[]>()[0]).toMatchObject({ kind: 'throttle', times: 1, after: 0 });
    expect((await users()).status).toBe(429);
    const invalid = await call(sandbox, 'POST', `${sandbox.url}/_sandbox/faults`, { body: { kind: 'explode' } });
    expect(invalid.status).toBe(400);
    await call(sandbox, 'POST', `${sandbox.url}/_sandbox/faults`, {
      body: [{ kind: 'unavailable', family: 'graph', times: 5 }],
    });
    expect((await call(sandbox, 'DELETE', `${sandbox.url}/_sandbox/faults`)).status).toBe(204);
    expect((await users()).status).toBe(200);
  });
});
