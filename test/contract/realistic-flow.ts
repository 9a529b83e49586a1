import { ReclamationWorkflow } from '../../src/reclamation/reclamation-workflow';
import type { DirectoryUser } from '../../src/sandbox';
import { simulateOffPeriod } from '../../src/sandbox/audit-settings';
import { SANDBOX_SKUS } from '../../src/sandbox/sku-catalog';
import { runJob } from '../support/published-profile';
import type { SandboxApp } from '../support/sandbox-app';
import type { startWebhookReceiver } from '../support/webhook-receiver';
import { followOnce } from '../support/redirect';

/**
 * Everything an administrator, the scheduler and the tenant do, so that the log holds
 * every kind of event: the e2e flow (test/e2e/ledger.e2e.spec.ts) plus what it leaves out
 * (a failed validation, a delegated sign-in, a return to draft, a failed run, group and
 * directory changes, manual reclamations and the notify / keep / reclaim workflow).
 */
export interface FlowWorld {
  readonly s: SandboxApp;
  readonly hook: Awaited<ReturnType<typeof startWebhookReceiver>>;
  readonly hookSecret: string;
  /** Moves the service's clock forward (the workflow's grace periods and retries). */
  advance(ms: number): void;
}

type Res = { status: number; body: any };
async function ok(res: Promise<Res> | Res, status: number): Promise<any> {
  const r = await res;
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body;
}

const SALES = 'DYN365_ENTERPRISE_SALES';

export async function driveRealisticFlow(w: FlowWorld): Promise<void> {
  const id = await profileFailingThenPublished(w.s);
  await ok(
    w.s.t
      .as('admin')
      .patch(`/api/v1/profiles/${id}`)
      .send({ notifications: { webhookUrl: w.hook.url, webhookSecret: w.hookSecret } }),
    200,
  );
  await bothJobs(w.s, id);
  changeTheTenant(w.s);
  await bothJobs(w.s, id);
  await failedRun(w.s, id);
  await realTenantCases(w.s, id);
  await rulesAndPrices(w.s, id);
  await reclamationWorkflow(w, id);
  await manualReclamations(w.s, id);
  await delegatedProfileBackToDraft(w.s);
}

/** Wrong secret: validation fails; fixed, validated, published. */
async function profileFailingThenPublished(s: SandboxApp): Promise<string> {
  const admin = () => s.t.as('admin');
  const { id } = await ok(
    admin()
      .post('/api/v1/profiles')
      .send(s.sandbox.profileBody({ subscriptionConnection: { clientSecret: 'not-the-secret' } })),
    201,
  );
  if ((await ok(admin().post(`/api/v1/profiles/${id}/validate`), 200)).valid)
    throw new Error('a wrong secret validated');
  await ok(
    admin()
      .patch(`/api/v1/profiles/${id}`)
      .send({ subscriptionConnection: { clientSecret: s.sandbox.clientSecret } }),
    200,
  );
  await publish(s, id);
  return id;
}

async function publish(s: SandboxApp, id: string): Promise<void> {
  if (!(await ok(s.t.as('admin').post(`/api/v1/profiles/${id}/validate`), 200)).valid)
    throw new Error('validation failed');
  await ok(s.t.as('admin').post(`/api/v1/profiles/${id}/publish`), 200);
}

async function bothJobs(s: SandboxApp, id: string): Promise<void> {
  for (const job of ['download-subscriptions', 'refresh-activity']) {
    const run = await runJob(s, id, job);
    if (run.status !== 'succeeded') throw new Error(`${job} ${run.status}: ${JSON.stringify(run.error)}`);
  }
}

