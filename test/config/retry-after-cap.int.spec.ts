// SAM_MAX_RETRY_AFTER_SECONDS reaches the Microsoft connectors of the running service: a throttled call
// waits what Microsoft asks, cut to the configured cap (read from the retry log line, never from a clock).
import { startSandboxApp, type SandboxApp } from '../support/sandbox-app';

interface RetryLine {
  msg: string;
  waitMs: number;
  waitSource: string;
  status: number;
  path: string;
}

const retryLines = (s: SandboxApp): RetryLine[] =>
  s.t.logs
    .map((line) => JSON.parse(line) as RetryLine)
    .filter((line) => line.msg === 'upstream request failed; retrying');

describe('SAM_MAX_RETRY_AFTER_SECONDS', () => {
  let s: SandboxApp;
  beforeAll(async () => {
    s = await startSandboxApp({
      sandbox: { users: 20, seed: 3 },
      // The test's quick retries, except the cap: that one comes from the environment.
      app: { env: { SAM_MAX_RETRY_AFTER_SECONDS: '1' }, connectors: { maxRetryAfterMs: undefined } },
    });
  });
  afterAll(() => s.close());

  it('cuts a longer Retry-After from Graph to the configured cap', async () => {
    s.sandbox.faults.add({ family: 'graph', pathContains: '/subscribedSkus', kind: 'throttle', retryAfterSeconds: 30 });
    const created = await s.t.as('admin').post('/api/v1/profiles').send(s.sandbox.profileBody());
    expect(created.status).toBe(201);

    const validated = await s.t.as('admin').post(`/api/v1/profiles/${created.body.id}/validate`);

    expect(validated.body.checks).toContainEqual({ name: 'downloadSubscriptions', ok: true });
    expect(retryLines(s)).toEqual([expect.objectContaining({ status: 429, waitMs: 1_000, waitSource: 'retry-after' })]);
  });
});
