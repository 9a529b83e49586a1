import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import {
  allItems,
  duplicates,
  events,
  finishedRun,
  headPosition,
  publishProfile,
  startRun,
  type Envelope,
} from './support/ledger-checks';
import { killAllServices, startService, waitFor, walGrowth, type ServiceProcess } from './support/service-process';

const AUDITS_PAGE = 'GET /dynamics/api/data/v9.2/audits';

/**
 * kill -9 during refresh-activity (while it reads the audit log, and while it writes what
 * it learned) and during projection catch-up on a large store; after each restart on the
 * same file nothing is partial or duplicated, and the read models equal a fresh rebuild.
 */
describe('a service killed during refresh-activity and during projection catch-up', () => {
  let sandbox: Sandbox;
  let dir: string;
  let caFile: string;
  let sqlitePath: string;
  let profileId: string;

  const service = (env: Record<string, string> = {}, waitFor?: 'ready' | 'nothing') =>
    startService({ sqlitePath, caFile, instanceId: 'crash-act', env, ...(waitFor ? { waitFor } : {}) });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'll-crash-act-'));
    caFile = join(dir, 'sandbox-ca.pem');
    sqlitePath = join(dir, 'sam.sqlite');
    sandbox = await startSandbox({ users: 20_000, seed: 22, caFile });
    const setup = await service();
    profileId = await publishProfile(setup, sandbox);
    const download = await finishedRun(setup, await startRun(setup, profileId, 'download-subscriptions'));
    if (download.status !== 'succeeded') throw new Error(`setup download failed: ${JSON.stringify(download)}`);
    // A clean stop checkpoints and removes the write-ahead log: the tests below watch it grow.
    await setup.stop();
  }, 120_000);
  afterEach(() => killAllServices());
  afterAll(async () => {
    await killAllServices();
    await sandbox?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refresh-activity: cut runs are failed as interrupted, nothing partial is left, and no UserActivityRecorded is duplicated', async () => {
    const first = await service();
    const before = await headPosition(first);
    // ~15 audit pages of 5,000 rows, each held back 250 ms: the read is mid-way after 5.
    sandbox.faults.add({ family: 'dataverse', pathContains: '/audits', kind: 'slow', delayMs: 250, times: 1_000_000 });
    sandbox.resetRequestCounts();
    const cutWhileReading = await startRun(first, profileId, 'refresh-activity');
    await waitFor('five audit pages to be served', async () => (sandbox.requestCounts()[AUDITS_PAGE] ?? 0) >= 5);
    await first.kill9();
    sandbox.faults.clear();

    const second = await service();
    expect((await second.as('auditor').get(`/api/v1/job-runs/${cutWhileReading}`)).body).toMatchObject({
      status: 'failed',
      error: { cause: 'interrupted', interrupted: true },
    });
    expect(
      // Only the runs' own ends, the restarted process taking its instance id, and what the cut
      // run had already read of the environment's audit settings (true facts): no activity.
      (await events(second, { after: before }))
        .filter((e) => !e.type.startsWith('JobRun') && e.type !== 'InstanceLeaseTaken')
        .filter((e) => e.type !== 'AuditSettingsObserved' && e.type !== 'AuditSettingChanged')
        .map((e) => e.type),
    ).toEqual([]);

    const headBeforeWrite = await headPosition(second);
    const growth = walGrowth(sqlitePath);
    const cutWhileWriting = await startRun(second, profileId, 'refresh-activity');
    await waitFor('the write-ahead log to grow by 1 MiB', async () => growth() > 1_048_576, 60_000, 1);
    await second.kill9();

    const third = await service();
    expect((await third.as('auditor').get(`/api/v1/job-runs/${cutWhileWriting}`)).body).toMatchObject({
      status: 'failed',
      error: { cause: 'interrupted' },
    });
    const leftByCut = (await events(third, { after: headBeforeWrite, types: ['UserActivityRecorded'] })).length;

    const complete = await finishedRun(third, await startRun(third, profileId, 'refresh-activity'));
    expect(complete).toMatchObject({ status: 'succeeded' });
    const recorded = await events(third, { types: ['UserActivityRecorded'] });
    expect(recorded.length).toBeGreaterThan(10_000);
    // All or nothing: the cut write left none of it, or all of it (then the full run found nothing new).
    expect([0, recorded.length]).toContain(leftByCut);
    expect(activityNotMovingForward(recorded)).toEqual([]);
    expect(duplicates(recorded.map((e) => `${e.data.userId}|${e.data.app}|${e.data.lastActivityAt}`))).toEqual({});

    // Pulled again over the same audit log, nothing moves forward, so nothing is recorded.
    const again = await finishedRun(third, await startRun(third, profileId, 'refresh-activity'));
    expect(again).toMatchObject({ status: 'succeeded', summary: { activityRecorded: 0 } });
    expect(await events(third, { after: (await headPosition(third)) ?? '0', types: ['UserActivityRecorded'] })).toEqual(
      [],
    );
    await third.stop();
  }, 120_000);

  it('projection catch-up: a restart cut while rebuilding every read model resumes, and the read models equal a fresh rebuild', async () => {
    // A new version of every read model: the next start folds all of them again from position 0.
    const db = new Database(sqlitePath);
    const stored = db.prepare('UPDATE read_models SET version = version + 1000').run().changes;
    db.close();
    expect(stored).toBeGreaterThan(0);

    const cut = await service({ SAM_LOG_LEVEL: 'info' }, 'nothing');
    await waitFor(
      'the restarted service to start rebuilding its read models',
      async () => cut.output().includes('read model definition changed: rebuilding'),
      60_000,
      1,
    );
    await cut.kill9();
    expect(cut.output()).not.toContain('read models caught up');

    const restarted = await service();
    const head = await headPosition(restarted);
    const statuses = (await restarted.as('auditor').get('/api/v1/read-models')).body.items as {
      name: string;
      position: string | null;
      faulted: string | null;
    }[];
    expect(statuses.filter((s) => s.faulted)).toEqual([]);
    const resumed = await views(restarted);
    for (const { name } of statuses) {
      const rebuilt = await restarted.as('admin').post(`/api/v1/read-models/${name}/rebuild`);
      expect([name, rebuilt.status, rebuilt.body.faulted]).toEqual([name, 200, null]);
    }
    expect(await views(restarted)).toEqual(resumed);
    expect(await headPosition(restarted)).toBe(head);
  }, 120_000);

  /** What the read models answer, through the API. */
  async function views(svc: ServiceProcess) {
    const base = `/api/v1/profiles/${profileId}`;
    // asOf is "now" to the minute: not part of what the read models hold.
    const one = async (path: string) => ({ ...(await svc.as('auditor').get(path)).body, asOf: 'now' });
    return {
      profiles: await allItems(svc, '/api/v1/profiles'),
      subscriptions: await allItems(svc, `${base}/subscriptions`),
      lowUsage: await allItems(svc, `${base}/low-usage`),
      softwareModels: await allItems(svc, `${base}/software-models`),
      unrecognized: await allItems(svc, `${base}/unrecognized-identifiers`),
      position: await one(`${base}/license-position?limit=1000`),
      consolidation: await one(`${base}/consolidation?limit=1000`),
      jobs: await one(`${base}/jobs`),
      jobRuns: await allItems(svc, `${base}/job-runs`),
    };
  }
});

/** Each user's last activity per app only ever moves forward in the log. */
function activityNotMovingForward(log: readonly Envelope[]): string[] {
  const last = new Map<string, string>();
  const out: string[] = [];
  for (const e of log) {
    const key = `${e.data.profileId}|${e.data.userId}|${e.data.app}`;
    const previous = last.get(key);
    if (previous !== undefined && e.data.lastActivityAt <= previous)
      out.push(`${key} ${previous} -> ${e.data.lastActivityAt}`);
    last.set(key, e.data.lastActivityAt);
  }
  return out;
}
