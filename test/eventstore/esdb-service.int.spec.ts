import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { killAllServices, startService, waitFor } from '../resilience/support/service-process';
import { FAST_RETRIES, freePort, until } from '../support/sandbox-app';
import { startEsdbFake, type EsdbFake } from '../support/esdb-fake';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * The whole service on EventStoreDB (the wire-level test server), through its HTTP edge:
 * readiness covers a write as well as a read, store faults become 503 problems after the
 * adapter's retries, a subscription the store refuses for good fails readiness with a log
 * line, and a wrong SAM_SECRET_KEY stops the start.
 */
describe('the service on EventStoreDB', () => {
  let sandbox: Sandbox;
  let fake: EsdbFake;
  let dir: string;
  const secretKey = randomBytes(32).toString('base64');
  const apps: TestApp[] = [];

  beforeAll(async () => {
    sandbox = await startSandbox({ users: 20, seed: 12 });
  });
  afterAll(() => sandbox.stop());
  beforeEach(async () => {
    fake = await startEsdbFake();
    dir = mkdtempSync(join(tmpdir(), 'll-esdb-svc-'));
  });
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close({ keepFiles: true });
    await killAllServices();
    await fake.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const esdbEnv = (key = secretKey) => ({
    SAM_EVENT_STORE: 'esdb',
    EVENTSTORE_CONNECTION_STRING: fake.connectionString,
    SAM_STREAM_PREFIX: 'ledger_',
    SAM_SECRET_KEY: key,
  });
  const start = async (name: string, key = secretKey) => {
    const port = await freePort();
    const app = await startTestApp({
      dir: join(dir, name),
      port,
      trustedCaPems: [sandbox.caPem],
      connectors: FAST_RETRIES,
      env: {
        ...esdbEnv(key),
        SAM_INSTANCE_ID: name,
        SAM_ALLOWED_ENDPOINT_HOSTS: '127.0.0.1',
        SAM_PUBLIC_URL: `http://127.0.0.1:${port}`,
      },
    });
    apps.push(app);
    await app.runner.whenCaughtUp();
    return app;
  };
  const ready = async (app: TestApp) => {
    const res = await app.anonymous().get('/health/ready');
    return { status: res.status, body: res.body };
  };

  it('readiness fails while the store answers reads but refuses writes, and recovers with it', async () => {
    const app = await start('a');
    expect((await ready(app)).status).toBe(200);
    fake.faults.failNext('append', 'unavailable', Infinity);
    const refused = await ready(app);
    expect(refused.status).toBe(503);
    expect(refused.body.store).toMatchObject({ ok: false, kind: 'esdb' });
    expect(refused.body.store.error).toMatch(/unavailable/i);
    fake.faults.clear();
    expect((await ready(app)).status).toBe(200);
  });

  it('a store that keeps timing out is a 503 problem with Retry-After, after the retries; nothing is half-written', async () => {
    const app = await start('a');
    const before = fake.log.records.length;
    fake.faults.failNext('append', 'deadline', Infinity);
    const res = await app.as('admin').post('/api/v1/profiles').send(sandbox.profileBody());
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.body).toMatchObject({ status: 503, type: expect.stringContaining('store-unavailable') });
    expect(fake.log.records.length).toBe(before);
    fake.faults.clear();
    const created = await app.as('admin').post('/api/v1/profiles').send(sandbox.profileBody());
    expect(created.status).toBe(201);
  });

  it('a node that is not the leader sends the service to the leader it names', async () => {
    const app = await start('a');
    const leader = await startEsdbFake({ log: fake.log });
    try {
      fake.faults.notLeader(leader.endpoint);
      const created = await app.as('admin').post('/api/v1/profiles').send(sandbox.profileBody());
      expect(created.status).toBe(201);
      expect((await ready(app)).status).toBe(200);
    } finally {
      fake.faults.clear();
      await leader.stop();
    }
  });

  it('a subscription refused for good stops the read models with a log line, and readiness fails', async () => {
    const app = await start('a');
    fake.faults.failNext('subscribe', 'access-denied');
    fake.faults.dropSubscriptions();
    const failed = await until(async () => {
      const answer = await ready(app);
      return answer.body.readModels?.subscriptionFailed ? answer : null;
    });
    expect(failed.status).toBe(503);
    expect(failed.body.readModels.subscriptionFailed).toMatch(/Access Denied/);
    const line = app.logs.find((l) => l.includes('refused the read models’ subscription for good'));
    expect(line && JSON.parse(line)).toMatchObject({ level: 'error' });
  });

  it('a start with another SAM_SECRET_KEY than the store’s is refused with one line naming the key', async () => {
    await start('a');
    const wrong = randomBytes(32).toString('base64');
    const refused = await start('b', wrong).catch((e: unknown) => e as Error);
    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error).message).toMatch(/^SAM_SECRET_KEY is not the key this store's secrets are sealed with/);
    expect((refused as Error).message).toContain('(key from SAM_SECRET_KEY)');

    // The real process says so on stderr and exits 1, before it serves anything.
    const service = await startService({
      sqlitePath: join(dir, 'c', 'sam.sqlite'),
      instanceId: 'c',
      env: esdbEnv(wrong),
      waitFor: 'nothing',
    });
    const exit = await waitFor('the refused process to exit', async () => service.exit(), 60_000);
    expect(exit.code).toBe(1);
    expect(service.output()).toMatch(/license-ledger: failed to start: SAM_SECRET_KEY is not the key/);
  });
});
