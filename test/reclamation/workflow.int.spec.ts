import { ReclamationWorkflow } from '../../src/reclamation/reclamation-workflow';
import { publishedProfile, runJob } from '../support/published-profile';
import { startSandboxApp, until, type SandboxApp } from '../support/sandbox-app';
import { startWebhookReceiver } from '../support/webhook-receiver';

const SECRET = 'whsec-0123456789abcdef-test';
const DAY = 86_400_000;

describe('the reclamation workflow', () => {
  let s: SandboxApp;
  let hook: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let id: string;
  let offset = 0;
  const workflow = () => s.t.app.get(ReclamationWorkflow);
  const list = async () =>
    (await s.t.as('auditor').get(`/api/v1/profiles/${id}/reclamations?limit=1000`)).body.items as Record<string, any>[];
  const byId = async (rid: string) => (await s.t.as('auditor').get(`/api/v1/profiles/${id}/reclamations/${rid}`)).body;

  beforeAll(async () => {
    hook = await startWebhookReceiver(SECRET);
    s = await startSandboxApp({
      sandbox: { users: 200, seed: 5 },
      app: { clock: { now: () => new Date(Date.now() + offset) } },
    });
    id = await publishedProfile(s, {});
    await s.t
      .as('admin')
      .patch(`/api/v1/profiles/${id}`)
      .send({ notifications: { webhookUrl: hook.url, webhookSecret: SECRET } });
    await runJob(s, id, 'download-subscriptions');
    await runJob(s, id, 'refresh-activity');
    const rules = (await s.t.as('auditor').get(`/api/v1/profiles/${id}/reclamation-rules`)).body.items;
    const sales = rules.find((r: { skuPartNumber: string }) => r.skuPartNumber === 'DYN365_ENTERPRISE_SALES');
    await s.t
      .as('admin')
      .patch(`/api/v1/profiles/${id}/reclamation-rules/${sales.id}`)
      .send({ notify: true, graceDays: 2 });
    await workflow().tick();
  });
  afterAll(async () => {
    await s.close();
    await hook.close();
  });

  it('opens each low-usage candidate of a notifying rule and notifies the user through the signed webhook', async () => {
    const low = (await s.t.as('auditor').get(`/api/v1/profiles/${id}/low-usage?limit=1000`)).body.items.filter(
      (i: { skuPartNumber: string }) => i.skuPartNumber === 'DYN365_ENTERPRISE_SALES',
    );
    const reclamations = await list();
    expect(reclamations.length).toBe(low.length);
    expect(reclamations.length).toBeGreaterThanOrEqual(4);
    expect(reclamations.every((r) => r.status === 'awaiting-user' && r.trigger === 'low-usage')).toBe(true);
    expect(hook.notices.length).toBe(reclamations.length);
    for (const notice of hook.notices) {
      expect(notice.signatureValid).toBe(true);
      expect(notice.headers['x-licenseledger-delivery']).toBe(notice.body.reclamationId);
      expect(notice.body).toMatchObject({
        event: 'reclamation.notice',
        profileId: id,
        license: { skuPartNumber: 'DYN365_ENTERPRISE_SALES' },
        graceDays: 2,
        keepUrl: expect.stringContaining('/keep?token='),
      });
    }
    await workflow().tick();
    expect(hook.notices.length).toBe(reclamations.length);
  });

  /** Four candidates whose license is assigned directly, so a reclaim can go through. */
  const direct = async () => {
    const subs = (
      await s.t
        .as('auditor')
        .get(`/api/v1/profiles/${id}/subscriptions?skuPartNumber=DYN365_ENTERPRISE_SALES&limit=1000`)
    ).body.items;
    const directUsers = new Set(
      subs.filter((r: { assignedVia: string }) => r.assignedVia === 'direct').map((r: { userId: string }) => r.userId),
    );
    return (await list()).filter((r) => r.status === 'awaiting-user' && directUsers.has(r.userId));
  };

  it('paths: cancelled by activity, kept by approval, rejected then reclaimed, reclaimed after the grace period', async () => {
    const [active, kept, rejected, silent] = await direct();
    const notice = (rid: string) => hook.notices.find((n) => n.body.reclamationId === rid)!.body;

    // Activity in the window cancels. (Audit times have whole seconds: let one pass after opening.)
    await new Promise((r) => setTimeout(r, 1_100));
    s.sandbox.tenant.addAuditRows([
      { entraObjectId: active.userId, createdOn: new Date(Date.now() + offset), objectTypeCode: 'opportunity' },
    ]);
    await runJob(s, id, 'refresh-activity');
    await workflow().tick();
    expect(await byId(active.id)).toMatchObject({
      status: 'cancelled',
      detail: expect.stringContaining('qualifying activity'),
    });

    // The user asks to keep it with the notice's link (no API key); an admin approves.
    const keepUrl = new URL(notice(kept.id).keepUrl);
    const keep = await s.t
      .anonymous()
      .post(`${keepUrl.pathname}${keepUrl.search}`)
      .send({ reason: 'quarter-end pipeline review' });
    expect([keep.status, keep.body.status]).toEqual([200, 'awaiting-approval']);
    const forged = await s.t
      .anonymous()
      .post(`${keepUrl.pathname}?token=${'x'.repeat(43)}`)
      .send({});
    expect(forged.status).toBe(401);
    expect(
      (await s.t.as('admin').post(`/api/v1/profiles/${id}/reclamations/${kept.id}/approve`).send({ note: 'ok for Q4' }))
        .body.status,
    ).toBe('cancelled');

    // A keep request rejected by an admin: reclaimed.
    await s.t.as('admin').post(`/api/v1/profiles/${id}/reclamations/${rejected.id}/keep`).send({ reason: 'please' });
    await s.t
      .as('admin')
      .post(`/api/v1/profiles/${id}/reclamations/${rejected.id}/reject`)
      .send({ note: 'no sales activity since spring' });
    await workflow().tick();
    expect((await byId(rejected.id)).status).toBe('reclaimed');

    // No objection: reclaimed once the grace period is over.
    expect((await byId(silent.id)).status).toBe('awaiting-user');
    // Three days on, past the grace end, the environments have not been read for three days:
    // the inactivity is not proven, so nothing is reclaimed, but nothing is cancelled either,
    // since the next read covers that time. (The workflow's own timer may tick here too.)
    offset = 3 * DAY;
    await workflow().tick();
    expect((await byId(silent.id)).status).toBe('awaiting-user');
    await runJob(s, id, 'refresh-activity');
    await workflow().tick();
    await until(async () => (await byId(silent.id)).status === 'reclaimed');

    const types = async (rid: string) => (await byId(rid)).history.map((h: { type: string }) => h.type);
    expect(await types(active.id)).toEqual(['ReclamationOpened', 'ReclamationUserNotified', 'ReclamationCancelled']);
    expect(await types(kept.id)).toEqual([
      'ReclamationOpened',
      'ReclamationUserNotified',
      'ReclamationKeepRequested',
      'ReclamationKeepApproved',
      'ReclamationCancelled',
    ]);
    expect(await types(rejected.id)).toEqual([
      'ReclamationOpened',
      'ReclamationUserNotified',
      'ReclamationKeepRequested',
      'ReclamationKeepRejected',
      'ReclamationRequested',
      'SubscriptionReclaimed',
    ]);
    expect(await types(silent.id)).toEqual([
      'ReclamationOpened',
      'ReclamationUserNotified',
      'ReclamationRequested',
      'SubscriptionReclaimed',
    ]);
    for (const user of [rejected.userId, silent.userId]) {
      expect(s.sandbox.tenant.directory.findUser(user)!.licenses.some((l) => l.skuId === rejected.skuId)).toBe(false);
    }
    const keptHistory = (await byId(kept.id)).history;
    expect(keptHistory[2].actor).toEqual({ kind: 'user', id: kept.userId });
    expect(keptHistory[3].actor).toMatchObject({ kind: 'api-key', role: 'admin' });
  });

  it('refuses steps the state forbids', async () => {
    const done = (await list()).find((r) => r.status === 'reclaimed')!;
    expect((await s.t.as('admin').post(`/api/v1/profiles/${id}/reclamations/${done.id}/approve`).send({})).status).toBe(
      409,
    );
    expect((await s.t.as('admin').post(`/api/v1/profiles/${id}/reclamations/${done.id}/keep`).send({})).status).toBe(
      409,
    );
    expect(
      (
        await s.t
          .as('admin')
          .post(`/api/v1/profiles/${id}/reclamations/6a8d0a4b-8a8e-4f5b-8a55-3a6f1c2b9d10/reject`)
          .send({})
      ).status,
    ).toBe(404);
    expect(
      (await s.t.as('auditor').post(`/api/v1/profiles/${id}/reclamations/${done.id}/approve`).send({})).status,
    ).toBe(403);
  });
});
