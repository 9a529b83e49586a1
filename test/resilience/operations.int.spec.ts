import { request as httpRequest, type ClientRequest } from 'node:http';
import { publishedProfile, runJob } from '../support/published-profile';
import { startSandboxApp, type SandboxApp } from '../support/sandbox-app';
import { KEYS, startTestApp, type TestApp } from '../support/test-app';

/** One sample of a Prometheus text exposition: `name{labels} value`. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | null {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(match[3]);
  }
  return null;
}

describe('GET /metrics', () => {
  let s: SandboxApp;
  let id: string;
  beforeAll(async () => {
    s = await startSandboxApp({ sandbox: { users: 60, seed: 11 } });
    id = await publishedProfile(s, {});
    await runJob(s, id, 'download-subscriptions');
  }, 120_000);
  afterAll(() => s?.close());

  const scrape = async () => {
    const res = await s.t.anonymous().get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return res.text;
  };

  it('needs no key and carries process, HTTP, job, event and read-model metrics', async () => {
    await s.t.as('auditor').get(`/api/v1/profiles/${id}`);
    await s.t.as('auditor').get('/api/v1/profiles/6c5e2c43-9a3a-4f0e-9d1e-0d6c4b3a2f1e'); // a 404 on the same route
    const text = await scrape();
    expect(sample(text, 'process_cpu_user_seconds_total')).not.toBeNull();
    expect(sample(text, 'nodejs_eventloop_lag_seconds')).not.toBeNull();
    expect(sample(text, 'http_requests_total', { method: 'GET', route: '/api/v1/profiles/:id', status: '200' })).toBe(
      1,
    );
    expect(sample(text, 'http_requests_total', { method: 'GET', route: '/api/v1/profiles/:id', status: '404' })).toBe(
      1,
    );
    expect(sample(text, 'license_ledger_job_runs_total', { job: 'download-subscriptions', outcome: 'succeeded' })).toBe(
      1,
    );
    expect(
      sample(text, 'license_ledger_job_run_duration_seconds_count', {
        job: 'download-subscriptions',
        outcome: 'succeeded',
      }),
    ).toBe(1);
    expect(sample(text, 'license_ledger_events_appended_total', { type: 'ProfileDrafted' })).toBe(1);
    expect(sample(text, 'license_ledger_events_appended_total', { type: 'LicenseAssigned' })).toBeGreaterThan(50);
    expect(sample(text, 'license_ledger_read_models_caught_up')).toBe(1);
    expect(sample(text, 'license_ledger_read_model_lag')).toBe(0);
  });

  it('a failed run: counted as failed, and logged at error level with its stack and cause chain', async () => {
    s.sandbox.faults.add({ family: 'graph', kind: 'malformed', times: 1_000 });
    try {
      expect((await runJob(s, id, 'download-subscriptions')).status).toBe('failed');
    } finally {
      s.sandbox.faults.clear();
    }
    const line = s.t.logs.map((l) => JSON.parse(l)).find((l) => l.msg === 'job run failed');
    expect(line).toMatchObject({
      level: 'error',
      job: 'download-subscriptions',
      error: { stack: expect.stringMatching(/\n\s+at /) },
    });
    const text = await scrape();
    expect(sample(text, 'license_ledger_job_runs_total', { job: 'download-subscriptions', outcome: 'failed' })).toBe(1);
  });

  it('holds no tenant data: no profile, user or tenant id, no raw path', async () => {
    const users = (await s.t.as('auditor').get(`/api/v1/profiles/${id}/subscriptions?limit=5`)).body.items;
    await s.t.as('auditor').get(`/api/v1/profiles/${id}/users/${users[0].userId}/history`);
    await s.t.anonymous().get(`/api/v1/no/such/${id}/path`);
    const text = await scrape();
    expect(text).not.toContain(id);
    for (const u of users) expect(text).not.toContain(u.userId);
    expect(text).not.toContain(s.sandbox.profileBody().subscriptionConnection.tenantId);
    expect(sample(text, 'http_requests_total', { route: '(unmatched)', status: '404' })).toBe(1);
    const routes = new Set([...text.matchAll(/route="([^"]*)"/g)].map((m) => m[1]));
    for (const route of routes) expect(route).toMatch(/^(\(unmatched\)|\/[a-z0-9/:_-]*)$/i);
  });
});

describe('the event stream is capped', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { SAM_SSE_MAX_CONNECTIONS: '2' }, sseHeartbeatMs: 50 });
  });
  afterAll(() => t.close());

  /** Opens /events/stream; resolves once the status line arrived. */
  const open = (): Promise<{
    status: number;
    headers: Record<string, unknown>;
    body: Promise<string>;
    req: ClientRequest;
  }> =>
    new Promise((resolve, reject) => {
      const req = httpRequest(
        `${t.url}/api/v1/events/stream`,
        { headers: { Authorization: `Bearer ${KEYS.consumer}` } },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          const body = new Promise<string>((done) => {
            res.on('data', (chunk: string) => (text += chunk));
            res.on('end', () => done(text));
            res.on('close', () => done(text));
          });
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, req });
        },
      );
      req.on('error', reject);
      req.end();
    });

  it('answers 503 problem+json with Retry-After past SAM_SSE_MAX_CONNECTIONS, and serves again once one closes', async () => {
    const a = await open();
    const b = await open();
    expect([a.status, b.status]).toEqual([200, 200]);
    const refused = await open();
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('5');
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(await refused.body).type).toBe('urn:license-ledger:problem:too-many-streams');
    const metrics = (await t.anonymous().get('/metrics')).text;
    expect(sample(metrics, 'license_ledger_sse_connections')).toBe(2);
    expect(sample(metrics, 'license_ledger_sse_connections_refused_total')).toBe(1);

    a.req.destroy();
    await a.body;
    // The server notices the closed socket on its next write (a heartbeat at most 50 ms away).
    let again = await open();
    for (let i = 0; again.status !== 200 && i < 100; i++) {
      await new Promise((r) => setTimeout(r, 20));
      again = await open();
    }
    expect(again.status).toBe(200);
    again.req.destroy();
    b.req.destroy();
  });
});
