import { publishedProfile, runJob } from '../support/published-profile';
import { startSandboxApp, type SandboxApp } from '../support/sandbox-app';

/** The sandbox counts requests per route: every assignLicense call, whoever it is for. */
const ASSIGN = 'POST /graph/v1.0/users/{id}/assignLicense';

describe('ReclaimSubscription against the sandbox', () => {
  let s: SandboxApp;
  let id: string;
  let subs: Record<string, any>[];
  beforeAll(async () => {
    s = await startSandboxApp({ sandbox: { users: 150, seed: 21 } });
    id = await publishedProfile(s);
    await runJob(s, id, 'download-subscriptions');
    subs = (await s.t.as('auditor').get(`/api/v1/profiles/${id}/subscriptions?limit=1000`)).body.items;
  });
  afterAll(() => s.close());

  const reclaim = (body: Record<string, unknown>) =>
    s.t.as('admin').post(`/api/v1/profiles/${id}/reclamations`).send(body);
  const assignCalls = () => s.sandbox.requestCounts()[ASSIGN] ?? 0;
  const direct = (skip: number) =>
    subs.filter((r) => r.assignedVia === 'direct' && r.skuPartNumber.startsWith('DYN365'))[skip];

  it('a dry run says what would happen and calls nothing', async () => {
    const target = direct(0);
    const before = await s.t.store.headPosition();
    const calls = assignCalls();
    const res = await reclaim({ userId: target.userId, skuPartNumber: target.skuPartNumber, dryRun: true });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'dry-run',
      wouldBe: 'reclaimed',
      detail: expect.stringContaining('would remove the direct assignment'),
    });
    expect(assignCalls()).toBe(calls);
    expect(await s.t.store.headPosition()).toBe(before);
  });

  it('a direct assignment is removed through Graph once, recorded, and confirmed by the next download without a second LicenseRemoved', async () => {
    const target = direct(1);
    const reclamationId = '7e57c1a1-0000-4000-8000-000000000001';
    const calls = assignCalls();
    const res = await reclaim({
      userId: target.userId,
      skuId: target.skuId,
      dryRun: false,
      reason: 'left the sales team',
      reclamationId,
    });
    expect(res.body).toEqual({ id: reclamationId, status: 'reclaimed', detail: expect.any(String) });
    expect(assignCalls()).toBe(calls + 1);
    expect(s.sandbox.tenant.directory.findUser(target.userId)!.licenses.some((l) => l.skuId === target.skuId)).toBe(
      false,
    );

    const retry = await reclaim({ userId: target.userId, skuId: target.skuId, dryRun: false, reclamationId });
    expect([retry.status, retry.body.status]).toEqual([200, 'reclaimed']);
    expect(assignCalls()).toBe(calls + 1);

    const events = (await s.t.as('auditor').get(`/api/v1/events?type=SubscriptionReclaimed`)).body.items;
    expect(events.at(-1)).toMatchObject({
      data: { userId: target.userId, skuId: target.skuId, reclamationId, reason: 'left the sales team' },
      metadata: { actor: { kind: 'api-key', role: 'admin' } },
    });
    const listed = await s.t.as('auditor').get(`/api/v1/profiles/${id}/subscriptions?userId=${target.userId}`);
    expect(listed.body.items.some((r: { skuId: string }) => r.skuId === target.skuId)).toBe(false);

    const run = await runJob(s, id, 'download-subscriptions');
    expect(run.summary.removed).toBe(0);
    const removed = (await s.t.as('auditor').get(`/api/v1/events?type=LicenseRemoved&limit=1000`)).body.items;
    expect(
      removed.some(
        (e: { data: { userId: string; skuId: string } }) =>
          e.data.userId === target.userId && e.data.skuId === target.skuId,
      ),
    ).toBe(false);
  });

  it('a license any group assigns is blocked, naming the groups by their display names', async () => {
    const viaGroup = subs.find((r) => r.assignedVia !== 'direct')!;
    const calls = assignCalls();
    const res = await reclaim({ userId: viaGroup.userId, skuPartNumber: viaGroup.skuPartNumber, dryRun: false });
    expect(res.body.status).toBe('blocked');
    const name = s.sandbox.tenant.directory.groups.get(viaGroup.groupIds[0])!.displayName;
    expect(res.body.detail).toContain(name);
    expect(assignCalls()).toBe(calls);
  });

  it('an excluded subscription is blocked', async () => {
    const target = direct(2);
    const calls = assignCalls();
    const rule = await s.t
      .as('admin')
      .post(`/api/v1/profiles/${id}/exclusion-rules`)
      .send({ type: 'user', value: target.userPrincipalName.toUpperCase(), reason: 'executive' });
    const res = await reclaim({ userId: target.userId, skuPartNumber: target.skuPartNumber, dryRun: false });
    expect(res.body).toMatchObject({ status: 'blocked', detail: expect.stringContaining('excluded') });
    expect(assignCalls()).toBe(calls);
    await s.t.as('admin').delete(`/api/v1/profiles/${id}/exclusion-rules/${rule.body.id}`);
  });

  it('a license the user does not hold is 404; bad bodies are 400', async () => {
    const target = direct(3);
    expect(
      (await reclaim({ userId: target.userId, skuPartNumber: 'DYN365_FINANCE_NOT_HELD', dryRun: false })).status,
    ).toBe(404);
    expect(
      (
        await reclaim({
          userId: '00000000-0000-4000-8000-000000000000',
          skuPartNumber: target.skuPartNumber,
          dryRun: false,
        })
      ).status,
    ).toBe(404);
    for (const body of [
      {},
      { userId: target.userId, dryRun: false },
      { userId: target.userId, skuPartNumber: target.skuPartNumber },
      { userId: target.userId, skuPartNumber: target.skuPartNumber, dryRun: 'no' },
      { userId: target.userId, skuId: 'x', dryRun: true },
    ]) {
      expect([JSON.stringify(body), (await reclaim(body)).status]).toEqual([JSON.stringify(body), 400]);
    }
  });

  it('a Graph refusal is failed with its cause, and the license stays', async () => {
    const target = direct(4);
    s.sandbox.faults.add({ family: 'graph', pathContains: 'assignLicense', kind: 'unavailable', times: 20 });
    const res = await reclaim({ userId: target.userId, skuPartNumber: target.skuPartNumber, dryRun: false });
    s.sandbox.faults.clear();
    expect(res.body).toMatchObject({ status: 'failed', detail: expect.stringContaining('unavailable') });
    expect(s.sandbox.tenant.directory.findUser(target.userId)!.licenses.some((l) => l.skuId === target.skuId)).toBe(
      true,
    );
    const history = await s.t.as('auditor').get(`/api/v1/profiles/${id}/reclamations/${res.body.id}`);
    expect(history.body.history.map((h: { type: string }) => h.type)).toEqual([
      'ReclamationRequested',
      'ReclamationFailed',
    ]);
  });

  it('lists reclamations newest first with their history', async () => {
    const list = await s.t.as('auditor').get(`/api/v1/profiles/${id}/reclamations`);
    expect(list.body.items.map((r: { status: string }) => r.status)).toEqual([
      'failed',
      'blocked',
      'blocked',
      'reclaimed',
    ]);
    expect(list.body.items[3].history.map((h: { type: string }) => h.type)).toEqual([
      'ReclamationRequested',
      'SubscriptionReclaimed',
    ]);
  });
});
