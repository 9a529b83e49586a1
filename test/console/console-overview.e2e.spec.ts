import type { Page } from 'playwright-core';
import { runJob } from '../support/published-profile';
import { until } from '../support/sandbox-app';
import { describeInBrowser, openView, signIn } from './support/browser';
import { KEYS, startConsoleFixture, type ConsoleFixture } from './support/console-fixture';

const usd = (n: number) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(n);
const num = (n: number) => new Intl.NumberFormat('en-US').format(n);
const lapsed = (r: any) => r.inGracePeriod + r.suspended + r.lockedOut;

/**
 * Three environments whose audit logs have gaps before the last 60 days (so Sales and Customer
 * Service low usage is proven, while Team Members under a 120-day rule is not), an unaudited
 * table, an integration acting for people, and lapsed units.
 */
const SCENARIO = {
  environments: [
    {
      name: 'sales',
      userShare: 0.4,
      audit: { auditOffDaysAgo: [[100, 90]] as [number, number][], unauditedTables: ['quote'] },
    },
    { name: 'service', userShare: 0.4, audit: { logDeletedDaysAgo: 95 } },
  ],
  impersonatedRows: 40,
  graceUnits: true,
};

/** The overview and the advice against the API's own answers, on a tenant where each has something to show. */
describeInBrowser('the web console’s overview', () => {
  let f: ConsoleFixture;
  let page: Page;
  const base = () => `/profiles/${f.profileId}`;
  const figure = (name: string) => page.locator(`[data-figure="${name}"]`);
  const since = async () => `${await page.getByLabel('Reclaimed since').inputValue()}T00:00:00.000Z`;
  /**
   * The answer the page itself receives from `path`: lists that depend on "now" (the end of the
   * current minute) are compared with the answer the page was given, never one made a minute later.
   */
  const answerTo = (path: string) =>
    page
      .waitForResponse((r) => r.request().method() === 'GET' && new URL(r.url()).pathname === `/api/v1${base()}${path}`)
      .then((r) => r.json());
  let lowUsage: any[];
  beforeAll(async () => {
    f = await startConsoleFixture({ sandbox: SCENARIO, allEnvironments: true, users: 120 });
    const admin = f.s.t.as('admin');
    const rules = await f.all(`${base()}/reclamation-rules`);
    const teamMembers = rules.find((r: any) => r.skuPartNumber === 'DYN365_TEAM_MEMBERS');
    await admin.patch(`/api/v1${base()}/reclamation-rules/${teamMembers.id}`).send({ inactivityDays: 120 }).expect(200);
    const idle = await f.all(`${base()}/low-usage`);
    // An idle Sales user starts writing contacts only, which Team Members allows: downgrade advice.
    const writer = idle.find((i: any) => i.skuPartNumber === 'DYN365_ENTERPRISE_SALES');
    const grouped = idle.find((i: any) => i.userId !== writer.userId);
    f.s.sandbox.tenant.addAuditRows([
      { entraObjectId: writer.userId, createdOn: new Date(Date.now() - 3_600_000), objectTypeCode: 'contact' },
    ]);
    // Another idle license now also comes through a group.
    const group = f.s.sandbox.tenant.addGroup({ displayName: 'Sales EMEA', licenses: [grouped.skuPartNumber] });
    f.s.sandbox.tenant.addGroupMember(group.id, grouped.userId);
    await runJob(f.s, f.profileId, 'download-subscriptions');
    await runJob(f.s, f.profileId, 'refresh-activity');
    page = await f.browser.newPage();
    await signIn(page, f.url, KEYS.admin);
  }, 120_000);
  afterAll(() => f?.close());
  afterEach(() => expect(f.browser.errors).toEqual([]));

  it('cost per month, savings found and lapsed units are the API’s figures', async () => {
    // The answers of a fresh load, once the first one (at sign-in) has finished.
    await page.locator('[data-figure="found"] [data-field="lowUsage"]').waitFor();
    const answers = Promise.all([answerTo('/license-position'), answerTo('/savings')]);
    await page.reload();
    const [position, { found }] = await answers;
    await page.locator('[data-figure="found"] [data-field="lowUsage"]').waitFor();
    await expect(figure('cost').locator('.figure-value').innerText()).resolves.toBe(usd(position.totals.monthlyCost));
    await expect(figure('found').locator('.figure-value').innerText()).resolves.toBe(usd(found.monthlySavings));
    for (const part of ['lowUsage', 'consolidation', 'downgrade'])
      await expect(figure('found').locator(`[data-field="${part}"]`).innerText()).resolves.toBe(
        usd(found[part].monthlySavings),
      );
    expect(found.lowUsage.monthlySavings + found.consolidation.monthlySavings).toBeGreaterThan(0);
    for (const part of ['inGracePeriod', 'suspended', 'lockedOut'])
      await expect(figure('lapsed').locator(`[data-field="${part}"]`).innerText()).resolves.toBe(
        num(position.totals[part]),
      );
  });

  it('expiring and lapsed units: a row per model the API shows with any, its three counts', async () => {
    const rows = (await f.api(`${base()}/license-position?limit=1000`)).items.filter((r: any) => lapsed(r) > 0);
    expect(rows.length).toBeGreaterThan(0);
    const shown = await page
      .locator('tr[data-lapsed]')
      .evaluateAll((trs) =>
        trs.map((tr) =>
          [
            tr.getAttribute('data-lapsed'),
            ...[...tr.querySelectorAll('[data-field]')].map((td) => td.textContent),
          ].join('|'),
        ),
      );
    expect(shown).toEqual(
      rows.map((r: any) => [r.skuPartNumber, num(r.inGracePeriod), num(r.suspended), num(r.lockedOut)].join('|')),
    );
  });

  it('the position over time: the chart’s figures are the series endpoint’s points, each the asOf answer', async () => {
    // The 13-week question (from over 12 weeks back), not the first view's 8 weeks still on its way.
    const answered = page.waitForResponse((r) => {
      if (!r.url().includes('/license-position/series?')) return false;
      const from = Date.parse(new URL(r.url()).searchParams.get('from') ?? '');
      return Date.now() - from > 12 * 7 * 86_400_000;
    });
    await page.getByLabel('Period').selectOption('13');
    const series = await (await answered).json();
    expect(series.items).toHaveLength(13);
    const sum = (p: any, field: string) => p.items.reduce((s: number, r: any) => s + r[field], 0);
    await until(async () => (await page.locator('tr[data-point]').count()) === 13);
    const shown = await page
      .locator('tr[data-point]')
      .evaluateAll((trs) =>
        trs.map((tr) =>
          [tr.getAttribute('data-point'), ...[...tr.querySelectorAll('td')].map((td) => td.textContent)].join('|'),
        ),
      );
    expect(shown).toEqual(
      series.items.map((p: any) => [p.asOf, sum(p, 'purchased'), sum(p, 'assigned'), sum(p, 'lowUsage')].join('|')),
    );
    const last = series.items.at(-1);
    expect((await f.api(`${base()}/license-position?limit=1000&asOf=${last.asOf}`)).items).toEqual(last.items);
    expect(
      await page
        .getByRole('img', { name: /week by week/ })
        .locator('circle')
        .count(),
    ).toBe(3 * 13);
  });

  it('savings realised: a reclaim appears at its monthly price; none since a later date', async () => {
    const [lowUsage, subscriptions] = await Promise.all([
      f.all(`${base()}/low-usage`),
      f.all(`${base()}/subscriptions`),
    ]);
    const direct = new Set(
      subscriptions.filter((s: any) => s.assignedVia === 'direct').map((s: any) => `${s.userId}|${s.skuPartNumber}`),
    );
    const target = lowUsage.find((i: any) => direct.has(`${i.userId}|${i.skuPartNumber}`) && i.monthlyCost !== null);
    const reclaimed = await f.s.t
      .as('admin')
      .post(`/api/v1${base()}/reclamations`)
      .send({ userId: target.userId, skuPartNumber: target.skuPartNumber, dryRun: false });
    expect(reclaimed.body.status).toBe('reclaimed');
    await page.reload();
    await figure('realised').locator('[data-field="reclaimed"]').waitFor();
    const { realised } = await f.api(`${base()}/savings?since=${await since()}`);
    expect(realised.reclaimed).toBe(1);
    expect(realised.monthlySavings).toBe(target.monthlyCost);
    await expect(figure('realised').locator('.figure-value').innerText()).resolves.toBe(usd(realised.monthlySavings));
    await expect(figure('realised').locator('[data-field="reclaimed"]').innerText()).resolves.toMatch(
      /^1 license reclaimed since /,
    );
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('Reclaimed since').fill(tomorrow);
    await until(async () => (await figure('realised').locator('.figure-value').innerText()) === usd(0));
    await expect(figure('realised').locator('[data-field="reclaimed"]').innerText()).resolves.toMatch(
      /^0 licenses reclaimed/,
    );
  });

  it('Low usage: proven and unproven rows, each unproven one with the API’s reason', async () => {
    const answer = answerTo('/low-usage');
    await openView(page, 'Low usage');
    const items = (lowUsage = (await answer).items);
    const unproven = items.filter((i: any) => !i.proven);
    expect(unproven.length).toBeGreaterThan(0);
    expect(unproven.length).toBeLessThan(items.length);
    await page.locator('tr[data-upn]').first().waitFor();
    const shown = await page
      .locator('tr[data-upn]')
      .evaluateAll((rows) =>
        rows.map(
          (r) =>
            `${r.getAttribute('data-upn')}|${r.querySelector('code')!.textContent}|${r.querySelector('[data-evidence]')!.getAttribute('data-evidence')}`,
        ),
      );
    expect(shown.sort()).toEqual(
      items
        .map(
          (i: any) =>
            `${i.userPrincipalName}|${i.skuPartNumber}|${i.proven ? 'proven' : `unproven:${i.unprovenReason}`}`,
        )
        .sort(),
    );
    const reasons = await page.locator('[data-evidence^="unproven:"]').allInnerTexts();
    expect(
      reasons.every((text) => /^unproven: (auditing was off|user-access|audit log deleted|environment)/.test(text)),
    ).toBe(true);
  });

  const summary = () => page.locator('main p', { hasText: / of [\d,]+ candidates/ }).innerText();

  it('Low usage: the evidence and group filters narrow to the API’s own counts', async () => {
    const items = lowUsage;
    await page.getByLabel('Evidence').selectOption('unproven');
    await until(async () =>
      (await summary()).startsWith(`${num(items.filter((i: any) => !i.proven).length)} of ${num(items.length)}`),
    );
    await page.getByLabel('Evidence').selectOption('all');
    const subscriptions = await f.all(`${base()}/subscriptions`);
    const groupsOf = new Map(subscriptions.map((s: any) => [`${s.userId}|${s.skuPartNumber}`, s.groupIds as string[]]));
    const inGroup = (group: string) =>
      items.filter((i: any) => groupsOf.get(`${i.userId}|${i.skuPartNumber}`)!.includes(group));
    const group = [...new Set(items.flatMap((i: any) => groupsOf.get(`${i.userId}|${i.skuPartNumber}`)!))][0] as string;
    expect(inGroup(group).length).toBeGreaterThan(0);
    expect(inGroup(group).length).toBeLessThan(items.length);
    await page.getByLabel('Group').selectOption(group);
    await until(async () => (await summary()).startsWith(`${num(inGroup(group).length)} of `));
    await page.getByLabel('Group').selectOption('');
  });

  it('Low usage: "what if" a shorter threshold lists what the API answers for it, changing no rule', async () => {
    const rules = await f.all(`${base()}/reclamation-rules`);
    const answer = answerTo('/low-usage');
    await page.getByLabel("What if every rule's threshold were (days)").fill('20');
    await page.getByRole('button', { name: 'Apply' }).click();
    const items = (await answer).items;
    expect(items.length).toBeGreaterThan(lowUsage.length);
    await page.getByRole('status').filter({ hasText: 'What if 20 days' }).waitFor();
    await until(async () =>
      (await summary()).endsWith(
        `of ${num(items.length)} candidates; proven ones cost ${usd(
          items.filter((i: any) => i.proven).reduce((s: number, i: any) => s + (i.monthlyCost ?? 0), 0),
        )} a month.`,
      ),
    );
    expect(await f.all(`${base()}/reclamation-rules`)).toEqual(rules);
  });

  it('Consolidation and Downgrade: each row’s evidence as the API gives it', async () => {
    await openView(page, 'Consolidation');
    const consolidation = await f.all(`${base()}/consolidation`);
    expect(consolidation.length).toBeGreaterThan(0);
    await page.getByRole('table', { name: 'Consolidation advice' }).waitFor();
    for (const item of consolidation) {
      const row = page.locator(`tr[data-upn="${item.userPrincipalName}"]`);
      const evidence = await row.locator('[data-field="baseLicenses"]').innerText();
      expect(evidence).toContain(item.baseLicenses.join(', '));
      for (const kept of item.notConvertible) expect(evidence).toContain(kept);
      await expect(row.locator('[data-field="monthlySavings"]').innerText()).resolves.toBe(usd(item.monthlySavings));
    }
    const answer = answerTo('/downgrade-advice');
    await openView(page, 'Downgrade');
    const downgrade = (await answer).items;
    expect(downgrade.length).toBeGreaterThan(0);
    await page.getByRole('table', { name: 'Downgrade advice' }).waitFor();
    expect(await page.locator('tr[data-upn]').count()).toBe(downgrade.length);
    const stamp = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
    for (const item of downgrade) {
      const row = page.locator(`tr[data-upn="${item.userPrincipalName}"]`).filter({ hasText: item.skuPartNumber });
      await expect(row.locator('[data-field="lastActivityAt"]').innerText()).resolves.toBe(
        stamp(item.evidence.lastActivityAt),
      );
      await expect(row.locator('[data-field="evidence"]').innerText()).resolves.toContain(
        `${item.evidence.windowFrom.slice(0, 10)} to ${item.evidence.windowTo.slice(0, 10)}`,
      );
    }
  });

  it('Coverage: each environment’s gaps on its timeline and in its table, as the API lists them; and the integrations', async () => {
    await openView(page, 'Coverage');
    const coverage = (await f.api(`${base()}/activity-coverage?limit=1000`)).items;
    expect(coverage.length).toBe(f.s.sandbox.environmentUrls.length);
    expect(coverage.some((e: any) => e.gaps.length > 0)).toBe(true);
    await page.locator('article.environment').first().waitFor();
    for (const environment of coverage) {
      const article = page.locator(`article[data-environment="${environment.environmentUrl}"]`);
      expect(await article.locator('svg rect.gap').count()).toBe(environment.gaps.length);
      expect(
        await article.locator('tr[data-gap]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-gap'))),
      ).toEqual(environment.gaps.map((g: any) => g.reason));
      if (environment.unauditedTables.length)
        await expect(article.innerText()).resolves.toContain(environment.unauditedTables.join(', '));
    }
    const integrations = await f.all(`${base()}/integrations`);
    expect(integrations.length).toBeGreaterThan(0);
    await page.getByRole('table', { name: 'Integrations acting for people' }).waitFor();
    expect(
      await page
        .locator('tr[data-integration]')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-integration'))),
    ).toEqual(integrations.map((i: any) => i.systemUserId));
  });

  it('Exports: consolidation and downgrade advice as the API’s CSV, with its byte-order mark', async () => {
    await openView(page, 'Exports');
    for (const dataset of ['consolidation', 'downgrade-advice']) {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.locator(`li[data-dataset="${dataset}"]`).getByRole('button', { name: 'Download CSV' }).click(),
      ]);
      const bytes = await download.createReadStream().then(
        (stream) =>
          new Promise<Buffer>((resolve) => {
            const chunks: Buffer[] = [];
            stream.on('data', (c: Buffer) => chunks.push(c));
            stream.on('end', () => resolve(Buffer.concat(chunks)));
          }),
      );
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const api = await f.s.t.as('auditor').get(`/api/v1${base()}/exports/${dataset}?format=csv`);
      const unstamped = (csv: string) => csv.replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, '<time>');
      expect(unstamped(bytes.toString('utf8'))).toBe(unstamped(api.text));
      expect(download.suggestedFilename()).toMatch(new RegExp(`^${dataset}_.*\\.csv$`));
    }
  });
});