/** Removed, deleted, disabled, assigned through a group as well, newly assigned, more units, new activity. */
function changeTheTenant(s: SandboxApp): void {
  const tenant = s.sandbox.tenant;
  const tracked = new Set(SANDBOX_SKUS.filter((k) => k.family !== 'office').map((k) => k.skuId));
  const directSku = (u: DirectoryUser) =>
    u.licenses.find((l) => l.assignedByGroup === null && tracked.has(l.skuId))?.skuId;
  // Users without Sales, so the reclamation candidates later are left alone.
  const salesId = SANDBOX_SKUS.find((k) => k.skuPartNumber === SALES)!.skuId;
  const [removed, deleted, toggled, grouped, gaining] = tenant.directory.users
    .filter((u) => directSku(u) !== undefined && !u.licenses.some((l) => l.skuId === salesId))
    .slice(1, 6);
  tenant.removeLicense(removed.id, directSku(removed)!);
  tenant.deleteUser(deleted.id);
  tenant.updateUser(toggled.id, { accountEnabled: !toggled.accountEnabled });
  tenant.addGroupMember(
    tenant.addGroup({ displayName: 'Contract test group', licenses: [directSku(grouped)!] }).id,
    grouped.id,
  );
  tenant.assignLicense(gaining.id, 'DYN365_TEAM_MEMBERS');
  tenant.setPrepaidUnits(SALES, { enabled: 1000 });
  tenant.addAuditRows([{ entraObjectId: gaining.id, createdOn: new Date(), objectTypeCode: 'opportunity' }]);
}

async function failedRun(s: SandboxApp, id: string): Promise<void> {
  s.sandbox.faults.add({ family: 'graph', pathContains: '/users', kind: 'unavailable', times: 50 });
  const run = await runJob(s, id, 'download-subscriptions');
  s.sandbox.faults.clear();
  if (run.status !== 'failed') throw new Error(`expected a failed run, got ${run.status}`);
}

/**
 * What a real tenant does to the audit log: an admin switches auditing off and on, an
 * integration writes rows in a user's name, and the connection loses the right to read the
 * audit log for a while (a refresh that cannot read the environment).
 */
async function realTenantCases(s: SandboxApp, id: string): Promise<void> {
  const store = s.sandbox.tenant.dataverse;
  const day = 86_400_000;
  simulateOffPeriod(store, 'audit', new Date(Date.now() - 50 * day), new Date(Date.now() - 45 * day));
  const integration = store.systemUsers.find((u) => u.applicationid !== null)!;
  const someone = s.sandbox.tenant.directory.users.find(
    (u) => u.licenses.length > 0 && store.findByEntraObjectId(u.id),
  )!;
  s.sandbox.tenant.addAuditRows([
    {
      entraObjectId: someone.id,
      createdOn: new Date(),
      objectTypeCode: 'contact',
      callingSystemUserId: integration.systemuserid,
    },
  ]);
  await bothJobs(s, id);
  store.appCanReadAudit = false;
  const refused = await runJob(s, id, 'refresh-activity');
  store.appCanReadAudit = true;
  if (refused.status !== 'failed')
    throw new Error(`expected the unreadable audit log to fail the run, got ${refused.status}`);
}

async function rulesAndPrices(s: SandboxApp, id: string): Promise<void> {
  const admin = () => s.t.as('admin');
  const rule = await ok(
    admin()
      .post(`/api/v1/profiles/${id}/exclusion-rules`)
      .send({ type: 'identifier', value: SALES, reason: 'enterprise agreement' }),
    201,
  );
  await ok(admin().delete(`/api/v1/profiles/${id}/exclusion-rules/${rule.id}`), 204);
  await ok(
    admin()
      .put(`/api/v1/profiles/${id}/prices/${SALES}`)
      .send({ listPriceMonthly: 95, currency: 'USD', source: 'EA 2026' }),
    200,
  );
  await ok(admin().delete(`/api/v1/profiles/${id}/prices/${SALES}`), 204);
  await ok(
    admin().put(`/api/v1/profiles/${id}/entitlements/${SALES}`).send({ purchased: 250, source: 'EA enrollment' }),
    204,
  );
  await ok(admin().delete(`/api/v1/profiles/${id}/entitlements/${SALES}`), 204);
}

/**
 * The Sales rule starts notifying: candidates open, the first notices fail (the webhook
 * answers 500) and are retried; one user asks to keep and is approved, one is rejected
 * and reclaimed.
 */
