import type { Page } from 'playwright-core';
import { changeAuditSettings } from '../../src/sandbox/audit-settings';
import { describeInBrowser, openView, signIn } from './support/browser';
import { KEYS, startConsoleFixture, type ConsoleFixture } from './support/console-fixture';

/** Profile setup in the browser: create, validate (each check with its error and what to do), fix, publish. */
describeInBrowser('the web console’s profile setup', () => {
  let f: ConsoleFixture;
  let page: Page;
  beforeAll(async () => {
    // Two environments, so that a profile can list several and validation checks each.
    f = await startConsoleFixture({ runJobs: false, sandbox: { environments: [{ name: 'sales' }] } });
    page = await f.browser.newPage();
    await signIn(page, f.url, KEYS.admin);
    await openView(page, 'Profiles');
  }, 120_000);
  afterAll(() => f?.close());
  afterEach(() => expect(f.browser.errors).toEqual([]));

  const group = (name: string) => page.getByRole('group', { name });
  const checksShown = () =>
    page
      .locator('tr[data-check]')
      .evaluateAll((rows) => rows.map((r) => `${r.getAttribute('data-check')}|${r.getAttribute('data-ok')}`));
  let created: any;

  it('creates a profile from the form: the API has it as typed, and the console opens on it', async () => {
    const body = f.s.sandbox.profileBody();
    await page.getByRole('button', { name: 'New profile' }).click();
    await page.getByLabel('Display name').fill('Fabrikam (typed in the console)');
    await page.getByLabel('Cloud').selectOption('custom');
    await page.getByLabel('Authority host').fill(body.endpoints!.authorityHost);
    await page.getByLabel('Graph base URL').fill(body.endpoints!.graphBaseUrl);
    await page.getByLabel('Analyze activity from').fill(body.analyzeActivityFrom);
    const sub = group('Subscriptions (Microsoft Graph)');
    await sub.getByLabel('Tenant ID').fill(body.subscriptionConnection.tenantId);
    await sub.getByLabel('Client ID').fill(body.subscriptionConnection.clientId);
    await sub.getByLabel('Client secret').fill('not-the-secret-of-this-app');
    const act = group('Activity (Dynamics 365 audit log)');
    await act.getByLabel('Environment URLs (one per line)').fill(f.s.sandbox.environmentUrls.join('\n'));
    await act.getByLabel('Client ID').fill(body.activityConnection!.clientId);
    await act.getByLabel('Client secret').fill(body.activityConnection!.clientSecret);
    await page.getByRole('button', { name: 'Create profile' }).click();
    await page.getByRole('heading', { name: 'Fabrikam (typed in the console)' }).waitFor();

    const profiles = await f.all('/profiles');
    created = profiles.find((p: any) => p.displayName === 'Fabrikam (typed in the console)');
    expect(created).toMatchObject({
      status: 'draft',
      validated: false,
      cloud: 'custom',
      analyzeActivityFrom: body.analyzeActivityFrom,
      subscriptionConnection: { tenantId: body.subscriptionConnection.tenantId, hasClientSecret: true },
      activityConnection: {
        environmentUrl: body.activityConnection!.environmentUrl,
        environmentUrls: f.s.sandbox.environmentUrls,
        discoverEnvironments: false,
        hasClientSecret: true,
      },
    });
    // Two profiles now: the header offers them by display name.
    await expect(page.getByRole('banner').getByLabel('Profile').inputValue()).resolves.toBe(created.id);
  });

  it('validation shows each failed check with the API’s error and what to do; publish is refused', async () => {
    await page.getByRole('button', { name: 'Validate' }).click();
    await page.getByRole('table', { name: 'Validation checks' }).waitFor();
    const result = (await f.s.t.as('admin').post(`/api/v1/profiles/${created.id}/validate`)).body;
    expect(result.valid).toBe(false);
    expect(await checksShown()).toEqual(result.checks.map((c: any) => `${c.name}|${c.ok}`));
    const failed = result.checks.find((c: any) => !c.ok);
    const row = page.locator(`tr[data-check="${failed.name}"]`).first();
    await expect(row.innerText()).resolves.toContain(failed.error);
    await expect(row.locator('[data-field="advice"]').innerText()).resolves.toContain(
      "What to do: Paste a new client secret's value",
    );
    await page.getByRole('button', { name: 'Publish' }).click();
    await expect(page.getByRole('alert').innerText()).resolves.toMatch(/^Could not publish: /);
    expect((await f.api(`/profiles/${created.id}`)).status).toBe('draft');
  });

  it('an edit with the right secret, a validation that passes, and publish: the API agrees', async () => {
    await group('Subscriptions (Microsoft Graph)').getByLabel('Client secret').fill(f.s.sandbox.clientSecret);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await page.getByRole('button', { name: 'Validate' }).click();
    await page.getByRole('status').filter({ hasText: 'Every check passed' }).waitFor();
    expect((await checksShown()).every((c) => c.endsWith('|true'))).toBe(true);
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByRole('status').filter({ hasText: 'Published' }).waitFor();
    expect(await f.api(`/profiles/${created.id}`)).toMatchObject({ status: 'published', validated: true });
  });

  it('auditing off in one environment fails its auditSettings check, with the error and what to do, until it is on', async () => {
    const primary = f.s.sandbox.tenant.requireEnvironment('primary');
    await page.getByLabel('Discovery base URL (to discover environments)').fill(f.s.sandbox.discoveryBaseUrl);
    await page.getByLabel(/^Also discover every environment/).check();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    expect(await f.api(`/profiles/${created.id}`)).toMatchObject({
      status: 'draft',
      endpoints: { discoveryBaseUrl: f.s.sandbox.discoveryBaseUrl },
      activityConnection: { discoverEnvironments: true, environmentUrls: f.s.sandbox.environmentUrls },
    });
    changeAuditSettings(primary, { isauditenabled: false }, new Date());
    try {
      const answered = page.waitForResponse((r) => r.url().endsWith(`/profiles/${created.id}/validate`));
      await page.getByRole('button', { name: 'Validate' }).click();
      const result = await (await answered).json();
      expect(result.valid).toBe(false);
      expect(await checksShown()).toEqual(result.checks.map((c: any) => `${c.name}|${c.ok}`));
      const failed = result.checks.filter((c: any) => !c.ok);
      expect(failed).toEqual([
        expect.objectContaining({ name: 'auditSettings', environmentUrl: f.s.sandbox.environmentUrl }),
      ]);
      expect(failed[0].error).toContain('isauditenabled');
      const row = page.locator(`tr[data-check="auditSettings"][data-environment="${f.s.sandbox.environmentUrl}"]`);
      await expect(row.innerText()).resolves.toContain(failed[0].error);
      await expect(row.locator('[data-field="advice"]').innerText()).resolves.toContain('turn on Start Auditing');
      await page.getByRole('button', { name: 'Publish' }).click();
      await expect(page.getByRole('alert').innerText()).resolves.toMatch(/^Could not publish: /);
    } finally {
      changeAuditSettings(primary, { isauditenabled: true }, new Date());
    }
    await page.getByRole('button', { name: 'Validate' }).click();
    await page.getByRole('status').filter({ hasText: 'Every check passed' }).waitFor();
    const environments = await page
      .locator('tr[data-check="auditSettings"]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-environment')));
    expect(environments.sort()).toEqual([...f.s.sandbox.environmentUrls].sort());
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByRole('status').filter({ hasText: 'Published' }).waitFor();
  });

  it('with several profiles, a new tab offers them by display name and opens the one chosen', async () => {
    const other = await f.browser.newPage();
    await signIn(other, f.url, KEYS.auditor);
    await other.getByRole('heading', { name: 'Choose a profile' }).waitFor();
    const names = (await f.all('/profiles')).map((p: any) => p.displayName).sort();
    const offered = await other.getByRole('main').getByRole('button').allInnerTexts();
    expect(offered.sort()).toEqual(names);
    await other.getByRole('button', { name: 'Fabrikam (typed in the console)' }).click();
    await other.getByRole('heading', { name: 'License position' }).waitFor();
    await expect(other.getByRole('banner').getByLabel('Profile').inputValue()).resolves.toBe(created.id);
    await other.close();
  });
});
