import { SANDBOX_SKUS, UNLISTED_SKU_PART_NUMBER } from '../../src/sandbox/sku-catalog';
import type { Sandbox } from '../../src/sandbox';
import { publishedProfile, runJob } from '../support/published-profile';
import { startSandboxApp, type SandboxApp } from '../support/sandbox-app';

const OFFICE = new Set(SANDBOX_SKUS.filter((s) => s.family === 'office').map((s) => s.skuId));
const PART = new Map(SANDBOX_SKUS.map((s) => [s.skuId, s.skuPartNumber]));

/** What the tenant holds, read straight from the sandbox's directory: the ground truth. */
function tenantSubscriptions(sandbox: Sandbox): Set<string> {
  const out = new Set<string>();
  for (const user of sandbox.tenant.directory.users) {
    for (const l of user.licenses) if (!OFFICE.has(l.skuId)) out.add(`${user.id}|${PART.get(l.skuId) ?? l.skuId}`);
  }
  return out;
}

async function everything(s: SandboxApp, id: string, asOf?: string) {
  const q = (path: string) =>
    s.t
      .as('auditor')
      .get(
        `/api/v1/profiles/${id}/${path}${path.includes('?') ? '&' : '?'}limit=1000${asOf ? `&asOf=${encodeURIComponent(asOf)}` : ''}`,
      );
  const all = async (path: string) => {
    const items: Record<string, any>[] = [];
    let cursor: string | null = null;
    let body: Record<string, any>;
    do {
      const res = await s.t
        .as('auditor')
        .get(
          `/api/v1/profiles/${id}/${path}?limit=1000${asOf ? `&asOf=${encodeURIComponent(asOf)}` : ''}${cursor ? `&cursor=${cursor}` : ''}`,
        );
      expect(res.status).toBe(200);
      body = res.body;
      items.push(...body.items);
      cursor = body.nextCursor;
    } while (cursor);
    return { ...body!, items };
  };
  return {
    subscriptions: await all('subscriptions'),
    lowUsage: await all('low-usage'),
    position: (await q('license-position')).body,
    consolidation: (await q('consolidation')).body,
  };
}

