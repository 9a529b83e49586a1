import { SANDBOX_SKUS } from '../../src/sandbox/sku-catalog';
import { publishedProfile, runJob, waitForRun } from '../support/published-profile';
import { startSandboxApp, type SandboxApp } from '../support/sandbox-app';

describe('job runs against the sandbox', () => {
  let s: SandboxApp;
  let profileId: string;
  beforeAll(async () => {
    s = await startSandboxApp({ sandbox: { users: 120 } });
    profileId = await publishedProfile(s);
  });
  afterAll(() => s.close());

  it('runs download-subscriptions on demand: 202 with a runId, then succeeded with a summary', async () => {
    const started = await s.t.as('admin').post(`/api/v1/profiles/${profileId}/jobs/download-subscriptions/runs`);
    expect(started.status).toBe(202);
    expect(started.body).toEqual({ runId: expect.stringMatching(/^[0-9a-f-]{36}$/), status: 'queued' });
    const run = await waitForRun(s, started.body.runId);
    expect(run).toMatchObject({
      profileId,
      job: 'download-subscriptions',
      trigger: 'manual',
      status: 'succeeded',
      error: null,
    });
    // Only the users holding a tracked SKU are read (Graph's licence filter), each counted once.
    const licensed = s.sandbox.tenant.directory.users.filter((u) =>
      u.licenses.some((l) => SANDBOX_SKUS.find((k) => k.skuId === l.skuId)?.family !== 'office'),
    ).length;
    expect(run.summary).toMatchObject({
      users: licensed,
      licensedUsers: licensed,
      assigned: expect.any(Number),
      subscriptions: expect.any(Number),
    });
    expect(run.summary.assigned).toBe(run.summary.subscriptions);
    expect(run.startedAt <= run.finishedAt).toBe(true);
  });

  it('runs refresh-activity after it and records activity', async () => {
    const run = await runJob(s, profileId, 'refresh-activity');
    expect(run).toMatchObject({ status: 'succeeded' });
    expect(run.summary.rowsRead).toBeGreaterThan(0);
    expect(run.summary.activityRecorded).toBeGreaterThan(0);
    expect(run.summary.ignoredApplicationUsers).toBeGreaterThan(0);
  });

  it('at most one run per profile and job: a second request while one runs is 409', async () => {
    s.sandbox.faults.add({ family: 'graph', pathContains: '/users', kind: 'slow', delayMs: 800, times: 1 });
    const first = await s.t.as('admin').post(`/api/v1/profiles/${profileId}/jobs/download-subscriptions/runs`);
    const second = await s.t.as('admin').post(`/api/v1/profiles/${profileId}/jobs/download-subscriptions/runs`);
    expect(first.status).toBe(202);
    expect(second.status).toBe(409);
    expect(second.body.type).toBe('urn:license-ledger:problem:job-already-running');
    const other = await s.t.as('admin').post(`/api/v1/profiles/${profileId}/jobs/refresh-activity/runs`);
    expect(other.status).toBe(202);
    await waitForRun(s, first.body.runId);
    await waitForRun(s, other.body.runId);
    s.sandbox.faults.clear();
  });

  it('a failed run records its cause and appends nothing else', async () => {
    const before = await s.t.store.headPosition();
    s.sandbox.faults.add({ family: 'graph', pathContains: '/users', kind: 'unavailable', times: 50 });
    const run = await runJob(s, profileId, 'download-subscriptions');
    s.sandbox.faults.clear();
    expect(run).toMatchObject({ status: 'failed', error: { cause: 'unavailable', interrupted: false } });
    const appended = await s.t.as('auditor').get(`/api/v1/events?from=${before}&limit=1000`);
    expect(new Set(appended.body.items.map((e: { type: string }) => e.type))).toEqual(
      new Set(['JobRunClaimed', 'JobRunStarted', 'JobRunProgressed', 'JobRunFailed', 'JobRunReleased']),
    );
  });

  it('lists the profile job results newest first', async () => {
    const runs = await s.t.as('auditor').get(`/api/v1/profiles/${profileId}/job-runs?limit=2`);
    expect(runs.body.items).toHaveLength(2);
    expect(runs.body.items[0].queuedAt >= runs.body.items[1].queuedAt).toBe(true);
    expect(runs.body.nextCursor).not.toBeNull();
    const more = await s.t.as('auditor').get(`/api/v1/profiles/${profileId}/job-runs?cursor=${runs.body.nextCursor}`);
    expect(more.body.items.length).toBeGreaterThan(0);
    expect(more.body.items.map((r: { runId: string }) => r.runId)).not.toContain(runs.body.items[0].runId);
  });

  it('refuses unknown jobs and malformed run ids', async () => {
    expect((await s.t.as('admin').post(`/api/v1/profiles/${profileId}/jobs/reconcile/runs`)).status).toBe(404);
    expect((await s.t.as('auditor').get('/api/v1/job-runs/nope')).status).toBe(400);
    expect((await s.t.as('auditor').get('/api/v1/job-runs/6a8d0a4b-8a8e-4f5b-8a55-3a6f1c2b9d10')).status).toBe(404);
  });
});
