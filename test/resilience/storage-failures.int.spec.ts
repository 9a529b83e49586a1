import { SQLITE } from '../../src/core/tokens';
import { JobRunner } from '../../src/jobs/job-runner';
import type { SqliteDatabase } from '../../src/storage/sqlite-database';
import { publishedProfile, waitForRun } from '../support/published-profile';
import { startSandboxApp, type SandboxApp } from '../support/sandbox-app';
import { waitFor } from './support/service-process';

/**
 * The database stops taking writes while the service runs. How, when the tests run as
 * root (chmod changes nothing for root, nor for a file already open; a read-only remount
 * is refused while the service holds the file open for writing): on the service's own
 * SQLite connection to its real file,
 *  - read-only: `PRAGMA query_only = ON`, after which SQLite refuses every write with
 *    SQLITE_READONLY, the code a read-only database file gives;
 *  - disk full: `PRAGMA max_page_count` pinned to the file's current size, after which
 *    SQLite refuses to grow the file with SQLITE_FULL, the code a full disk gives.
 * Commands answer 503 problems (never 500) and append nothing, reads keep working, and
 * once writes are possible again the file passes integrity_check, the log is intact,
 * the read models equal a rebuild, and new commands succeed.
 */
describe('the database file becomes read-only or fills up', () => {
  let s: SandboxApp;
  let db: SqliteDatabase;
  let profileId: string;

  beforeAll(async () => {
    s = await startSandboxApp({ sandbox: { users: 1_500, seed: 61 } });
    db = s.t.app.get<SqliteDatabase>(SQLITE);
    profileId = await publishedProfile(s);
    await completedRun('download-subscriptions');
  }, 60_000);
  afterAll(() => s?.close());

  let n = 0;
  /** One of each kind of command, each with a body that is valid now (rotating the secret returns the profile to draft, so it comes last). */
  const commands = () => {
    n += 1;
    const admin = s.t.as('admin');
    return [
      [
        'create a profile',
        () => admin.post('/api/v1/profiles').send(s.sandbox.profileBody({ displayName: `new ${n}` })),
      ],
      ['rename the profile', () => admin.patch(`/api/v1/profiles/${profileId}`).send({ displayName: `renamed ${n}` })],
      [
        'add an exclusion rule',
        () =>
          admin
            .post(`/api/v1/profiles/${profileId}/exclusion-rules`)
            .send({ type: 'user', value: `user-${n}@contoso.test` }),
      ],
      [
        'override a price',
        () =>
          admin.put(`/api/v1/profiles/${profileId}/prices/DYN365_ENTERPRISE_SALES`).send({ listPriceMonthly: 90 + n }),
      ],
      ['rebuild a read model', () => admin.post('/api/v1/read-models/profiles/rebuild')],
      ['validate', () => admin.post(`/api/v1/profiles/${profileId}/validate`)],
      ['run a job', () => admin.post(`/api/v1/profiles/${profileId}/jobs/refresh-activity/runs`)],
      [
        'rotate the client secret',
        () =>
          admin
            .patch(`/api/v1/profiles/${profileId}`)
            .send({ subscriptionConnection: s.sandbox.profileBody().subscriptionConnection }),
      ],
    ] as const;
  };

  async function completedRun(job: string) {
    const started = await s.t.as('admin').post(`/api/v1/profiles/${profileId}/jobs/${job}/runs`);
    expect(started.status).toBe(202);
    expect(await waitForRun(s, started.body.runId)).toMatchObject({ status: 'succeeded' });
  }

  async function log() {
    return s.t.store.readAll({ after: null, maxCount: 1_000_000 });
  }

  /**
   * The ledger answers "now" for the end of the current minute, so two answers for "now" differ
   * whenever a minute turns between them. Ask for one moment instead: a day ahead, after every
   * event this file records.
   */
  const asOf = new Date(Date.now() + 86_400_000).toISOString();

  /** What the read models answer for the profile. */
  async function views() {
    const get = async (path: string) => (await s.t.as('auditor').get(path)).body;
    return {
      profiles: await get('/api/v1/profiles?limit=1000'),
      subscriptions: await get(`/api/v1/profiles/${profileId}/subscriptions?limit=1000&asOf=${asOf}`),
      rules: await get(`/api/v1/profiles/${profileId}/exclusion-rules?limit=1000`),
      models: await get(`/api/v1/profiles/${profileId}/software-models?limit=1000`),
      runs: await get(`/api/v1/profiles/${profileId}/job-runs?limit=1000`),
    };
  }

  /** Reads answer as before the failure. */
  async function expectReadsWork(expected: Awaited<ReturnType<typeof views>>) {
    expect(await views()).toEqual(expected);
    expect((await s.t.as('consumer').get('/api/v1/events?limit=10')).status).toBe(200);
    expect((await s.t.anonymous().get('/health/live')).status).toBe(200);
  }

  /** After recovery: the file is sound, the log is the log before plus whole commands, the read models equal a rebuild, and every command succeeds. */
  async function expectRecovered(before: Awaited<ReturnType<typeof log>>) {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const after = await log();
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.map((e) => Number(e.position))).toEqual(after.map((_, i) => i + 1));
    const served = await views();
    for (const { name } of (await s.t.as('auditor').get('/api/v1/read-models')).body.items) {
      expect((await s.t.as('admin').post(`/api/v1/read-models/${name}/rebuild`)).status).toBe(200);
    }
    expect(await views()).toEqual(served);
    for (const [name, send] of commands()) {
      const res = await send();
      expect([name, res.status < 300]).toEqual([name, true]);
      if (name === 'run a job') expect(await waitForRun(s, res.body.runId)).toMatchObject({ status: 'succeeded' });
    }
    // The rotation returned the profile to draft: publish it again for the next test.
    expect((await s.t.as('admin').post(`/api/v1/profiles/${profileId}/validate`)).body).toMatchObject({ valid: true });
    expect((await s.t.as('admin').post(`/api/v1/profiles/${profileId}/publish`)).status).toBe(200);
  }

  it('read-only: every command answers 503 and appends nothing; reads keep working; afterwards nothing is corrupt', async () => {
    const before = await log();
    const served = await views();
    db.pragma('query_only = ON');
    try {
      for (const [name, send] of commands()) {
        const res = await send();
        expect([name, res.status, res.headers['content-type'], res.body.type]).toEqual([
          name,
          503,
          'application/problem+json; charset=utf-8',
          'urn:license-ledger:problem:store-unavailable',
        ]);
      }
      expect(await log()).toEqual(before);
      await expectReadsWork(served);
    } finally {
      db.pragma('query_only = OFF');
    }
    await expectRecovered(before);
  });

  it('disk full: commands answer 503 (or land whole while there is room); reads keep working; afterwards nothing is corrupt', async () => {
    const before = await log();
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true })}`);
    try {
      // Fill what room is left in the file's pages with exclusion rules until one is refused.
      let refused = false;
      for (let i = 0; i < 5_000 && !refused; i++) {
        const res = await s.t
          .as('admin')
          .post(`/api/v1/profiles/${profileId}/exclusion-rules`)
          .send({ type: 'user', value: `filler-${i}@contoso.test`, reason: 'x'.repeat(900) });
        expect([201, 503]).toContain(res.status);
        refused = res.status === 503;
      }
      expect(refused).toBe(true);
      const served = await views();
      const full = await log();
      for (const [name, send] of commands()) {
        const head = await s.t.store.headPosition();
        const res = await send();
        if (res.status === 503) {
          expect([name, res.headers['content-type'], await s.t.store.headPosition()]).toEqual([
            name,
            'application/problem+json; charset=utf-8',
            head,
          ]);
        } else {
          // A small write can still fit in the last page's slack; then it lands whole.
          expect([name, res.status < 300]).toEqual([name, true]);
        }
      }
      expect((await log()).slice(0, full.length)).toEqual(full);
      if ((await log()).length === full.length) await expectReadsWork(served);
    } finally {
      db.pragma('max_page_count = 1073741823');
    }
    await expectRecovered(before);
  });

  it('the store turns read-only in the middle of a run: the run fails, and once writable the job runs again', async () => {
    s.sandbox.faults.add({ family: 'graph', pathContains: '/users?', kind: 'slow', delayMs: 300, times: 10 });
    const started = await s.t.as('admin').post(`/api/v1/profiles/${profileId}/jobs/download-subscriptions/runs`);
    expect(started.status).toBe(202);
    const runner = s.t.app.get(JobRunner);
    try {
      await waitFor(
        'the first users page to be requested',
        async () => (s.sandbox.requestCounts()['GET /graph/v1.0/users'] ?? 0) >= 1,
        10_000,
        10,
      );
      db.pragma('query_only = ON');
      await waitFor(
        'the run to give up on the read-only store',
        async () => !runner.isRunning(started.body.runId),
        30_000,
      );
    } finally {
      db.pragma('query_only = OFF');
      s.sandbox.faults.clear();
    }
    const again = await s.t.as('admin').post(`/api/v1/profiles/${profileId}/jobs/download-subscriptions/runs`);
    expect(again.status).toBe(202);
    expect(await waitForRun(s, again.body.runId)).toMatchObject({ status: 'succeeded' });
    expect((await s.t.as('auditor').get(`/api/v1/job-runs/${started.body.runId}`)).body).toMatchObject({
      status: 'failed',
      error: { cause: 'store-unavailable' },
    });
  });
});
