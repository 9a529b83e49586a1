import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describeInBrowser, openView, signIn } from './support/browser';
import { ConsoleSessions } from '../../src/console/console-sessions';
import { until } from '../support/sandbox-app';
import { KEYS, startConsoleFixture, type ConsoleFixture } from './support/console-fixture';

const usd = (n: number) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(n);
const texts = (page: Page, selector: string) => page.locator(selector).allInnerTexts();

/** Each view against the API's own answer: the test reads the API and compares what the page shows. */
describeInBrowser('the web console, signed in as admin', () => {
  let f: ConsoleFixture;
  let page: Page;
  const base = () => `/profiles/${f.profileId}`;
  const requested: string[] = [];
  beforeAll(async () => {
    f = await startConsoleFixture();
    page = await f.browser.newPage();
    page.on('request', (r) => requested.push(r.url()));
  }, 120_000);
  afterAll(() => f?.close());
  afterEach(() => expect(f.browser.errors).toEqual([]));

  it('refuses a wrong key with an error and shows no tenant data', async () => {
    await page.goto(`${f.url}/`);
    await page.getByLabel('API key').fill('not-a-key-of-this-service-0000');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').innerText()).resolves.toContain('not accepted');
    expect(await page.getByRole('navigation', { name: 'Views' }).count()).toBe(0);
    expect(await page.locator('table').count()).toBe(0);
    expect(await page.content()).not.toContain('Contoso (console test)');
  });

  it('signs in with a key kept for the tab only, never in a URL, and opens on the only profile', async () => {
    await signIn(page, f.url, KEYS.admin);
    await page.getByText('Contoso (console test)').first().waitFor();
    await page.getByRole('heading', { name: 'License position' }).waitFor();
    expect(page.url()).not.toContain(KEYS.admin);
    expect(await page.evaluate(() => Object.values(sessionStorage))).toContain(KEYS.admin);
    expect(await page.evaluate(() => JSON.stringify(localStorage))).not.toContain(KEYS.admin);
    // A reload of the tab keeps the session.
    await page.reload();
    await page.getByRole('navigation', { name: 'Views' }).waitFor();
  });

  it('Position: a row per model with purchased and assigned as the API says, the figures and a chart', async () => {
    await openView(page, 'Position');
    const answer = await f.api(`${base()}/license-position?limit=1000`);
    await page.locator('tr[data-sku]').first().waitFor();
    expect(await page.locator('tr[data-sku]').count()).toBe(answer.items.length);
    for (const row of answer.items) {
      const tr = page.locator(`tr[data-sku="${row.skuPartNumber}"]`);
      await expect(tr.locator('th').innerText()).resolves.toBe(row.name);
      await expect(tr.locator('[data-field="purchased"]').innerText()).resolves.toBe(String(row.purchased));
      await expect(tr.locator('[data-field="assigned"]').innerText()).resolves.toBe(String(row.assigned));
    }
    await expect(page.locator('.figure', { hasText: 'Cost per month' }).innerText()).resolves.toContain(
      usd(answer.totals.monthlyCost),
    );
    const lowUsage = await f.all(`${base()}/low-usage`);
    const found = lowUsage.reduce((s: number, i: { monthlyCost: number | null }) => s + (i.monthlyCost ?? 0), 0);
    await expect(page.locator('[data-figure="found"] [data-field="lowUsage"]').innerText()).resolves.toBe(usd(found));
    const chart = page.getByRole('img', { name: /week by week/ });
    await chart.waitFor({ timeout: 30_000 });
    expect(await chart.locator('polyline').count()).toBe(3);
  });

  it('Low usage: a row per candidate the API lists, and the SKU filter narrows to the API’s own count', async () => {
    await openView(page, 'Low usage');
    let items = await f.all(`${base()}/low-usage?include=unproven`).catch(() => null);
    items ??= await f.all(`${base()}/low-usage`);
    await page.locator('tr[data-upn]').first().waitFor();
    const shown = await page
      .locator('tr[data-upn]')
      .evaluateAll((rows) => rows.map((r) => `${r.getAttribute('data-upn')}|${r.querySelector('code')!.textContent}`));
    expect(shown.sort()).toEqual(items.map((i: any) => `${i.userPrincipalName}|${i.skuPartNumber}`).sort());
    const sku = items[0].skuPartNumber;
    await page.getByLabel('SKU').selectOption(sku);
    const ofSku = items.filter((i: any) => i.skuPartNumber === sku).length;
    expect(ofSku).toBeLessThan(items.length);
    await until(async () => (await page.locator('tr[data-upn]').count()) === ofSku);
    await page.getByLabel('SKU').selectOption('');
  });

  it('Consolidation: a row per user the API advises, with the saving', async () => {
    await openView(page, 'Consolidation');
    const items = await f.all(`${base()}/consolidation`);
    expect(items.length).toBeGreaterThan(0);
    await page.getByRole('table', { name: 'Consolidation advice' }).waitFor();
    expect((await texts(page, 'tr[data-upn] th')).sort()).toEqual(items.map((i: any) => i.userPrincipalName).sort());
    const total = items.reduce((s: number, i: any) => s + i.monthlySavings, 0);
    await expect(page.locator('main').innerText()).resolves.toContain(usd(total));
  });

  for (const [view, path, table] of [
    ['Downgrade', '/downgrade-advice', 'Downgrade advice'],
    ['Coverage', '/activity-coverage', null],
  ] as const) {
    it(`${view}: what the API answers, or an honest "not available" where this server lacks ${path}`, async () => {
      await openView(page, view);
      const response = await f.s.t.as('auditor').get(`/api/v1${base()}${path}`);
      if (response.status === 404) {
        await expect(page.locator('[data-state="unavailable"]').innerText()).resolves.toContain(
          'not available on this server yet',
        );
        return;
      }
      expect(response.status).toBe(200);
      if (table) {
        await page.getByRole('table', { name: table }).waitFor();
        expect(await page.locator('tr[data-upn]').count()).toBe(response.body.items.length);
      } else {
        await page.locator('article.environment').first().waitFor();
        expect(await texts(page, 'article.environment h2')).toEqual(
          response.body.items.map((i: any) => i.environmentUrl),
        );
      }
    });
  }

  it('Jobs: each run the API lists, with its job and status', async () => {
    await openView(page, 'Jobs');
    const runs = (await f.api(`${base()}/job-runs?limit=50`)).items;
    expect(runs.length).toBe(2);
    await page.locator('tr[data-run]').first().waitFor();
    const shown = await page
      .locator('tr[data-run]')
      .evaluateAll((rows) =>
        rows.map(
          (r) => `${r.getAttribute('data-run')}|${r.querySelector('th')!.textContent}|${r.getAttribute('data-status')}`,
        ),
      );
    expect(shown).toEqual(runs.map((r: any) => `${r.runId}|${r.job}|${r.status}`));
  });

  it('Users: "Search users" takes a UPN and shows that user’s history, event by event', async () => {
    await openView(page, 'Users');
    const subscription = (await f.all(`${base()}/subscriptions`))[0];
    const history = await f.all(`${base()}/users/${subscription.userId}/history`);
    expect(history.length).toBeGreaterThan(0);
    await page.getByLabel('Search users').fill(subscription.userPrincipalName.toUpperCase());
    await page.getByRole('button', { name: 'Show history' }).click();
    await page.locator('tr[data-type]').first().waitFor();
    expect(
      await page.locator('tr[data-type]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-type'))),
    ).toEqual(history.map((e: any) => e.type));
    await page.getByLabel('Search users').fill('nobody@example.com');
    await page.getByRole('button', { name: 'Show history' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'No user named' }).innerText()).resolves.toContain(
      'nobody@example.com',
    );
  });

  it('Exports: "Download CSV" hands over the API’s CSV with a byte-order mark, the key never in a URL', async () => {
    await openView(page, 'Exports');
    const card = page.locator('li[data-dataset="license-position"]');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      card.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    const bytes = readFileSync((await download.path())!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3, 6).toString('utf8')).toBe('sku');
    const api = await f.s.t.as('auditor').get(`/api/v1${base()}/exports/license-position?format=csv`);
    // Each answer is stamped with the moment it was made; everything else is the same.
    const unstamped = (csv: string) => csv.replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, '<time>');
    expect(unstamped(bytes.toString('utf8'))).toBe(unstamped(api.text));
    expect(download.suggestedFilename()).toMatch(/^license-position_.*\.csv$/);
    expect(requested.filter((url) => url.includes(KEYS.admin))).toEqual([]);
    expect(requested.some((url) => url.includes('/exports/license-position?format=csv'))).toBe(true);
  });

  it('Profiles: the profile as the API has it, and validation shows each check the API makes', async () => {
    await openView(page, 'Profiles');
    const profile = await f.api(base());
    await expect(page.getByLabel('Display name').inputValue()).resolves.toBe(profile.displayName);
    await expect(page.getByLabel('Tenant ID').inputValue()).resolves.toBe(profile.subscriptionConnection.tenantId);
    await page.getByRole('button', { name: 'Validate' }).click();
    await page.getByRole('table', { name: 'Validation checks' }).waitFor();
    const checks = (await f.s.t.as('admin').post(`/api/v1${base()}/validate`)).body.checks;
    const shown = await page
      .locator('tr[data-check]')
      .evaluateAll((rows) => rows.map((r) => `${r.getAttribute('data-check')}|${r.getAttribute('data-ok')}`));
    expect(shown).toEqual(checks.map((c: any) => `${c.name}|${c.ok}`));
  });

  it('a one-time sign-in link signs the sandbox’s admin in for a session, once, and leaves no code in the URL', async () => {
    const admin = f.s.sandbox.tenant.identity.adminUserId;
    const code = f.s.t.app.get(ConsoleSessions).issueSignInLink({ role: 'admin', actor: { kind: 'user', id: admin } });
    const other = await f.browser.newPage();
    await other.goto(`${f.url}/#sign-in=${code}`);
    await other.getByRole('navigation', { name: 'Views' }).waitFor();
    await expect(other.getByRole('banner').innerText()).resolves.toContain('Signed in as admin');
    expect(other.url()).not.toContain(code);
    const token = await other.evaluate(() => Object.values(sessionStorage).find((v) => v.startsWith('llsession_')));
    expect((await f.s.t.anonymous().get('/api/v1/whoami').set('Authorization', `Bearer ${token}`)).body).toEqual({
      role: 'admin',
      keyId: admin,
    });
    await other.getByRole('button', { name: 'Sign out' }).click();
    await other.getByLabel('API key').waitFor();
    await until(
      async () =>
        (await f.s.t.anonymous().get('/api/v1/whoami').set('Authorization', `Bearer ${token}`)).status === 401,
    );
    await other.goto(`${f.url}/#sign-in=${code}`);
    await other.getByText('has been used or has expired').waitFor();
    await other.close();
  });

  it('works offline: everything the page loaded came from the service itself', () => {
    expect(requested.length).toBeGreaterThan(20);
    expect(requested.filter((url) => !url.startsWith(`${f.url}/`) && !url.startsWith('blob:'))).toEqual([]);
  });
});
