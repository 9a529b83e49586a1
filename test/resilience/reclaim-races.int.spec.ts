import { publishedProfile, runJob } from '../support/published-profile';
import { startSandboxApp, until } from '../support/sandbox-app';

/** The sandbox counts requests per route when they arrive (before a fault delays the answer). */
const ASSIGN = 'POST /graph/v1.0/users/{id}/assignLicense';

interface Subscription {
  readonly userId: string;
  readonly skuId: string;
  readonly skuPartNumber: string;
  readonly assignedVia: string;
}

/** A sandbox app with a published, downloaded profile and its direct Dynamics subscriptions. */
async function reclaimable(env: Record<string, string> = {}, seed = 71) {
  const s = await startSandboxApp({ sandbox: { users: 120, seed }, app: { env } });
  const profileId = await publishedProfile(s);
  await runJob(s, profileId, 'download-subscriptions');
  const all: Subscription[] = (await s.t.as('auditor').get(`/api/v1/profiles/${profileId}/subscriptions?limit=1000`))
    .body.items;
  const direct = all.filter((r) => r.assignedVia === 'direct' && r.skuPartNumber.startsWith('DYN365'));
  const reclaim = (body: Record<string, unknown>) =>
    s.t.as('admin').post(`/api/v1/profiles/${profileId}/reclamations`).send(body);
  const assignCalls = () => s.sandbox.requestCounts()[ASSIGN] ?? 0;
  const held = (sub: Subscription) =>
    s.sandbox.tenant.directory.findUser(sub.userId)!.licenses.some((l) => l.skuId === sub.skuId);
  const eventsOf = async (type: string, sub: Subscription) =>
    (await s.t.as('auditor').get(`/api/v1/events?type=${type}&limit=1000`)).body.items.filter(
      (e: { data: { userId: string; skuId: string } }) => e.data.userId === sub.userId && e.data.skuId === sub.skuId,
    );
  return { s, profileId, direct, reclaim, assignCalls, held, eventsOf };
}

describe('reclamations under retries and races (one process)', () => {
  let r: Awaited<ReturnType<typeof reclaimable>>;
  beforeAll(async () => {
    r = await reclaimable();
  }, 60_000);
  afterAll(() => r?.s.close());

  it('eight concurrent manual reclaims of one subscription: one Graph call, one outcome, every answer that outcome', async () => {
    const target = r.direct[0]!;
    // Graph answers slowly, so every request arrives while the first call is out.
    r.s.sandbox.faults.add({
      family: 'graph',
      pathContains: `${target.userId}/assignLicense`,
      kind: 'slow',
      delayMs: 300,
    });
    const calls = r.assignCalls();
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        r.reclaim({ userId: target.userId, skuId: target.skuId, dryRun: false, reason: 'double click' }),
      ),
    );
    r.s.sandbox.faults.clear();

    expect(answers.map((a) => [a.status, a.body.status])).toEqual(Array(8).fill([200, 'reclaimed']));
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(r.assignCalls()).toBe(calls + 1);
    expect(r.held(target)).toBe(false);
    expect(await r.eventsOf('ReclamationRequested', target)).toHaveLength(1);
    expect(await r.eventsOf('SubscriptionReclaimed', target)).toHaveLength(1);
  });

  it('a retry with the same reclamationId while Graph is still answering waits for that answer: no false failure', async () => {
    const target = r.direct[1]!;
    const reclamationId = '7e57c1a1-0000-4000-8000-00000000a001';
    r.s.sandbox.faults.add({
      family: 'graph',
      pathContains: `${target.userId}/assignLicense`,
      kind: 'slow',
      delayMs: 1_500,
    });
    const calls = r.assignCalls();
    const body = { userId: target.userId, skuId: target.skuId, dryRun: false, reclamationId };
    const first = r.reclaim(body).then((res) => res);
    await until(() => r.assignCalls() === calls + 1);
    const retry = await r.reclaim(body);
    r.s.sandbox.faults.clear();

    expect([retry.status, retry.body]).toEqual([
      200,
      { id: reclamationId, status: 'reclaimed', detail: expect.any(String) },
    ]);
    expect((await first).body).toEqual(retry.body);
    expect(r.assignCalls()).toBe(calls + 1);
    expect(await r.eventsOf('ReclamationFailed', target)).toEqual([]);
    expect(await r.eventsOf('SubscriptionReclaimed', target)).toHaveLength(1);
  });

  it('a dry run while a reclaim of the subscription is out says so, and records nothing', async () => {
    const target = r.direct[2]!;
    r.s.sandbox.faults.add({
      family: 'graph',
      pathContains: `${target.userId}/assignLicense`,
      kind: 'slow',
      delayMs: 1_000,
    });
    const calls = r.assignCalls();
    const real = r.reclaim({ userId: target.userId, skuId: target.skuId, dryRun: false }).then((res) => res);
    await until(() => r.assignCalls() === calls + 1);
    const dry = await r.reclaim({ userId: target.userId, skuId: target.skuId, dryRun: true });
    expect(dry.body).toMatchObject({
      status: 'dry-run',
      detail: expect.stringContaining('waiting for Microsoft Graph'),
    });
    expect((await real).body.status).toBe('reclaimed');
    r.s.sandbox.faults.clear();
  });
});

describe('a retry that outwaits SAM_RECLAIM_WAIT_SECONDS', () => {
  let r: Awaited<ReturnType<typeof reclaimable>>;
  beforeAll(async () => {
    r = await reclaimable({ SAM_RECLAIM_WAIT_SECONDS: '1' }, 72);
  }, 60_000);
  afterAll(() => r?.s.close());

  it('is told 409 reclamation-in-progress with Retry-After, and gets the outcome once Graph has answered', async () => {
    const target = r.direct[0]!;
    const reclamationId = '7e57c1a1-0000-4000-8000-00000000b001';
    // Graph holds its answer 4 s, well past the 1 s a retry may wait.
    r.s.sandbox.faults.add({
      family: 'graph',
      pathContains: `${target.userId}/assignLicense`,
      kind: 'slow',
      delayMs: 4_000,
    });
    const calls = r.assignCalls();
    const body = { userId: target.userId, skuId: target.skuId, dryRun: false, reclamationId };
    const first = r.reclaim(body).then((res) => res);
    await until(() => r.assignCalls() === calls + 1);

    const retry = await r.reclaim(body);
    expect([retry.status, retry.headers['content-type'], retry.headers['retry-after'], retry.body.type]).toEqual([
      409,
      expect.stringMatching(/^application\/problem\+json/),
      '5',
      'urn:license-ledger:problem:reclamation-in-progress',
    ]);
    expect((await first).body).toMatchObject({ id: reclamationId, status: 'reclaimed' });
    const again = await r.reclaim(body);
    expect([again.status, again.body.status]).toEqual([200, 'reclaimed']);
    expect(await r.eventsOf('ReclamationFailed', target)).toEqual([]);
    expect(await r.eventsOf('SubscriptionReclaimed', target)).toHaveLength(1);
    r.s.sandbox.faults.clear();
  }, 30_000);
});
