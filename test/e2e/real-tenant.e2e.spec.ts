import { startSandboxApp, type SandboxApp } from '../support/sandbox-app';
import { runJob } from '../support/published-profile';

const DAY = 86_400_000;
const SALES = 'DYN365_ENTERPRISE_SALES';
const TEAM_MEMBERS = 'DYN365_TEAM_MEMBERS';

type Gap = { from: string; to: string; reason: string };
type Coverage = { environmentUrl: string; coveredFrom: string; gaps: Gap[]; unauditedTables: string[] };
type LowUsageItem = {
  userId: string;
  skuPartNumber: string;
  lastActivityAt: string | null;
  proven: boolean;
  unprovenReason: string | null;
};

/**
 * The whole product against the realistic sandbox tenant: three Dynamics environments found
 * through discovery, auditing off for a week in one, logs deleted in another, user-access
 * auditing off in the third, an integration writing in people's names, users whose only work
 * is on tables both apps share or within Team Members rights. Every conclusion is checked
 * against what the sandbox knows it made (its `truth`), never against the product itself.
 */
describe('a realistic tenant: conclusions that hold when the evidence is imperfect', () => {
  let s: SandboxApp;
  let id: string;
  let offset = 0;
  const auditor = () => s.t.as('auditor');
  const get = async (path: string) => {
    const res = await auditor().get(`/api/v1/profiles/${id}${path}`);
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  /** Every page of a list. */
  const all = async <T>(path: string): Promise<T[]> => {
    const items: T[] = [];
    let cursor: string | null = null;
    do {
      const sep = path.includes('?') ? '&' : '?';
      const page = await get(`${path}${sep}limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      items.push(...page.items);
      cursor = page.nextCursor ?? null;
    } while (cursor);
    return items;
  };
  const lowUsage = async (query = ''): Promise<LowUsageItem[]> =>
    (await get(`/low-usage?limit=1000${query}`)).items as LowUsageItem[];
  const coverage = async (): Promise<Coverage[]> => (await get('/activity-coverage?limit=100')).items;
  const env = (name: string) => s.sandbox.tenant.requireEnvironment(name);
  const urlOf = (name: string) => s.sandbox.environmentUrlOf(name);
  const at = (iso: string) => Date.parse(iso);

  beforeAll(async () => {
    s = await startSandboxApp({
      sandbox: { users: 300, seed: 11, realistic: true },
      app: { clock: { now: () => new Date(Date.now() + offset) } },
    });
    const created = await s.t
      .as('admin')
      .post('/api/v1/profiles')
      .send(
        s.sandbox.profileBody({
          endpoints: { discoveryBaseUrl: s.sandbox.discoveryBaseUrl },
          activityConnection: { discoverEnvironments: true },
        }),
      );
    expect(created.status).toBe(201);
    expect(created.body.endpoints.discoveryBaseUrl).toBe(s.sandbox.discoveryBaseUrl);
    id = created.body.id;
  });
  afterAll(() => s.close());

  it('validates each discovered environment, with the audit settings check and its warnings, then publishes', async () => {
    const validation = (await s.t.as('admin').post(`/api/v1/profiles/${id}/validate`)).body;
    expect(validation.valid).toBe(true);
    const byName = (name: string) =>
      validation.checks
        .filter((c: { environmentUrl?: string }) => c.environmentUrl !== undefined)
        .filter((c: { name: string }) => c.name === name)
        .map((c: { environmentUrl: string }) => c.environmentUrl)
        .sort();
    // The Power Platform environment without Dataverse is listed by the admin API, and skipped.
    const dataverse = [urlOf('primary'), urlOf('sales'), urlOf('service')].sort();
    expect(byName('calculateActivity')).toEqual(dataverse);
    expect(byName('auditSettings')).toEqual(dataverse);
    const primary = validation.checks.find(
      (c: { name: string; environmentUrl?: string }) =>
        c.name === 'auditSettings' && c.environmentUrl === urlOf('primary'),
    );
    expect(primary.warnings.join('\n')).toMatch(/quote/);
    expect(primary.warnings.join('\n')).toMatch(/knowledgearticle/);
    expect((await s.t.as('admin').post(`/api/v1/profiles/${id}/publish`)).status).toBe(200);
  });

  it('reads only the users who hold a Dynamics 365 or Power Platform license, and every environment', async () => {
    const download = await runJob(s, id, 'download-subscriptions');
    expect(download.status).toBe('succeeded');
    const licensed = s.sandbox.tenant.directory.users.filter((u) => u.licenses.length > 0).length;
    expect(download.summary.users).toBeLessThan(s.sandbox.tenant.directory.users.length);
    expect(download.summary.users).toBeLessThanOrEqual(licensed);

    const refresh = await runJob(s, id, 'refresh-activity');
    expect(refresh).toMatchObject({ status: 'succeeded', summary: { environments: 3, environmentsFailed: 0 } });
    expect(refresh.summary.impersonatedRows).toBe(s.sandbox.tenant.dataverse.truth.impersonatedRows);
  });

  it("shows each environment's gaps exactly where the sandbox made them", async () => {
    const byUrl = new Map((await coverage()).map((c) => [c.environmentUrl, c]));
    const gapsOf = (name: string) => byUrl.get(urlOf(name))!.gaps;

    const [off] = env('primary').truth.auditOff;
    expect(gapsOf('primary')).toEqual([{ from: expect.any(String), to: expect.any(String), reason: 'audit-off' }]);
    expect(at(gapsOf('primary')[0].from)).toBe(at(off.from));
    expect(at(gapsOf('primary')[0].to)).toBe(at(off.to));
    expect(byUrl.get(urlOf('primary'))!.unauditedTables.sort()).toEqual(['knowledgearticle', 'quote']);

    const [deletion] = env('sales').truth.logDeletions;
    const sales = byUrl.get(urlOf('sales'))!;
    expect(sales.gaps).toEqual([{ from: sales.coveredFrom, to: expect.any(String), reason: 'log-deleted' }]);
    expect(at(sales.gaps[0].to)).toBe(at(deletion.deletedBefore));

    const [accessOff] = env('service').truth.userAccessOff;
    expect(gapsOf('service')).toEqual([
      { from: expect.any(String), to: expect.any(String), reason: 'user-access-audit-off' },
    ]);
    expect([at(gapsOf('service')[0].from), at(gapsOf('service')[0].to)]).toEqual([
      at(accessOff.from),
      at(accessOff.to),
    ]);
  });

  it('flags only proven inactivity; where sign-ins count, the time without user-access auditing leaves it unproven', async () => {
    const proven = await lowUsage();
    expect(proven.length).toBeGreaterThan(0);
    expect(proven.every((i) => i.proven && i.unprovenReason === null)).toBe(true);

    const all = await lowUsage('&include=unproven');
    const unproven = all.filter((i) => !i.proven);
    expect(unproven.length).toBeGreaterThan(0);
    // Only Team Members counts sign-ins by default, so only its windows are broken by the gap.
    expect(new Set(unproven.map((i) => `${i.skuPartNumber} ${i.unprovenReason}`))).toEqual(
      new Set([`${TEAM_MEMBERS} user-access-audit-off`]),
    );
    expect(all.filter((i) => i.proven)).toEqual(proven);
    const position = (await get('/license-position?limit=1000')).items as { skuPartNumber: string; lowUsage: number }[];
    for (const p of position)
      expect([p.skuPartNumber, p.lowUsage]).toEqual([
        p.skuPartNumber,
        proven.filter((i) => i.skuPartNumber === p.skuPartNumber).length,
      ]);
  });

  it('what if every rule were 120 days: windows that cross the audit-off week are unproven, and nothing changed', async () => {
    const before = (await auditor().get('/api/v1/events?limit=1')).body;
    const whatIf = await lowUsage('&include=unproven&inactivityDays=120');
    expect(whatIf.length).toBeGreaterThan(0);
    expect(whatIf.every((i) => !i.proven && i.unprovenReason === 'audit-off')).toBe(true);
    expect((await auditor().get('/api/v1/events?limit=1')).body).toEqual(before);
  });

  it("an integration's rows in people's names are the integration's, never the people's activity", async () => {
    const truth = s.sandbox.tenant.dataverse.truth;
    const integrations = (await get('/integrations?limit=100')).items;
    expect(integrations).toEqual([
      expect.objectContaining({
        systemUserId: truth.impersonatingSystemUserId,
        rows: truth.impersonatedRows,
        environments: [urlOf('primary')],
      }),
    ]);
    // No activity recorded for the people it wrote for is one of its rows.
    const store = s.sandbox.tenant.dataverse;
    const entraOf = new Map(store.systemUsers.map((u) => [u.index, u.azureactivedirectoryobjectid]));
    const impersonatedAt = new Set<string>();
    for (let i = 0; i < store.audit.length; i++)
      if (store.audit.callingUserAt(i) !== null)
        impersonatedAt.add(`${entraOf.get(store.audit.userAt(i))} ${store.audit.createdOnAt(i)}`);
    expect(impersonatedAt.size).toBeGreaterThan(0);
    const recorded: { data: { userId: string; lastActivityAt: string } }[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: typeof recorded; nextCursor: string | null } = (
        await auditor().get(
          `/api/v1/events?type=UserActivityRecorded&limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        )
      ).body;
      recorded.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(recorded.length).toBeGreaterThan(0);
    const theirs = recorded.filter((e) => truth.impersonatedUsers.includes(e.data.userId));
    for (const e of theirs) expect(impersonatedAt).not.toContain(`${e.data.userId} ${at(e.data.lastActivityAt)}`);
  });

  it('activityBasis: work only on the tables both apps share counts by default, not under "app"', async () => {
    const commonOnly = new Set(s.sandbox.tenant.dataverse.truth.commonTableOnlyUsers);
    const flagged = async () =>
      (await lowUsage('&include=unproven')).filter((i) => commonOnly.has(i.userId) && i.skuPartNumber === SALES);
    expect(await flagged()).toEqual([]);

    const rules = (await get('/reclamation-rules')).items as { id: string; skuPartNumber: string }[];
    const sales = rules.find((r) => r.skuPartNumber === SALES)!;
    const set = (activityBasis: string) =>
      s.t.as('admin').patch(`/api/v1/profiles/${id}/reclamation-rules/${sales.id}`).send({ activityBasis });
    expect((await set('app')).status).toBe(200);
    try {
      const salesHolders = await all<{ userId: string }>(`/subscriptions?skuPartNumber=${SALES}`);
      const commonOnlySales = salesHolders.filter((x) => commonOnly.has(x.userId));
      expect(commonOnlySales.length).toBeGreaterThan(0);
      expect((await flagged()).map((i) => i.userId).sort()).toEqual(commonOnlySales.map((x) => x.userId).sort());
    } finally {
      expect((await set('app-and-common')).status).toBe(200);
    }
  });

  it('advises Team Members for the full licenses used only within its rights, never for one beyond them', async () => {
    const truth = s.sandbox.tenant.dataverse.truth;
    const advice = (await get('/downgrade-advice?limit=1000')).items as {
      userId: string;
      skuPartNumber: string;
      suggestedSkuPartNumber: string;
      monthlySavings: number | null;
      evidence: { windowFrom: string; lastBeyondTeamMembersAt: string | null };
    }[];
    const advised = new Set(advice.map((a) => a.userId));
    expect(truth.teamMembersLevelUsers.length).toBeGreaterThan(0);
    for (const user of truth.teamMembersLevelUsers) expect(advised).toContain(user);
    for (const a of advice) {
      expect(a.suggestedSkuPartNumber).toBe(TEAM_MEMBERS);
      if (a.evidence.lastBeyondTeamMembersAt !== null)
        expect(at(a.evidence.lastBeyondTeamMembersAt)).toBeLessThan(at(a.evidence.windowFrom));
    }
    const lowUsageIds = new Set((await lowUsage('&include=unproven')).map((i) => `${i.userId} ${i.skuPartNumber}`));
    for (const a of advice) expect(lowUsageIds).not.toContain(`${a.userId} ${a.skuPartNumber}`);
  });

  it('one failing environment keeps the others’ work; once its reads are stale its gap makes everything unproven, and a good read closes it', async () => {
    env('sales').appCanReadAudit = false;
    const partial = await runJob(s, id, 'refresh-activity');
    expect(partial).toMatchObject({ status: 'succeeded', summary: { environments: 3, environmentsFailed: 1 } });
    expect(partial.summary.failedEnvironments).toContain(urlOf('sales'));

    // Three days on, the sales environment has still not been read: its time since is not covered.
    offset = 3 * DAY;
    const stale = await runJob(s, id, 'refresh-activity');
    expect(stale.summary.environmentsFailed).toBe(1);
    const sales = (await coverage()).find((c) => c.environmentUrl === urlOf('sales'))!;
    expect(sales.gaps.at(-1)).toMatchObject({ reason: 'not-connected' });
    expect(await lowUsage()).toEqual([]);
    expect(new Set((await lowUsage('&include=unproven')).map((i) => i.unprovenReason))).toContain('not-connected');

    env('sales').appCanReadAudit = true;
    expect((await runJob(s, id, 'refresh-activity')).summary.environmentsFailed).toBe(0);
    const healed = (await coverage()).find((c) => c.environmentUrl === urlOf('sales'))!;
    expect(healed.gaps.map((g) => g.reason)).toEqual(['log-deleted']);
    expect((await lowUsage()).length).toBeGreaterThan(0);
  });
});