describe('from Microsoft to conclusions, end to end', () => {
  let s: SandboxApp;
  let id: string;
  beforeAll(async () => {
    s = await startSandboxApp({ sandbox: { users: 300, seed: 11 } });
    id = await publishedProfile(s);
  });
  afterAll(() => s.close());

  it('runs both jobs twice with tenant changes between, and every endpoint agrees with the tenant, now and as of the first run', async () => {
    expect((await runJob(s, id, 'download-subscriptions')).status).toBe('succeeded');
    expect((await runJob(s, id, 'refresh-activity')).status).toBe('succeeded');

    const models = await s.t.as('auditor').get(`/api/v1/profiles/${id}/software-models?limit=1000`);
    const sales = models.body.items.find(
      (m: { skuPartNumber: string }) => m.skuPartNumber === 'DYN365_ENTERPRISE_SALES',
    );
    expect(sales).toMatchObject({ licenseType: 'base', listPriceMonthly: 105, currency: 'USD', activityTracked: true });
    expect(models.body.items.map((m: { skuPartNumber: string }) => m.skuPartNumber)).not.toContain('ENTERPRISEPACK');

    const unrecognized = await s.t.as('auditor').get(`/api/v1/profiles/${id}/unrecognized-identifiers`);
    expect(unrecognized.body.items).toEqual([
      expect.objectContaining({
        skuPartNumber: UNLISTED_SKU_PART_NUMBER,
        assignedCount: expect.any(Number),
        firstSeenAt: expect.any(String),
      }),
    ]);
    expect(unrecognized.body.items[0].assignedCount).toBeGreaterThan(0);

    const rules = await s.t.as('auditor').get(`/api/v1/profiles/${id}/reclamation-rules`);
    const tracked = models.body.items
      .filter((m: { activityTracked: boolean }) => m.activityTracked)
      .map((m: { skuPartNumber: string }) => m.skuPartNumber)
      .sort();
    expect(rules.body.items.map((r: { skuPartNumber: string }) => r.skuPartNumber).sort()).toEqual(tracked);
    expect(
      rules.body.items.every((r: { inactivityDays: number; enabled: boolean }) => r.inactivityDays === 60 && r.enabled),
    ).toBe(true);

    const first = await everything(s, id);
    const truth = tenantSubscriptions(s.sandbox);
    expect(new Set(first.subscriptions.items.map((r) => `${r.userId}|${r.skuPartNumber}`))).toEqual(truth);
    expect(first.lowUsage.items.length).toBeGreaterThan(0);
    for (const item of first.lowUsage.items) expect(item.daysInactive).toBeGreaterThanOrEqual(item.thresholdDays);
    expect(first.consolidation.items.length).toBeGreaterThan(0);
    expect(first.consolidation.totals.monthlySavings).toBeGreaterThan(0);
    const compliance = new Set(first.position.items.map((r: { compliance: string }) => r.compliance));
    expect(compliance.has('under-licensed') || compliance.has('over-licensed')).toBe(true);
    for (const row of first.position.items) {
      const assigned = [...truth].filter((k) => k.endsWith(`|${row.skuPartNumber}`)).length;
      expect([row.skuPartNumber, row.assigned]).toEqual([row.skuPartNumber, assigned]);
    }
    const asOfFirst = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 20));

    // The tenant changes: a license removed, a user deleted, a license added, prepaid units,
    // and recent sales activity for a low-usage Sales user.
    const idleSales = first.lowUsage.items.find((i) => i.skuPartNumber === 'DYN365_ENTERPRISE_SALES');
    expect(idleSales).toBeDefined();
    const someone = first.subscriptions.items.find(
      (r) =>
        r.userId !== idleSales!.userId && r.assignedVia === 'direct' && r.skuPartNumber !== UNLISTED_SKU_PART_NUMBER,
    )!;
    const deleted = first.subscriptions.items.find((r) => ![idleSales!.userId, someone.userId].includes(r.userId))!;
    s.sandbox.tenant.removeLicense(someone.userId, someone.skuPartNumber);
    s.sandbox.tenant.deleteUser(deleted.userId);
    s.sandbox.tenant.assignLicense(idleSales!.userId, 'DYN365_TEAM_MEMBERS');
    s.sandbox.tenant.setPrepaidUnits('DYN365_ENTERPRISE_SALES', { enabled: 1000 });
    s.sandbox.tenant.addAuditRows([
      { entraObjectId: idleSales!.userId, createdOn: new Date(), objectTypeCode: 'opportunity' },
    ]);

    expect((await runJob(s, id, 'download-subscriptions')).summary).toMatchObject({
      removed: expect.any(Number),
      assigned: 1,
    });
    expect((await runJob(s, id, 'refresh-activity')).status).toBe('succeeded');

    const second = await everything(s, id);
    expect(new Set(second.subscriptions.items.map((r) => `${r.userId}|${r.skuPartNumber}`))).toEqual(
      tenantSubscriptions(s.sandbox),
    );
    expect(second.subscriptions.items.some((r) => r.userId === deleted.userId)).toBe(false);
    expect(
      second.lowUsage.items.some(
        (i) => i.userId === idleSales!.userId && i.skuPartNumber === 'DYN365_ENTERPRISE_SALES',
      ),
    ).toBe(false);
    const salesRow = second.position.items.find(
      (r: { skuPartNumber: string }) => r.skuPartNumber === 'DYN365_ENTERPRISE_SALES',
    );
    expect(salesRow).toMatchObject({ purchased: 1000, compliance: 'over-licensed' });
    const removedEvents = await s.t.as('auditor').get(`/api/v1/events?type=LicenseRemoved&limit=1000`);
    expect(removedEvents.body.items.map((e: { data: { reason: string } }) => e.data.reason)).toEqual(
      expect.arrayContaining(['unassigned', 'user-deleted']),
    );

    // As of the moment between the runs, the answers are the ones given then.
    const past = await everything(s, id, asOfFirst);
    expect(past.subscriptions.items).toEqual(first.subscriptions.items);
    expect(past.position.items).toEqual(first.position.items.map((r: Record<string, unknown>) => r));
    expect(past.lowUsage.items.map((i) => `${i.userId}|${i.skuPartNumber}`)).toEqual(
      first.lowUsage.items.map((i) => `${i.userId}|${i.skuPartNumber}`),
    );
    expect(past.position.asOf).toBe(asOfFirst);
    expect(BigInt(past.position.position)).toBeLessThan(BigInt(second.position.position));
  });

  it('exclusions take subscriptions out of cost and optimisation but not out of the assigned count', async () => {
    const before = (await s.t.as('auditor').get(`/api/v1/profiles/${id}/license-position?limit=1000`)).body.items;
    const salesBefore = before.find((r: { skuPartNumber: string }) => r.skuPartNumber === 'DYN365_ENTERPRISE_SALES');
    const rule = await s.t
      .as('admin')
      .post(`/api/v1/profiles/${id}/exclusion-rules`)
      .send({ type: 'identifier', value: 'DYN365_ENTERPRISE_SALES', reason: 'enterprise agreement' });
    expect(rule.status).toBe(201);
    const after = (await s.t.as('auditor').get(`/api/v1/profiles/${id}/license-position?limit=1000`)).body.items;
    const salesAfter = after.find((r: { skuPartNumber: string }) => r.skuPartNumber === 'DYN365_ENTERPRISE_SALES');
    expect(salesAfter).toMatchObject({
      assigned: salesBefore.assigned,
      excluded: salesBefore.assigned,
      monthlyCost: 0,
      lowUsage: 0,
    });
    const low = await s.t.as('auditor').get(`/api/v1/profiles/${id}/low-usage?limit=1000`);
    expect(low.body.items.some((i: { skuPartNumber: string }) => i.skuPartNumber === 'DYN365_ENTERPRISE_SALES')).toBe(
      false,
    );
    expect((await s.t.as('admin').delete(`/api/v1/profiles/${id}/exclusion-rules/${rule.body.id}`)).status).toBe(204);
  });

  it('a rule change and a price override change the conclusions; bad rule and price input is a 400', async () => {
    const rules = (await s.t.as('auditor').get(`/api/v1/profiles/${id}/reclamation-rules`)).body.items;
    const salesRule = rules.find((r: { skuPartNumber: string }) => r.skuPartNumber === 'DYN365_ENTERPRISE_SALES');
    const lowAt60 = (await s.t.as('auditor').get(`/api/v1/profiles/${id}/low-usage?limit=1000`)).body.items.length;
    const patched = await s.t
      .as('admin')
      .patch(`/api/v1/profiles/${id}/reclamation-rules/${salesRule.id}`)
      .send({ inactivityDays: 7 });
    expect(patched.body).toMatchObject({ inactivityDays: 7, enabled: true });
    const lowAt7 = (await s.t.as('auditor').get(`/api/v1/profiles/${id}/low-usage?limit=1000`)).body.items.length;
    expect(lowAt7).toBeGreaterThanOrEqual(lowAt60);
    for (const body of [{ inactivityDays: 0 }, { inactivityDays: 'ten' }, { enabled: 'yes' }, { other: 1 }]) {
      expect(
        (await s.t.as('admin').patch(`/api/v1/profiles/${id}/reclamation-rules/${salesRule.id}`).send(body)).status,
      ).toBe(400);
    }
    expect(
      (
        await s.t
          .as('admin')
          .patch(`/api/v1/profiles/${id}/reclamation-rules/6a8d0a4b-8a8e-4f5b-8a55-3a6f1c2b9d10`)
          .send({ enabled: false })
      ).status,
    ).toBe(404);

    const price = await s.t
      .as('admin')
      .put(`/api/v1/profiles/${id}/prices/dyn365_enterprise_sales`)
      .send({ listPriceMonthly: 95, currency: 'USD', source: 'EA 2026' });
    expect(price.body).toMatchObject({ skuPartNumber: 'DYN365_ENTERPRISE_SALES', listPriceMonthly: 95 });
    const model = (await s.t.as('auditor').get(`/api/v1/profiles/${id}/software-models?limit=1000`)).body.items.find(
      (m: { skuPartNumber: string }) => m.skuPartNumber === 'DYN365_ENTERPRISE_SALES',
    );
    expect(model.listPriceMonthly).toBe(95);
    expect(
      (await s.t.as('admin').put(`/api/v1/profiles/${id}/prices/NOT_A_SKU`).send({ listPriceMonthly: 1 })).status,
    ).toBe(404);
    expect(
      (
        await s.t
          .as('admin')
          .put(`/api/v1/profiles/${id}/prices/DYN365_ENTERPRISE_SALES`)
          .send({ listPriceMonthly: -1 })
      ).status,
    ).toBe(400);
    // JSON writes 5e-324 with an exponent and no point: class-validator's own decimal count threw on it (a 500).
    const tiny = await s.t
      .as('admin')
      .put(`/api/v1/profiles/${id}/prices/DYN365_ENTERPRISE_SALES`)
      .send({ listPriceMonthly: 5e-324 });
    expect([tiny.status, tiny.body.errors]).toEqual([
      400,
      [{ field: 'listPriceMonthly', problem: 'must have at most 4 decimal places' }],
    ]);
    expect((await s.t.as('admin').put(`/api/v1/profiles/${id}/prices/DYN365_ENTERPRISE_SALES`).send({})).status).toBe(
      400,
    );
    expect((await s.t.as('admin').delete(`/api/v1/profiles/${id}/prices/DYN365_ENTERPRISE_SALES`)).status).toBe(204);
    expect((await s.t.as('admin').delete(`/api/v1/profiles/${id}/prices/DYN365_ENTERPRISE_SALES`)).status).toBe(409);
  });

  it('an entitlement entered by hand replaces Graph prepaid units in the license position, until removed', async () => {
    const position = async () =>
      (await s.t.as('auditor').get(`/api/v1/profiles/${id}/license-position?limit=1000`)).body.items.find(
        (r: { skuPartNumber: string }) => r.skuPartNumber === 'DYN365_ENTERPRISE_SALES',
      );
    const before = await position();
    expect(before.purchasedSource).toBe('graph');
    expect(
      (
        await s.t
          .as('admin')
          .put(`/api/v1/profiles/${id}/entitlements/DYN365_ENTERPRISE_SALES`)
          .send({ purchased: before.assigned, source: 'EA enrollment 4711' })
      ).status,
    ).toBe(204);
    expect(await position()).toMatchObject({
      purchased: before.assigned,
      purchasedSource: 'manual',
      compliance: 'compliant',
      available: 0,
    });
    const list = (await s.t.as('auditor').get(`/api/v1/profiles/${id}/entitlements`)).body.items.find(
      (e: { skuPartNumber: string }) => e.skuPartNumber === 'DYN365_ENTERPRISE_SALES',
    );
    expect(list).toMatchObject({
      manual: { purchased: before.assigned, source: 'EA enrollment 4711' },
      prepaidUnits: { enabled: before.purchased },
      purchasedSource: 'manual',
    });
    for (const body of [
      {},
      { purchased: -1 },
      { purchased: 1.5 },
      { purchased: 'ten' },
      { purchased: 1, extra: true },
    ]) {
      expect(
        (await s.t.as('admin').put(`/api/v1/profiles/${id}/entitlements/DYN365_ENTERPRISE_SALES`).send(body)).status,
      ).toBe(400);
    }
    expect(
      (await s.t.as('admin').put(`/api/v1/profiles/${id}/entitlements/NOT_A_MODEL`).send({ purchased: 1 })).status,
    ).toBe(404);
    expect((await s.t.as('admin').delete(`/api/v1/profiles/${id}/entitlements/DYN365_ENTERPRISE_SALES`)).status).toBe(
      204,
    );
    expect(await position()).toMatchObject({ purchased: before.purchased, purchasedSource: 'graph' });
  });

  it('refuses a malformed asOf and filters subscriptions', async () => {
    expect((await s.t.as('auditor').get(`/api/v1/profiles/${id}/low-usage?asOf=yesterday`)).status).toBe(400);
    // ISO 8601 forms that JavaScript's Date cannot read (week, ordinal, basic) are refused, not a 500.
    for (const asOf of ['2026-W01', '2026-W01-1', '2026-032', '20260105', '20260105T101010Z'])
      for (const path of ['low-usage', 'license-position', 'activity-coverage', 'exports/subscriptions'])
        expect([
          path,
          asOf,
          (await s.t.as('auditor').get(`/api/v1/profiles/${id}/${path}?asOf=${asOf}`)).status,
        ]).toEqual([path, asOf, 400]);
    const subs = await s.t
      .as('auditor')
      .get(`/api/v1/profiles/${id}/subscriptions?skuPartNumber=DYN365_ENTERPRISE_SALES&limit=5`);
    expect(subs.body.items.length).toBeGreaterThan(0);
    expect(subs.body.items.every((r: { skuPartNumber: string }) => r.skuPartNumber === 'DYN365_ENTERPRISE_SALES')).toBe(
      true,
    );
    const one = subs.body.items[0];
    const byUser = await s.t.as('auditor').get(`/api/v1/profiles/${id}/subscriptions?userId=${one.userId}`);
    expect(byUser.body.items.every((r: { userId: string }) => r.userId === one.userId)).toBe(true);
  });
});
