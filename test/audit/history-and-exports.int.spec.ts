import { publishedProfile, runJob } from '../support/published-profile';
import { parseCsv } from '../support/csv';
import { startSandboxApp, type SandboxApp } from '../support/sandbox-app';

async function all(s: SandboxApp, path: string): Promise<Record<string, any>[]> {
  const items: Record<string, any>[] = [];
  let cursor: string | null = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const res = await s.t.as('auditor').get(`${path}${sep}limit=1000${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.status).toBe(200);
    items.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor);
  return items;
}

describe('history and compliance exports', () => {
  let s: SandboxApp;
  let id: string;
  beforeAll(async () => {
    s = await startSandboxApp({ sandbox: { users: 150, seed: 31 } });
    id = await publishedProfile(s);
    await runJob(s, id, 'download-subscriptions');
    await runJob(s, id, 'refresh-activity');
  });
  afterAll(() => s.close());

  it("a user's history is every event about them, oldest first, with actor and reason", async () => {
    const subs = await all(s, `/api/v1/profiles/${id}/subscriptions`);
    const target = subs.find((r) => r.assignedVia === 'direct' && r.skuPartNumber === 'DYN365_ENTERPRISE_SALES')!;
    await s.t
      .as('admin')
      .post(`/api/v1/profiles/${id}/reclamations`)
      .send({ userId: target.userId, skuPartNumber: target.skuPartNumber, dryRun: false, reason: 'moved to finance' });
    const history = await all(s, `/api/v1/profiles/${id}/users/${target.userId}/history`);
    const types = history.map((e) => e.type);
    expect(types[0]).toBe('LicenseAssigned');
    expect(types.slice(-2)).toEqual(['ReclamationRequested', 'SubscriptionReclaimed']);
    expect(history.at(-1)).toMatchObject({
      data: { reason: 'moved to finance' },
      metadata: { actor: { kind: 'api-key', role: 'admin' } },
    });
    expect(history[0].metadata.actor).toMatchObject({ kind: 'api-key' });
    const positions = history.map((e) => BigInt(e.position));
    expect(positions).toEqual([...positions].sort((a, b) => (a < b ? -1 : 1)));
    const paged = await s.t.as('auditor').get(`/api/v1/profiles/${id}/users/${target.userId}/history?limit=1`);
    expect(paged.body.items).toHaveLength(1);
    expect(
      (
        await s.t
          .as('auditor')
          .get(`/api/v1/profiles/${id}/users/${target.userId}/history?cursor=${paged.body.nextCursor}&limit=1000`)
      ).body.items,
    ).toEqual(history.slice(1));
    expect(
      (await s.t.as('auditor').get(`/api/v1/profiles/${id}/users/00000000-0000-4000-8000-000000000000/history`)).status,
    ).toBe(404);
  });

  it("a software model's history holds its creation, entitlement, rule, and each assignment, oldest first", async () => {
    const history = await all(s, `/api/v1/profiles/${id}/software-models/dyn365_enterprise_sales/history`);
    const types = new Set(history.map((e) => e.type));
    for (const t of [
      'SoftwareModelCreated',
      'EntitlementObserved',
      'ReclamationRuleCreated',
      'LicenseAssigned',
      'SubscriptionReclaimed',
    ])
      expect(types.has(t)).toBe(true);
    expect(history.every((e) => e.data.skuPartNumber === 'DYN365_ENTERPRISE_SALES')).toBe(true);
    const assigned = history.filter((e) => e.type === 'LicenseAssigned').length;
    expect(assigned).toBe(
      (await s.t.as('auditor').get(`/api/v1/profiles/${id}/license-position?limit=1000`)).body.items.find(
        (r: { skuPartNumber: string }) => r.skuPartNumber === 'DYN365_ENTERPRISE_SALES',
      ).assigned + 1,
    );
    expect((await s.t.as('auditor').get(`/api/v1/profiles/${id}/software-models/NOPE/history`)).status).toBe(404);
  });

  it('an export at a past asOf equals what the endpoints answered at that time, stamped with the event position', async () => {
    const then = {
      position: (await s.t.as('auditor').get(`/api/v1/profiles/${id}/license-position?limit=1000`)).body,
      lowUsage: await all(s, `/api/v1/profiles/${id}/low-usage`),
      subscriptions: await all(s, `/api/v1/profiles/${id}/subscriptions`),
    };
    const asOf = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 20));
    const users = s.sandbox.tenant.directory.users.filter((u) => u.licenses.length > 0);
    s.sandbox.tenant.deleteUser(users[0].id);
    s.sandbox.tenant.setPrepaidUnits('DYN365_ENTERPRISE_SALES', { enabled: 5 });
    await runJob(s, id, 'download-subscriptions');

    const json = await s.t
      .as('auditor')
      .get(`/api/v1/profiles/${id}/exports/license-position?asOf=${encodeURIComponent(asOf)}`);
    expect(json.body).toMatchObject({
      dataset: 'license-position',
      profileId: id,
      asOf,
      position: expect.stringMatching(/^\d+$/),
    });
    expect(json.body.items).toEqual(then.position.items);
    expect(json.headers['x-ledger-position']).toBe(json.body.position);
    const lowUsage = await s.t
      .as('auditor')
      .get(`/api/v1/profiles/${id}/exports/low-usage?asOf=${encodeURIComponent(asOf)}`);
    expect(lowUsage.body.items.map((i: { userId: string; skuId: string }) => `${i.userId}|${i.skuId}`)).toEqual(
      then.lowUsage.map((i) => `${i.userId}|${i.skuId}`),
    );
    const subscriptions = await s.t
      .as('auditor')
      .get(`/api/v1/profiles/${id}/exports/subscriptions?asOf=${encodeURIComponent(asOf)}`);
    expect(subscriptions.body.items).toEqual(then.subscriptions);

    const csv = await s.t
      .as('auditor')
      .get(`/api/v1/profiles/${id}/exports/license-position?asOf=${encodeURIComponent(asOf)}&format=csv`);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toContain(`position-${json.body.position}`);
    const rows = parseCsv(csv.text);
    expect(rows.map((r) => r.skuPartNumber)).toEqual(
      then.position.items.map((r: { skuPartNumber: string }) => r.skuPartNumber),
    );
    expect(rows.map((r) => Number(r.assigned))).toEqual(
      then.position.items.map((r: { assigned: number }) => r.assigned),
    );
    expect(rows.every((r) => r.asOf === asOf && r.eventPosition === json.body.position)).toBe(true);

    const now = await s.t.as('auditor').get(`/api/v1/profiles/${id}/exports/license-position`);
    expect(now.body.items).not.toEqual(then.position.items);
  });

  it('CSV is UTF-8 with a byte-order mark; consolidation and downgrade advice export as their endpoints answer', async () => {
    for (const dataset of ['license-position', 'low-usage', 'consolidation', 'downgrade-advice']) {
      const csv = await s.t
        .as('auditor')
        .get(`/api/v1/profiles/${id}/exports/${dataset}?format=csv`)
        .buffer(true)
        .parse((res, done) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => done(null, Buffer.concat(chunks)));
        });
      expect(csv.status).toBe(200);
      expect([...(csv.body as Buffer).subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    }
    const consolidation = await all(s, `/api/v1/profiles/${id}/consolidation`);
    expect(consolidation.length).toBeGreaterThan(0);
    const exported = parseCsv(
      (await s.t.as('auditor').get(`/api/v1/profiles/${id}/exports/consolidation?format=csv`)).text,
    );
    expect(exported.map((r) => [r.userPrincipalName, r.baseLicenses, Number(r.monthlySavings)])).toEqual(
      consolidation.map((i) => [i.userPrincipalName, i.baseLicenses.join(';'), i.monthlySavings]),
    );
    const downgrade = await all(s, `/api/v1/profiles/${id}/downgrade-advice`);
    const json = await s.t.as('auditor').get(`/api/v1/profiles/${id}/exports/downgrade-advice`);
    expect(json.body.items).toEqual(downgrade);
    const rows = parseCsv(
      (await s.t.as('auditor').get(`/api/v1/profiles/${id}/exports/downgrade-advice?format=csv`)).text,
    );
    expect(rows.map((r) => [r.userId, r.skuPartNumber, r.windowFrom, r.lastActivityAt])).toEqual(
      downgrade.map((i) => [i.userId, i.skuPartNumber, i.evidence.windowFrom, i.evidence.lastActivityAt]),
    );
  });

  it('refuses unknown datasets and formats', async () => {
    expect((await s.t.as('auditor').get(`/api/v1/profiles/${id}/exports/salaries`)).status).toBe(404);
    expect((await s.t.as('auditor').get(`/api/v1/profiles/${id}/exports/low-usage?format=xlsx`)).status).toBe(400);
    expect((await s.t.as('consumer').get(`/api/v1/profiles/${id}/exports/low-usage`)).status).toBe(403);
  });
});
