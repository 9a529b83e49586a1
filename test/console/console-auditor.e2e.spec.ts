import type { Page } from 'playwright-core';
import { describeInBrowser, openView, signIn } from './support/browser';
import { KEYS, startConsoleFixture, type ConsoleFixture } from './support/console-fixture';

/** Roles are the API's: an auditor sees every figure and has no command control; a consumer sees no tenant data. */
describeInBrowser('the web console for an auditor', () => {
  let f: ConsoleFixture;
  let page: Page;
  const changes: string[] = [];
  beforeAll(async () => {
    f = await startConsoleFixture();
    page = await f.browser.newPage();
    page.on('request', (r) => r.method() !== 'GET' && changes.push(`${r.method()} ${r.url()}`));
    await signIn(page, f.url, KEYS.auditor);
  }, 120_000);
  afterAll(() => f?.close());
  afterEach(() => expect(f.browser.errors).toEqual([]));

  const buttons = (name: string | RegExp) => page.getByRole('main').getByRole('button', { name });

  it('says who is signed in and that it is read only', async () => {
    await expect(page.getByRole('banner').innerText()).resolves.toContain('auditor (read only)');
  });

  it('sees the position as the API has it', async () => {
    const answer = await f.api(`/profiles/${f.profileId}/license-position?limit=1000`);
    await page.locator('tr[data-sku]').first().waitFor();
    expect(await page.locator('tr[data-sku]').count()).toBe(answer.items.length);
  });

  it('sees every low-usage candidate, with no dry run and no reclaim', async () => {
    await openView(page, 'Low usage');
    const items = await f.all(`/profiles/${f.profileId}/low-usage`);
    await page.locator('tr[data-upn]').first().waitFor();
    expect(await page.locator('tr[data-upn]').count()).toBe(items.length);
    expect(await buttons('Dry run').count()).toBe(0);
    expect(await buttons('Reclaim').count()).toBe(0);
  });

  it('sees the jobs and their runs, and cannot run one', async () => {
    await openView(page, 'Jobs');
    await page.locator('tr[data-run]').first().waitFor();
    expect(await buttons(/run/i).count()).toBe(0);
  });

  it('sees the profile’s settings, disabled, with no validate, publish or save', async () => {
    await openView(page, 'Profiles');
    await expect(page.getByLabel('Display name').isDisabled()).resolves.toBe(true);
    for (const name of ['Validate', 'Publish', 'Save changes', 'New profile'])
      expect(await buttons(name).count()).toBe(0);
  });

  it('may still download an export (a read)', async () => {
    await openView(page, 'Exports');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('li[data-dataset="low-usage"]').getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^low-usage_.*\.csv$/);
  });

  it('sent no command while looking around', () => {
    expect(changes).toEqual([]);
  });

  it('a consumer key signs in to no tenant data: the event log is all it may read', async () => {
    const other = await f.browser.newPage();
    await other.goto(`${f.url}/`);
    await other.evaluate(() => sessionStorage.clear());
    await other.reload();
    await other.getByLabel('API key').fill(KEYS.consumer);
    await other.getByRole('button', { name: 'Sign in' }).click();
    await other.getByRole('heading', { name: 'Event log only' }).waitFor();
    expect(await other.locator('table').count()).toBe(0);
    expect(await other.content()).not.toContain('Contoso (console test)');
    await other.close();
  });
});
