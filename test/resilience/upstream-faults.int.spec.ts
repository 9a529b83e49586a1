import type { Sandbox } from '../../src/sandbox';
import type { FaultRuleInput } from '../../src/sandbox';
import { publishedProfile, runJob } from '../support/published-profile';
import { startSandboxApp, type SandboxApp } from '../support/sandbox-app';
import { tenantSubscriptions } from './support/ledger-checks';
import { waitFor } from './support/service-process';

const USERS_PAGE = 'GET /graph/v1.0/users';
const AUDITS_PAGE = 'GET /dynamics/api/data/v9.2/audits';

/**
 * Microsoft misbehaving in the middle of a run (the sandbox's fault injection): 429
 * storms with Retry-After, 503s, requests that never answer, a page cut in half, a
 * connection reset, the token revoked mid-run. Each run either succeeds after retries
 * with the same ledger a clean run gives, or fails naming the cause, having recorded only
 * true changes from the pages it read (never a removal of a user it did not read) and
 * otherwise its own JobRun* events. In-process, with the production retry policy on short
 * waits (FAST_RETRIES, a 1 s request timeout) so a run that must give up does so quickly.
 */
describe('upstream faults during a run', () => {
  let s: SandboxApp;
  let sandbox: Sandbox;
  let profileId: string;

  beforeAll(async () => {
    // 2,500 users: three users pages of 999; the audit log spans several pages of 5,000.
    s = await startSandboxApp({ sandbox: { users: 2_500, seed: 51 }, app: { connectors: { timeoutMs: 1_000 } } });
    sandbox = s.sandbox;
    profileId = await publishedProfile(s);
    expect((await runJob(s, profileId, 'download-subscriptions')).status).toBe('succeeded');
    expect((await runJob(s, profileId, 'refresh-activity')).status).toBe('succeeded');
  }, 60_000);
  afterEach(() => sandbox.faults.clear());
  afterAll(() => s?.close());

  /** Runs the job under the given faults; returns the run, the types it appended and how often the faulted route was called. */
  async function runUnder(
    job: 'download-subscriptions' | 'refresh-activity',
    faults: FaultRuleInput[],
    midRun?: () => Promise<void>,
  ) {
    const head = await s.t.store.headPosition();
    sandbox.resetRequestCounts();
    faults.forEach((f) => sandbox.faults.add(f));
    const started = await s.t.as('admin').post(`/api/v1/profiles/${profileId}/jobs/${job}/runs`);
    expect(started.status).toBe(202);
    const during = midRun?.();
    const run = await waitFor(
      `the ${job} run to finish`,
      async () => {
        const res = await s.t.as('auditor').get(`/api/v1/job-runs/${started.body.runId}`);
        return ['succeeded', 'failed'].includes(res.body.status) ? (res.body as Record<string, any>) : null;
      },
      60_000,
    );
    await during;
    const appended = await s.t.store.readAll({ after: head, maxCount: 100_000 });
    return { run, types: [...new Set(appended.map((e) => e.type))], counts: sandbox.requestCounts() };
  }

  const onlyJobRunEvents = (types: string[]) => types.filter((t) => !t.startsWith('JobRun'));

  /**
   * What a failed download may leave: the pages read before the failure are recorded, so
   * licenses removed from users on those pages (by this test or an earlier one whose run
   * failed first) may be recorded gone, which is true; nothing the tenant still holds is lost,
   * and nothing is added.
   */
  function expectOnlyTrueChanges(types: string[], before: string[], after: string[]) {
    expect(onlyJobRunEvents(types).filter((t) => t !== 'LicenseRemoved')).toEqual([]);
    expect(after.filter((entry) => !before.includes(entry))).toEqual([]);
    const truth = new Set(tenantSubscriptions(sandbox));
    expect(before.filter((entry) => !after.includes(entry) && truth.has(entry))).toEqual([]);
  }

  async function ledger(): Promise<string[]> {
    const items: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await s.t
        .as('auditor')
        .get(`/api/v1/profiles/${profileId}/subscriptions?limit=1000${cursor ? `&cursor=${cursor}` : ''}`);
      items.push(
        ...res.body.items.map((r: { userId: string; skuPartNumber: string }) => `${r.userId}|${r.skuPartNumber}`),
      );
      cursor = res.body.nextCursor;
    } while (cursor);
    return items.sort();
  }

  /** A tenant change a successful download must record and a failed one must not. */
  function changeTenant(): string {
    const user = sandbox.tenant.directory.users.find((u) => u.licenses.some((l) => l.assignedByGroup === null))!;
    const license = user.licenses.find((l) => l.assignedByGroup === null)!;
    sandbox.tenant.removeLicense(user.id, license.skuId);
    return user.id;
  }

  describe('download-subscriptions', () => {
    it.each<[string, string, FaultRuleInput[]]>([
      [
        'a 429 storm on the users pages (Retry-After: 0)',
        'throttled',
        [{ family: 'graph', pathContains: '/users?', kind: 'throttle', retryAfterSeconds: 0, times: 1_000 }],
      ],
      [
        '503 on every users page',
        'unavailable',
        [{ family: 'graph', pathContains: '/users?', kind: 'unavailable', times: 1_000 }],
      ],
      [
        'users pages that never answer',
        'network',
        [{ family: 'graph', pathContains: '/users?', kind: 'timeout', after: 1, times: 1_000 }],
      ],
      [
        'every second users page cut in half',
        'invalid-response',
        [{ family: 'graph', pathContains: '/users?', kind: 'malformed', after: 1, times: 1_000 }],
      ],
      [
        'connections reset',
        'network',
        [{ family: 'graph', pathContains: '/users?', kind: 'reset', after: 1, times: 1_000 }],
      ],
    ])('%s: fails with cause %s, having recorded only true changes', async (_, cause, faults) => {
      const before = await ledger();
      changeTenant();
      const { run, types } = await runUnder('download-subscriptions', faults);
      expect(run).toMatchObject({ status: 'failed', error: { cause } });
      expectOnlyTrueChanges(types, before, await ledger());
    });

    it.each<[string, FaultRuleInput[]]>([
      [
        'two 429s with Retry-After: 1',
        [{ family: 'graph', pathContains: '/users?', kind: 'throttle', retryAfterSeconds: 1, after: 1, times: 2 }],
      ],
      ['two 503s', [{ family: 'graph', pathContains: '/users?', kind: 'unavailable', after: 1, times: 2 }]],
      [
        'a page that never answers',
        [{ family: 'graph', pathContains: '/users?', kind: 'timeout', after: 1, times: 1 }],
      ],
      ['a page cut in half', [{ family: 'graph', pathContains: '/users?', kind: 'malformed', after: 2, times: 1 }]],
      ['a reset connection', [{ family: 'graph', pathContains: '/users?', kind: 'reset', after: 1, times: 1 }]],
      ['an expired token', [{ family: 'graph', pathContains: '/users?', kind: 'expire-token', after: 1, times: 1 }]],
      ['the token endpoint throttling', [{ family: 'token', kind: 'throttle', retryAfterSeconds: 0, times: 2 }]],
    ])('%s: succeeds after retries and records the tenant as it is', async (_, faults) => {
      changeTenant();
      const { run, counts } = await runUnder('download-subscriptions', faults);
      expect(run).toMatchObject({ status: 'succeeded' });
      expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBeGreaterThan(
        Math.ceil(sandbox.tenant.directory.users.length / 999),
      );
      expect(await ledger()).toEqual(tenantSubscriptions(sandbox));
    });

    it('the token revoked mid-run: one fresh token and the run succeeds', async () => {
      changeTenant();
      // The second users page is held back; the tokens are revoked while it waits.
      const { run, counts } = await runUnder(
        'download-subscriptions',
        [{ family: 'graph', pathContains: '/users?', kind: 'slow', delayMs: 300, after: 1, times: 1 }],
        async () => {
          await waitFor(
            'the second users page to be requested',
            async () => (sandbox.requestCounts()[USERS_PAGE] ?? 0) >= 2,
            20_000,
            10,
          );
          sandbox.tokens.revokeAll();
        },
      );
      expect(run).toMatchObject({ status: 'succeeded' });
      expect(counts['POST /{tenant}/oauth2/v2.0/token']).toBeGreaterThanOrEqual(1);
      expect(await ledger()).toEqual(tenantSubscriptions(sandbox));
    });

    it('the token revoked mid-run and the client secret rotated: fails with cause authentication, having recorded only true changes', async () => {
      const before = await ledger();
      changeTenant();
      const original = sandbox.clientSecret;
      try {
        const { run, types } = await runUnder(
          'download-subscriptions',
          [{ family: 'graph', pathContains: '/users?', kind: 'slow', delayMs: 300, after: 1, times: 1 }],
          async () => {
            await waitFor(
              'the second users page to be requested',
              async () => (sandbox.requestCounts()[USERS_PAGE] ?? 0) >= 2,
              20_000,
              10,
            );
            sandbox.tenant.rotateClientSecret();
            sandbox.tokens.revokeAll();
          },
        );
        expect(run).toMatchObject({ status: 'failed', error: { cause: 'authentication' } });
        expectOnlyTrueChanges(types, before, await ledger());
      } finally {
        sandbox.tenant.rotateClientSecret(original);
      }
    });
  });

  describe('refresh-activity', () => {
    /** New audit rows for 20 more users, so a successful pull has something to record. */
    let batch = 0;
    const newActivity = () => {
      const users = sandbox.tenant.directory.users
        .filter((u) => u.licenses.length > 0 && sandbox.tenant.dataverse.findByEntraObjectId(u.id))
        .slice(batch * 20, ++batch * 20);
      sandbox.tenant.addAuditRows(
        users.map((u) => ({ entraObjectId: u.id, createdOn: new Date(), objectTypeCode: 'opportunity' })),
      );
    };

    it.each<[string, string, FaultRuleInput[]]>([
      [
        'a 429 storm on the audit pages (Retry-After: 0)',
        'throttled',
        [{ family: 'dataverse', pathContains: '/audits', kind: 'throttle', retryAfterSeconds: 0, times: 1_000 }],
      ],
      [
        '503 on every audit page',
        'unavailable',
        [{ family: 'dataverse', pathContains: '/audits', kind: 'unavailable', times: 1_000 }],
      ],
      [
        'audit pages cut in half',
        'invalid-response',
        [{ family: 'dataverse', pathContains: '/audits', kind: 'malformed', times: 1_000 }],
      ],
    ])(
      '%s: fails with cause %s, recording no activity, only that the environment could not be read',
      async (_, cause, faults) => {
        newActivity();
        const { run, types } = await runUnder('refresh-activity', faults);
        expect(run).toMatchObject({ status: 'failed', error: { cause } });
        // The environment's own record of the failed read and the coverage that follows (a gap), nothing else.
        expect(onlyJobRunEvents(types).sort()).toEqual(['ActivityCoverageRecorded', 'ActivityPullFailed']);
      },
    );

    it('a throttled, a malformed and a revoked-token audit page: succeeds and records the new activity once', async () => {
      newActivity();
      // One incremental page, answered in turn: 429 (Retry-After: 1), half a body, held back while the tokens are revoked, then whole.
      const { run, types } = await runUnder(
        'refresh-activity',
        [
          { family: 'dataverse', pathContains: '/audits', kind: 'throttle', retryAfterSeconds: 1, times: 1 },
          { family: 'dataverse', pathContains: '/audits', kind: 'malformed', after: 1, times: 1 },
          { family: 'dataverse', pathContains: '/audits', kind: 'slow', delayMs: 300, after: 2, times: 1 },
        ],
        async () => {
          await waitFor(
            'the third audits request',
            async () => (sandbox.requestCounts()[AUDITS_PAGE] ?? 0) >= 3,
            20_000,
            10,
          );
          sandbox.tokens.revokeAll();
        },
      );
      // Every batch added so far: the failed pulls before this one recorded none of theirs.
      expect(run).toMatchObject({ status: 'succeeded', summary: { activityRecorded: batch * 20 } });
      expect(types).toContain('UserActivityRecorded');
      const again = await runUnder('refresh-activity', []);
      expect(again.run).toMatchObject({ status: 'succeeded', summary: { activityRecorded: 0 } });
    });
  });
});