async function reclamationWorkflow(w: FlowWorld, id: string): Promise<void> {
  const { s, hook } = w;
  const workflow = s.t.app.get(ReclamationWorkflow);
  const admin = () => s.t.as('admin');
  const rules = (await ok(s.t.as('auditor').get(`/api/v1/profiles/${id}/reclamation-rules`), 200)).items as {
    id: string;
    skuPartNumber: string;
  }[];
  hook.setStatus(500);
  await ok(
    admin()
      .patch(`/api/v1/profiles/${id}/reclamation-rules/${rules.find((r) => r.skuPartNumber === SALES)!.id}`)
      .send({ inactivityDays: 30, notify: true, graceDays: 2 }),
    200,
  );
  await workflow.tick();
  hook.setStatus(204);
  w.advance(5 * 60_000); // past the first retry delay
  await workflow.tick();

  const subs = (
    await ok(s.t.as('auditor').get(`/api/v1/profiles/${id}/subscriptions?skuPartNumber=${SALES}&limit=1000`), 200)
  ).items as { userId: string; assignedVia: string }[];
  const direct = new Set(subs.filter((r) => r.assignedVia === 'direct').map((r) => r.userId));
  const open = (
    (await ok(s.t.as('auditor').get(`/api/v1/profiles/${id}/reclamations?limit=1000`), 200)).items as {
      id: string;
      userId: string;
      status: string;
    }[]
  ).filter((r) => r.status === 'awaiting-user' && direct.has(r.userId));
  if (open.length < 2) throw new Error(`expected two notified candidates, got ${open.length}`);
  const [kept, rejected] = open;
  const base = `/api/v1/profiles/${id}/reclamations`;
  await ok(admin().post(`${base}/${kept.id}/keep`).send({ reason: 'quarter-end review' }), 200);
  await ok(admin().post(`${base}/${kept.id}/approve`).send({ note: 'ok' }), 200);
  await ok(admin().post(`${base}/${rejected.id}/keep`).send({ reason: 'please' }), 200);
  await ok(admin().post(`${base}/${rejected.id}/reject`).send({ note: 'no activity' }), 200);
  await workflow.tick();
}

/** Blocked (a group assigns it) and failed (Graph refuses) by hand. */
async function manualReclamations(s: SandboxApp, id: string): Promise<void> {
  const subs = (await ok(s.t.as('auditor').get(`/api/v1/profiles/${id}/subscriptions?limit=1000`), 200)).items as {
    userId: string;
    skuPartNumber: string;
    assignedVia: string;
  }[];
  const reclaim = (r: { userId: string; skuPartNumber: string }) =>
    ok(
      s.t
        .as('admin')
        .post(`/api/v1/profiles/${id}/reclamations`)
        .send({ userId: r.userId, skuPartNumber: r.skuPartNumber, dryRun: false }),
      200,
    );
  if ((await reclaim(subs.find((r) => r.assignedVia !== 'direct')!)).status !== 'blocked')
    throw new Error('expected blocked');
  s.sandbox.faults.add({ family: 'graph', pathContains: 'assignLicense', kind: 'unavailable', times: 20 });
  const failed = await reclaim(
    subs.find((r) => r.assignedVia === 'direct' && r.skuPartNumber.startsWith('DYN365') && r.skuPartNumber !== SALES)!,
  );
  s.sandbox.faults.clear();
  if (failed.status !== 'failed') throw new Error(`expected failed, got ${failed.status}`);
}

/** Delegated sign-in through the sandbox, published, then sent back to draft by a change. */
async function delegatedProfileBackToDraft(s: SandboxApp): Promise<void> {
  const admin = () => s.t.as('admin');
  const { id } = await ok(
    admin()
      .post('/api/v1/profiles')
      .send(s.sandbox.profileBody({ displayName: 'Delegated' })),
    201,
  );
  await ok(
    admin()
      .patch(`/api/v1/profiles/${id}`)
      .send({ subscriptionConnection: { permissionType: 'delegated' } }),
    200,
  );
  const authorize = await admin().get(`/api/v1/profiles/${id}/connections/subscription/authorize`);
  const callback = await followOnce(authorize.headers.location, s.sandbox.caPem);
  await ok(s.t.anonymous().get(callback.slice(s.t.url.length)), 200);
  await publish(s, id);
  await ok(admin().patch(`/api/v1/profiles/${id}`).send({ downloadActivity: false }), 200);
}
