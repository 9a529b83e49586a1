import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { JobsLifecycle } from '../../src/jobs/jobs.lifecycle';
import { JobScheduler } from '../../src/jobs/job-scheduler';
import { recordable } from '../support/events';
import { EventRegistry } from '../../src/events/event-registry';
import { ALL_EVENT_DEFINITIONS } from '../../src/domain/all-events';
import { FAST_RETRIES, freePort, until } from '../support/sandbox-app';
import { startTestApp, type TestApp } from '../support/test-app';

const registry = new EventRegistry(ALL_EVENT_DEFINITIONS);

describe('scheduling and recovery', () => {
  let sandbox: Sandbox;
  let dir: string;
  beforeAll(async () => {
    sandbox = await startSandbox({ users: 40, seed: 3 });
  });
  afterAll(() => sandbox.stop());
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'll-sched-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const instance = async (id: string, scheduler: 'on' | 'off', now?: Date): Promise<TestApp> => {
    const port = await freePort();
    const app = await startTestApp({
      dir,
      port,
      trustedCaPems: [sandbox.caPem],
      connectors: FAST_RETRIES,
      ...(now ? { clock: { now: () => now } } : {}),
      env: {
        SAM_ALLOWED_ENDPOINT_HOSTS: '127.0.0.1',
        SAM_INSTANCE_ID: id,
        SAM_SCHEDULER: scheduler,
        SAM_SCHEDULE_TIME: '02:00',
        SAM_PUBLIC_URL: `http://127.0.0.1:${port}`,
      },
    });
    await app.app.get(JobsLifecycle).ready();
    return app;
  };

  const publish = async (t: TestApp) => {
    const id = (await t.as('admin').post('/api/v1/profiles').send(sandbox.profileBody())).body.id;
    await t.as('admin').post(`/api/v1/profiles/${id}/validate`);
    await t.as('admin').post(`/api/v1/profiles/${id}/publish`);
    return id as string;
  };

  it('two instances on one store, both scheduling: each job runs once for the day', async () => {
    const setup = await instance('setup', 'off');
    const profileId = await publish(setup);
    await setup.close({ keepFiles: true });

    const now = new Date(`${new Date().toISOString().slice(0, 10)}T03:00:00.000Z`);
    const [a, b] = await Promise.all([instance('instance-a', 'on', now), instance('instance-b', 'on', now)]);
    try {
      await Promise.all([
        a.app.get(JobScheduler).tick(),
        b.app.get(JobScheduler).tick(),
        a.app.get(JobScheduler).tick(),
      ]);
      const claims = await until(async () => {
        const res = await a.as('auditor').get('/api/v1/events?type=JobRunClaimed,JobRunReleased&limit=1000');
        const items = res.body.items as { type: string; data: { job: string; trigger: string; slot: string } }[];
        return items.filter((e) => e.type === 'JobRunReleased').length >= 2 ? items : null;
      });
      const scheduled = claims.filter((e) => e.type === 'JobRunClaimed');
      expect(scheduled.map((e) => e.data.job).sort()).toEqual(['download-subscriptions', 'refresh-activity']);
      expect(
        scheduled.every((e) => e.data.trigger === 'schedule' && e.data.slot === now.toISOString().slice(0, 10)),
      ).toBe(true);
      await Promise.all([a.app.get(JobScheduler).tick(), b.app.get(JobScheduler).tick()]);
      const again = await a.as('auditor').get('/api/v1/events?type=JobRunClaimed&limit=1000');
      expect(again.body.items).toHaveLength(2);
      // The jobs view is instance a's read model: what b wrote reaches it only when a polls the shared file.
      expect(await a.runner.waitFor((await a.store.headPosition())!)).toBe(true);
      const jobs = await a.as('auditor').get(`/api/v1/profiles/${profileId}/jobs`);
      const tomorrow = new Date(now.getTime() - 3600_000 + 86_400_000).toISOString();
      expect(
        jobs.body.items.map((j: Record<string, unknown>) => [j.job, j.enabled, j.nextRunAt, j.runningRunId]),
      ).toEqual([
        ['download-subscriptions', true, tomorrow, null],
        ['refresh-activity', true, tomorrow, null],
      ]);
    } finally {
      await Promise.all([a.close({ keepFiles: true }), b.close({ keepFiles: true })]);
    }
  });

  it('a run cut short by a crash is marked failed (interrupted) at restart, and its job can run again', async () => {
    const first = await instance('crashy', 'off');
    const profileId = await publish(first);
    const runId = 'c0c0c0c0-0000-4000-8000-000000000001';
    const context = { actor: { kind: 'system' as const, id: 'crashy' }, correlationId: runId, causationId: null };
    const at = new Date().toISOString();
    // What a process killed mid-run leaves behind: a claim and a start, no end.
    await first.store.append(
      `job-${profileId}.download-subscriptions`,
      [
        recordable(
          {
            type: 'JobRunClaimed',
            data: {
              runId,
              profileId,
              job: 'download-subscriptions',
              trigger: 'manual',
              slot: null,
              instanceId: 'crashy',
              claimedAt: at,
            },
          },
          context,
          registry,
        ),
      ],
      'no-stream',
    );
    await first.store.append(
      `jobrun-${runId}`,
      [
        recordable(
          {
            type: 'JobRunStarted',
            data: {
              runId,
              profileId,
              job: 'download-subscriptions',
              trigger: 'manual',
              instanceId: 'crashy',
              startedAt: at,
            },
          },
          context,
          registry,
        ),
      ],
      'no-stream',
    );
    await first.close({ keepFiles: true });

    const restarted = await instance('crashy', 'off');
    try {
      const run = await restarted.as('auditor').get(`/api/v1/job-runs/${runId}`);
      expect(run.body).toMatchObject({ status: 'failed', error: { cause: 'interrupted', interrupted: true } });
      const again = await restarted.as('admin').post(`/api/v1/profiles/${profileId}/jobs/download-subscriptions/runs`);
      expect(again.status).toBe(202);
    } finally {
      await until(
        async () =>
          (await restarted.as('auditor').get(`/api/v1/profiles/${profileId}/jobs`)).body.items[0].runningRunId === null,
      );
      await restarted.close({ keepFiles: true });
    }
  });
});
