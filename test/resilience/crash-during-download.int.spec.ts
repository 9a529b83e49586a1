import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import {
  assignmentsRecordedTwice,
  allItems,
  events,
  finishedRun,
  headPosition,
  publishProfile,
  startRun,
  tenantSubscriptions,
} from './support/ledger-checks';
import { killAllServices, startService, waitFor, walGrowth } from './support/service-process';

const USERS = 20_000;
const USERS_PAGES = Math.ceil(USERS / 999);
const USERS_PAGE = 'GET /graph/v1.0/users';

/**
 * kill -9 of the service process during a 20,000-user download, twice: once while it
 * reads the users (Graph pages slowed by a `slow` fault so "the middle" is reliable), and
 * once while it writes the download to SQLite (seen from outside as the write-ahead log
 * growing). After each restart on the same file the cut run is failed (interrupted), the
 * log holds nothing partial, and in the end a new run completes with the ledger equal to
 * the tenant and no assignment recorded twice.
 */
describe('a service killed during download-subscriptions', () => {
  let sandbox: Sandbox;
  let dir: string;
  let caFile: string;
  let sqlitePath: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'll-crash-dl-'));
    caFile = join(dir, 'sandbox-ca.pem');
    sqlitePath = join(dir, 'sam.sqlite');
    sandbox = await startSandbox({ users: USERS, seed: 21, caFile });
  });
  afterEach(() => killAllServices());
  afterAll(async () => {
    await killAllServices();
    await sandbox?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  // The same instance id after a restart, as a restarted host keeps its name: its own
  // dead claims are settled at once (another instance's only once they go stale).
  const service = () => startService({ sqlitePath, caFile, instanceId: 'crash-dl' });

  it('is failed as interrupted, appends nothing partial, and a new run records the tenant exactly once', async () => {
    const first = await service();
    const profileId = await publishProfile(first, sandbox);
    const before = await headPosition(first);
    // Every users page held back 250 ms (~20 pages of 999): the read is mid-way after 6.
    sandbox.faults.add({ family: 'graph', pathContains: '/users?', kind: 'slow', delayMs: 250, times: 1_000_000 });
    sandbox.resetRequestCounts();
    const cutWhileReading = await startRun(first, profileId, 'download-subscriptions');
    await waitFor('six users pages to be served', async () => (sandbox.requestCounts()[USERS_PAGE] ?? 0) >= 6);
    await first.kill9();
    expect(first.exit()).toEqual({ code: null, signal: 'SIGKILL' });
    expect(sandbox.requestCounts()[USERS_PAGE]).toBeLessThan(USERS_PAGES);
    sandbox.faults.clear();

    const second = await service();
    expect((await second.as('auditor').get(`/api/v1/job-runs/${cutWhileReading}`)).body).toMatchObject({
      status: 'failed',
      error: { cause: 'interrupted', interrupted: true },
    });
    const afterFirstCut = await events(second, { after: before });
    // Only the runs' own ends, and the restarted process taking its instance id.
    const isRunOrLease = (type: string) => type.startsWith('JobRun') || type === 'InstanceLeaseTaken';
    expect(afterFirstCut.filter((e) => !isRunOrLease(e.type)).map((e) => e.type)).toEqual([]);

    // Now cut the write itself: the 48,000-event append spills pages into the
    // write-ahead log long before it commits; kill as soon as the log grows.
    sandbox.resetRequestCounts();
    const headBeforeWrite = await headPosition(second);
    const growth = walGrowth(sqlitePath);
    const cutWhileWriting = await startRun(second, profileId, 'download-subscriptions');
    await waitFor(
      'every users page to be served',
      async () => (sandbox.requestCounts()[USERS_PAGE] ?? 0) >= USERS_PAGES,
    );
    await waitFor('the write-ahead log to grow by 1 MiB', async () => growth() > 1_048_576, 60_000, 1);
    await second.kill9();

    const third = await service();
    const run = (await third.as('auditor').get(`/api/v1/job-runs/${cutWhileWriting}`)).body;
    const assigned = (await events(third, { after: headBeforeWrite, types: ['LicenseAssigned'] })).length;
    const truth = tenantSubscriptions(sandbox);
    // One transaction: the whole download or none of it (the kill almost always lands
    // before the commit; should it land after, the run's end was still not recorded).
    expect({ status: run.status, cause: run.error?.cause }).toEqual({ status: 'failed', cause: 'interrupted' });
    expect([0, truth.length]).toContain(assigned);

    const rerun = await finishedRun(third, await startRun(third, profileId, 'download-subscriptions'));
    expect(rerun).toMatchObject({ status: 'succeeded' });
    const subscriptions = await allItems(third, `/api/v1/profiles/${profileId}/subscriptions`);
    expect(subscriptions.map((r) => `${r.userId}|${r.skuPartNumber}`).sort()).toEqual(truth);
    const log = await events(third, { types: ['LicenseAssigned', 'LicenseRemoved'] });
    expect(log.filter((e) => e.type === 'LicenseAssigned')).toHaveLength(truth.length);
    expect(assignmentsRecordedTwice(log)).toEqual([]);
  }, 180_000);
});
