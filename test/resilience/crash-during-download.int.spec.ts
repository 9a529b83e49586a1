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
import { killAllServices, startService, waitFor, walGrowth, type ServiceProcess } from './support/service-process';

const USERS = 20_000;
const USERS_PAGES = Math.ceil(USERS / 999);
const USERS_PAGE = 'GET /graph/v1.0/users';

/**
 * kill -9 of the service process during a 20,000-user download, twice: once while it reads
 * the users (Graph pages slowed by a `slow` fault so "the middle" is reliable), and once
 * while it records pages (seen from outside as the write-ahead log growing). The download
 * records each page as it arrives, one transaction per page: after each restart on the same
 * file the cut run is failed (interrupted), what it recorded is true (assignments the tenant
 * holds, no removal, since removals need a complete read), and in the end a new run completes
 * with the ledger equal to the tenant and no assignment recorded twice.
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

  /** What a cut run left: only assignments the tenant holds, each once, and no removal. */
  async function expectOnlyTrueAssignments(svc: ServiceProcess, after: string | null, truth: readonly string[]) {
    // Besides the runs' own events and the restarted process taking its instance id:
    const recorded = (await events(svc, { after })).filter(
      (e) => !e.type.startsWith('JobRun') && !e.type.startsWith('InstanceLease'),
    );
    const kinds = new Set(recorded.map((e) => e.type));
    kinds.delete('LicenseAssigned');
    for (const catalogFact of ['SoftwareModelCreated', 'ReclamationRuleCreated', 'EntitlementObserved']) {
      kinds.delete(catalogFact);
    }
    kinds.delete('SubscriptionIdentifierUnrecognized');
    expect([...kinds]).toEqual([]);
    const assigned = recorded.filter((e) => e.type === 'LicenseAssigned');
    const part = new Map(truth.map((t) => [t, true]));
    const untrue = assigned.filter((e) => !part.has(`${e.data.userId}|${e.data.skuPartNumber}`));
    expect(untrue).toEqual([]);
    expect(assignmentsRecordedTwice(assigned)).toEqual([]);
    return assigned.length;
  }

  it('is failed as interrupted, has recorded only true facts, and a new run records the tenant exactly once', async () => {
    const truth = tenantSubscriptions(sandbox);
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
    const afterFirstCut = await expectOnlyTrueAssignments(second, before, truth);
    expect(afterFirstCut).toBeLessThan(truth.length);

    // Now cut while pages are being recorded: kill as soon as the write-ahead log grows.
    sandbox.resetRequestCounts();
    const growth = walGrowth(sqlitePath);
    const cutWhileWriting = await startRun(second, profileId, 'download-subscriptions');
    await waitFor('the write-ahead log to grow by 256 KiB', async () => growth() > 262_144, 60_000, 1);
    await second.kill9();

    const third = await service();
    const run = (await third.as('auditor').get(`/api/v1/job-runs/${cutWhileWriting}`)).body;
    expect({ status: run.status, cause: run.error?.cause }).toEqual({ status: 'failed', cause: 'interrupted' });
    await expectOnlyTrueAssignments(third, before, truth);

    const rerun = await finishedRun(third, await startRun(third, profileId, 'download-subscriptions'));
    expect(rerun).toMatchObject({ status: 'succeeded' });
    const subscriptions = await allItems(third, `/api/v1/profiles/${profileId}/subscriptions`);
    expect(subscriptions.map((r) => `${r.userId}|${r.skuPartNumber}`).sort()).toEqual(truth);
    const log = await events(third, { types: ['LicenseAssigned', 'LicenseRemoved'] });
    expect(log.filter((e) => e.type === 'LicenseAssigned')).toHaveLength(truth.length);
    expect(assignmentsRecordedTwice(log)).toEqual([]);
  }, 180_000);
});
