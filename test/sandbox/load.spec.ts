import {
  graphRequestCost,
  graphResourceUnitQuota,
  parseLatency,
  startSandbox,
  type Sandbox,
  type StartSandboxOptions,
} from '../../src/sandbox';
import { parseSandboxArgs, SANDBOX_USAGE } from '../../src/sandbox/cli-options';
import type { SandboxRequest } from '../../src/sandbox/http/reply';
import { appToken, bearer, call, type HttpResult } from './support/https-client';

/**
 * The opt-in load options: latency per request and Microsoft's service protection limits.
 * Nothing here waits or times: the latency goes through an injected sleep that records it,
 * and the throttling windows run on a fake clock the test moves.
 */
describe('sandbox latency and throttling', () => {
  const open: Sandbox[] = [];
  afterEach(async () => {
    for (const sandbox of open.splice(0)) await sandbox.stop();
  });

  async function start(options: StartSandboxOptions): Promise<Sandbox> {
    const sandbox = await startSandbox({ users: 30, seed: 8, ...options });
    open.push(sandbox);
    return sandbox;
  }

  const usersPage = (sandbox: Sandbox, token: string, query = '$top=999'): Promise<HttpResult> =>
    call(sandbox, 'GET', `${sandbox.graphBaseUrl}/v1.0/users?${query}`, bearer(token));
  const whoAmI = (sandbox: Sandbox, token: string): Promise<HttpResult> =>
    call(sandbox, 'GET', `${sandbox.environmentUrl}/api/data/v9.2/WhoAmI`, bearer(token));
  const totalRequests = (sandbox: Sandbox): number =>
    Object.values(sandbox.requestCounts()).reduce((sum, n) => sum + n, 0);

  describe('--latency', () => {
    it('parses MEAN±JITTER, MEAN+-JITTER and MEAN, and refuses the rest', () => {
      expect(parseLatency('80±40')).toEqual({ meanMs: 80, jitterMs: 40 });
      expect(parseLatency('80+-40')).toEqual({ meanMs: 80, jitterMs: 40 });
      expect(parseLatency('25')).toEqual({ meanMs: 25, jitterMs: 0 });
      expect(() => parseLatency('fast')).toThrow(/MEAN±JITTER/);
      expect(() => parseLatency('40±80')).toThrow(/exceeds the mean/);
      expect(parseSandboxArgs(['--latency', '80±40', '--throttling'])).toMatchObject({
        latency: { meanMs: 80, jitterMs: 40 },
        throttling: true,
      });
      expect(parseSandboxArgs([])).not.toHaveProperty('latency');
      expect(parseSandboxArgs([])).not.toHaveProperty('throttling');
      expect(SANDBOX_USAGE).toContain('--latency MS[±JITTER]');
      expect(SANDBOX_USAGE).toContain('--throttling');
    });

    it('delays every request outside the control API by mean ± jitter, drawn from the seed', async () => {
      const run = async (seed: number) => {
        const delays: number[] = [];
        const sandbox = await start({
          seed,
          latency: { meanMs: 80, jitterMs: 40 },
          sleep: async (ms) => void delays.push(ms),
        });
        const graph = await appToken(sandbox, 'graph');
        const dataverse = await appToken(sandbox, 'dynamics');
        for (let i = 0; i < 3; i++) expect((await usersPage(sandbox, graph, '$top=5')).status).toBe(200);
        expect((await whoAmI(sandbox, dataverse)).status).toBe(200);
        expect((await call(sandbox, 'GET', `${sandbox.url}/_sandbox/faults`)).status).toBe(200);
        return { delays, requests: totalRequests(sandbox), stats: sandbox.loadStats() };
      };
      const first = await run(8);
      // token ×2, users ×3, WhoAmI: the control API call is neither counted nor delayed.
      expect(first.delays).toHaveLength(first.requests);
      expect(first.requests).toBe(6);
      for (const ms of first.delays) {
        expect(ms).toBeGreaterThanOrEqual(40);
        expect(ms).toBeLessThanOrEqual(120);
      }
      expect(new Set(first.delays).size).toBe(first.delays.length);
      expect(first.stats.latency).toEqual({
        requests: 6,
        totalMs: first.delays.reduce((sum, ms) => sum + ms, 0),
      });
      expect((await run(8)).delays).toEqual(first.delays);
      expect((await run(9)).delays).not.toEqual(first.delays);
    });

    it('is off by default: no request waits, and nothing is throttled', async () => {
      const delays: number[] = [];
      const sandbox = await start({ sleep: async (ms) => void delays.push(ms) });
      const token = await appToken(sandbox, 'graph');
      for (let i = 0; i < 5; i++) expect((await usersPage(sandbox, token)).status).toBe(200);
      expect(delays).toEqual([]);
      expect(sandbox.loadStats()).toEqual({ latency: null, throttled: null });
    });
  });

  describe('--throttling', () => {
    it('uses the documented Graph identity-and-access quotas and request costs', () => {
      expect([graphResourceUnitQuota(30), graphResourceUnitQuota(50), graphResourceUnitQuota(500)]).toEqual([
        3500, 5000, 5000,
      ]);
      expect(graphResourceUnitQuota(100_000)).toBe(8000);
      const request = (method: string, pathAndQuery: string): SandboxRequest => {
        const url = new URL(`https://127.0.0.1${pathAndQuery}`);
        return { method, url, path: url.pathname, headers: {}, body: Buffer.alloc(0) };
      };
      expect(graphRequestCost(request('GET', '/graph/v1.0/users?$top=999'))).toBe(2);
      expect(graphRequestCost(request('GET', '/graph/v1.0/users?$select=id&$top=999'))).toBe(1);
      expect(graphRequestCost(request('GET', '/graph/v1.0/users?$top=5'))).toBe(1);
      expect(graphRequestCost(request('GET', '/graph/v1.0/subscribedSkus'))).toBe(3);
      expect(graphRequestCost(request('GET', '/graph/v1.0/users/x/licenseDetails'))).toBe(2);
      expect(graphRequestCost(request('GET', '/graph/v1.0/users/x?$expand=manager'))).toBe(2);
      expect(graphRequestCost(request('POST', '/graph/v1.0/users/x/assignLicense'))).toBe(1);
    });

    it('Graph: a token bucket per app; past it 429 TooManyRequests with the Retry-After until it refills', async () => {
      let now = 1_000_000;
      const sandbox = await start({ throttling: { graph: { resourceUnitsPer10s: 5 } }, clock: () => now });
      const token = await appToken(sandbox, 'graph');
      // Each unselected page of 999 costs 2 resource units: two fit in 5, the third does not.
      expect((await usersPage(sandbox, token)).status).toBe(200);
      expect((await usersPage(sandbox, token)).status).toBe(200);
      const throttled = await usersPage(sandbox, token);
      expect(throttled.status).toBe(429);
      // 1 unit left, 2 needed, 5 units per 10 s: 2 s.
      expect(throttled.headers['retry-after']).toBe('2');
      expect(throttled.json()).toMatchObject({ error: { code: 'TooManyRequests' } });
      now += 2_000;
      expect((await usersPage(sandbox, token)).status).toBe(200);
      expect(sandbox.loadStats().throttled).toMatchObject({ graph: 1, dataverseRequests: 0 });
    });

    it('Dataverse: requests per user in a sliding window; 429 0x80072322 until the oldest leaves it', async () => {
      let now = 5_000_000;
      const sandbox = await start({ throttling: { dataverse: { requests: 3 } }, clock: () => now });
      const token = await appToken(sandbox, 'dynamics');
      for (let i = 0; i < 3; i++) {
        expect((await whoAmI(sandbox, token)).status).toBe(200);
        now += 10_000;
      }
      const throttled = await whoAmI(sandbox, token);
      expect(throttled.status).toBe(429);
      // The first of the three was 30 s ago; it leaves the 300 s window in 270 s.
      expect(throttled.headers['retry-after']).toBe('270');
      expect(throttled.json()).toEqual({
        error: {
          code: '0x80072322',
          message: 'Number of requests exceeded the limit of 3 over time window of 300 seconds.',
        },
      });
      now += 270_000;
      expect((await whoAmI(sandbox, token)).status).toBe(200);
      expect(sandbox.loadStats().throttled).toMatchObject({ dataverseRequests: 1, graph: 0 });
    });

    it('Dataverse: combined execution time in the window; 429 0x80072321', async () => {
      let now = 0;
      // The latency is the server's time on the request: the injected sleep moves the fake clock by it.
      const sandbox = await start({
        latency: { meanMs: 100, jitterMs: 0 },
        throttling: { dataverse: { executionMs: 250 } },
        clock: () => now,
        sleep: async (ms) => void (now += ms),
      });
      const token = await appToken(sandbox, 'dynamics');
      for (let i = 0; i < 3; i++) expect((await whoAmI(sandbox, token)).status).toBe(200);
      const throttled = await whoAmI(sandbox, token);
      expect(throttled.status).toBe(429);
      expect(throttled.json()).toMatchObject({ error: { code: '0x80072321' } });
      expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
      expect(sandbox.loadStats().throttled).toMatchObject({ dataverseExecutionTime: 1 });
    });

    it('Dataverse: concurrent requests per user; the one past the limit gets 429 0x80072326', async () => {
      const held: (() => void)[] = [];
      let sleeps = 0;
      const sandbox = await start({
        latency: { meanMs: 10, jitterMs: 0 },
        throttling: { dataverse: { concurrent: 2 } },
        // The first two Dataverse requests stay in flight until released; the token requests and the third pass.
        sleep: (ms) =>
          ++sleeps >= 2 && sleeps <= 3 ? new Promise<void>((resolve) => held.push(resolve)) : Promise.resolve(void ms),
      });
      const token = await appToken(sandbox, 'dynamics');
      const first = whoAmI(sandbox, token);
      const second = whoAmI(sandbox, token);
      while (held.length < 2) await new Promise((resolve) => setImmediate(resolve));
      const third = await whoAmI(sandbox, token);
      expect(third.status).toBe(429);
      expect(third.headers['retry-after']).toBe('1');
      expect(third.json()).toMatchObject({
        error: { code: '0x80072326', message: 'Number of concurrent requests exceeded the limit of 2.' },
      });
      for (const release of held) release();
      expect([(await first).status, (await second).status]).toEqual([200, 200]);
      expect((await whoAmI(sandbox, token)).status).toBe(200);
      expect(sandbox.loadStats().throttled).toMatchObject({ dataverseConcurrency: 1 });
    });
  });
});
