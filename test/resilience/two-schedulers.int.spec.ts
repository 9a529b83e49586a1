import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { events, publishProfile, type Envelope } from './support/ledger-checks';
import { killAllServices, startService, waitFor, type ServiceProcess } from './support/service-process';

const JOBS = ['download-subscriptions', 'refresh-activity'];

/**
 * Two service processes on one SQLite file, both scheduling, with the daily time already
 * passed: each of a profile's jobs is claimed, started and finished exactly once for the
 * day, whichever instance wins, and restarting both (each start ticks at once) runs
 * nothing again, while a profile published meanwhile gets its one run per job.
 */
describe('two scheduling instances on one store', () => {
  let sandbox: Sandbox;
  let dir: string;
  let caFile: string;
  let sqlitePath: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'll-two-sched-'));
    caFile = join(dir, 'sandbox-ca.pem');
    sqlitePath = join(dir, 'sam.sqlite');
    sandbox = await startSandbox({ users: 200, seed: 41, caFile });
  });
  afterEach(() => killAllServices());
  afterAll(async () => {
    await killAllServices();
    await sandbox?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  // 00:00 UTC has always passed today: both instances want today's slot as soon as they start.
  const scheduling = (instanceId: string) =>
    startService({ sqlitePath, caFile, instanceId, env: { SAM_SCHEDULER: 'on', SAM_SCHEDULE_TIME: '00:00' } });
  const setup = () => startService({ sqlitePath, caFile, instanceId: 'setup' });

  it('each job runs exactly once for the day', async () => {
    await awayFromMidnight();
    const today = new Date().toISOString().slice(0, 10);
    const admin = await setup();
    const first = await publishProfile(admin, sandbox);
    await admin.stop();

    const [a, b] = await Promise.all([scheduling('instance-a'), scheduling('instance-b')]);
    await bothReleased(a, first);
    // A second profile, published between ticks (they are a minute apart); both instances
    // restart and tick at once: the second profile's jobs run once, the first's not again.
    const second = await publishProfile(a, sandbox, { displayName: 'second' });
    await Promise.all([a.stop(), b.stop()]);
    const [a2, b2] = await Promise.all([scheduling('instance-a'), scheduling('instance-b')]);
    await bothReleased(a2, second);

    const log = await events(a2, {
      types: ['JobRunClaimed', 'JobRunStarted', 'JobRunSucceeded', 'JobRunFailed', 'JobRunReleased'],
    });
    for (const profileId of [first, second]) {
      const mine = log.filter((e) => e.data.profileId === profileId);
      const claimed = mine.filter((e) => e.type === 'JobRunClaimed');
      expect(claimed.map((e) => e.data.job).sort()).toEqual(JOBS);
      expect(claimed.map((e) => [e.data.trigger, e.data.slot])).toEqual([
        ['schedule', today],
        ['schedule', today],
      ]);
      expect(claimed.every((e) => ['instance-a', 'instance-b'].includes(e.data.instanceId))).toBe(true);
      expect(
        mine
          .filter((e) => e.type === 'JobRunStarted')
          .map((e) => e.data.job)
          .sort(),
      ).toEqual(JOBS);
      expect(mine.filter((e) => e.type === 'JobRunSucceeded')).toHaveLength(2);
      expect(mine.filter((e) => e.type === 'JobRunFailed')).toEqual([]);
    }
    // Neither instance died on a lost race.
    expect([a2.exit(), b2.exit()]).toEqual([null, null]);
  }, 120_000);
});

/** Both of the profile's jobs have run and released their claims (seen through one instance). */
async function bothReleased(service: ServiceProcess, profileId: string): Promise<Envelope[]> {
  return waitFor(
    `both scheduled jobs of ${profileId} to run and release their claims`,
    async () => {
      const released = (await events(service, { types: ['JobRunReleased'] })).filter(
        (e) => e.data.profileId === profileId,
      );
      return released.length >= 2 ? released : null;
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
