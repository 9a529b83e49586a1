import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { allItems, events, finishedRun, startRun, tenantSubscriptions } from '../resilience/support/ledger-checks';
import { killAllServices, startService, waitFor, type ServiceProcess } from '../resilience/support/service-process';
import { startEsdbFake, type EsdbFake } from '../support/esdb-fake';

const JOBS = ['download-subscriptions', 'refresh-activity'];

/**
 * Two service processes, each with its own local file (read models, checkpoints), on ONE
 * EventStoreDB (the wire-level test server) — what users who outgrow one machine run. What
 * one instance writes, the other reads: profiles and their secrets, job claims, the log.
 */
describe('two instances on one EventStoreDB', () => {
  let fake: EsdbFake;
  let sandbox: Sandbox;
  let dir: string;
  let caFile: string;
  let profileId: string;
  const secretKey = randomBytes(32).toString('base64');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'll-two-esdb-'));
    caFile = join(dir, 'sandbox-ca.pem');
    sandbox = await startSandbox({ users: 120, seed: 53, caFile });
    fake = await startEsdbFake();
  });
  afterEach(() => killAllServices());
  afterAll(async () => {
    await killAllServices();
    await fake?.stop();
    await sandbox?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const instance = (id: string, env: Record<string, string> = {}) => {
    mkdirSync(join(dir, id), { recursive: true });
    return startService({
      sqlitePath: join(dir, id, 'sam.sqlite'),
      caFile,
      instanceId: id,
      env: {
        SAM_EVENT_STORE: 'esdb',
        EVENTSTORE_CONNECTION_STRING: fake.connectionString,
        SAM_STREAM_PREFIX: 'ledger_',
        SAM_SECRET_KEY: secretKey,
        // The shortest lease: a killed instance's claims are free again within 15 s.
        SAM_INSTANCE_LEASE_SECONDS: '15',
        ...env,
      },
    });
  };

  it('a profile created on A validates, publishes and syncs on B, and both answer the same', async () => {
    const [a, b] = await Promise.all([instance('instance-a'), instance('instance-b')]);
    const created = await a.as('admin').post('/api/v1/profiles').send(sandbox.profileBody());
    expect(created.status).toBe(201);
    profileId = created.body.id;

    // B reads the secrets A stored: validation reaches the tenant with them.
    const validated = await b.as('admin').post(`/api/v1/profiles/${profileId}/validate`);
    expect(validated.body).toMatchObject({ valid: true });
    expect((await b.as('admin').post(`/api/v1/profiles/${profileId}/publish`)).status).toBe(200);
    for (const job of JOBS) {
      const run = await finishedRun(b, await startRun(b, profileId, job));
      expect({ job, status: run.status }).toEqual({ job, status: 'succeeded' });
    }

    // What B learned is in A's read models too, once both have folded the same log.
    await converged([a, b]);
    const subscriptions = await allItems(a, `/api/v1/profiles/${profileId}/subscriptions`);
    expect(subscriptions.map((r) => `${r.userId}|${r.skuPartNumber}`).sort()).toEqual(tenantSubscriptions(sandbox));
    const asOf = new Date().toISOString();
    for (const path of [
      `/api/v1/profiles/${profileId}`,
      `/api/v1/profiles/${profileId}/subscriptions?limit=1000`,
      `/api/v1/profiles/${profileId}/software-models?limit=1000`,
      `/api/v1/profiles/${profileId}/job-runs?limit=1000`,
      `/api/v1/profiles/${profileId}/license-position?asOf=${asOf}`,
    ]) {
      const [fromA, fromB] = await Promise.all([a, b].map((s) => s.as('auditor').get(path)));
      expect({ path, status: fromA.status }).toEqual({ path, status: 200 });
      expect({ path, body: fromB.body }).toEqual({ path, body: fromA.body });
    }

    // The secrets are in the store every instance shares, and never in clear.
    const secret = sandbox.profileBody().subscriptionConnection.clientSecret;
    const stored = fake.log.records.map((r) => Buffer.concat([r.data, r.metadata]).toString('utf8')).join('\n');
    expect(stored).not.toContain(secret);
    expect(fake.log.records.some((r) => r.stream.startsWith('ledger__vault-cred-'))).toBe(true);
  }, 180_000);

  it('both scheduling: each job runs exactly once for the day, and restarts resume from their checkpoints', async () => {
    await awayFromMidnight();
    const today = new Date().toISOString().slice(0, 10);
    const scheduling = { SAM_SCHEDULER: 'on', SAM_SCHEDULE_TIME: '00:00' };
    // Each start ticks at once; 00:00 has passed, so both want today's slot for each job.
    const [a, b] = await Promise.all([instance('instance-a', scheduling), instance('instance-b', scheduling)]);
    const released = await waitFor(
      'both scheduled runs to be released',
      async () => {
        const log = await events(a, { types: ['JobRunReleased'] });
        const mine = log.filter((e) => e.data.profileId === profileId && e.metadata.actor?.kind === 'scheduler');
        return mine.length >= 2 ? mine : null;
      },
      90_000,
      200,
    );
    expect(released).toHaveLength(2);
    const log = (await events(b, { types: ['JobRunClaimed', 'JobRunStarted', 'JobRunSucceeded', 'JobRunFailed'] }))
      .filter((e) => e.data.profileId === profileId)
      .filter((e) => e.type !== 'JobRunClaimed' || e.data.trigger === 'schedule');
    const claimed = log.filter((e) => e.type === 'JobRunClaimed');
    expect(claimed.map((e) => [e.data.job, e.data.slot]).sort()).toEqual(JOBS.map((job) => [job, today]));
    const scheduledRuns = new Set(claimed.map((e) => e.data.runId));
    const ofScheduled = (type: string) => log.filter((e) => e.type === type && scheduledRuns.has(e.data.runId));
    expect(ofScheduled('JobRunStarted')).toHaveLength(2);
    expect(ofScheduled('JobRunSucceeded')).toHaveLength(2);
    expect(ofScheduled('JobRunFailed')).toEqual([]);
    // The local read models came back from their checkpoints: the store is the one they were built from.
    for (const service of [a, b]) expect(service.output()).not.toMatch(/rebuilding from position 0/);
    await converged([a, b]);
  }, 180_000);

  it('killing A mid-job leaves B to run the next one, once', async () => {
    const [a, b] = await Promise.all([instance('instance-a'), instance('instance-b')]);
    // A's users read never answers: its run is mid-way when A dies.
    const hang = sandbox.faults.add({ family: 'graph', pathContains: '/users?', kind: 'timeout', times: 1_000_000 });
    const cut = await startRun(a, profileId, 'download-subscriptions');
    await waitFor(
      'A to ask for users',
      async () => (sandbox.faults.list().find((r) => r.id === hang.id)?.matched ?? 0) > 0,
    );
    await waitFor('the run to be started, as B sees it', async () => {
      const run = await b.as('auditor').get(`/api/v1/job-runs/${cut}`);
      return run.body?.status === 'running';
    });
    await a.kill9();
    sandbox.faults.clear();

    // Until A's lease lapses, B answers that the job runs; then it settles A's run and starts its own.
    const next = await waitFor(
      "B to start the job once A's lease has lapsed",
      async () => {
        const res = await b.as('admin').post(`/api/v1/profiles/${profileId}/jobs/download-subscriptions/runs`);
        if (res.status === 409) return null;
        expect(res.status).toBe(202);
        return res.body.runId as string;
      },
      60_000,
      500,
    );
    expect(await finishedRun(b, next)).toMatchObject({ status: 'succeeded' });
    const settled = (await b.as('auditor').get(`/api/v1/job-runs/${cut}`)).body;
    expect(settled).toMatchObject({ status: 'failed', error: { cause: 'interrupted', interrupted: true } });
    expect(settled.error.message).toContain('instance-a');
    const claims = (await events(b, { types: ['JobRunClaimed'] })).filter(
      (e) => e.data.profileId === profileId && e.data.job === 'download-subscriptions',
    );
    const afterCut = claims.slice(claims.findIndex((e) => e.data.runId === cut) + 1);
    expect(afterCut.map((e) => [e.data.runId, e.data.instanceId])).toEqual([[next, 'instance-b']]);
    expect(b.exit()).toBeNull();
  }, 180_000);
});

/** Both instances ready, with their read models at the same position: the store's head. */
async function converged(services: readonly ServiceProcess[]): Promise<string> {
  return waitFor(
    'the instances to fold the same log',
    async () => {
      const answers = await Promise.all(services.map((s) => s.as('auditor').get('/health/ready')));
      const heads = answers.map((r) => r.body?.store?.head);
      const positions = answers.map((r) => r.body?.readModels?.position);
      const same = answers.every((r) => r.status === 200) && new Set([...heads, ...positions]).size === 1;
      return same ? (heads[0] as string) : null;
    },
    60_000,
    100,
  );
}

/** A run that straddled midnight UTC would rightly run again on the new day; start clear of it. */
async function awayFromMidnight(): Promise<void> {
  const now = new Date();
  const msToMidnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1) - now.getTime();
  if (msToMidnight < 120_000) await new Promise((r) => setTimeout(r, msToMidnight + 1_000));
}
