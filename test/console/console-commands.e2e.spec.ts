import type { Page } from 'playwright-core';
import { until } from '../support/sandbox-app';
import { describeInBrowser, openView, signIn } from './support/browser';
import { KEYS, startConsoleFixture, type ConsoleFixture } from './support/console-fixture';

/** An admin's commands from the console: a reclaim from dry run to confirmation, and a job run followed live. */
describeInBrowser('the web console’s commands', () => {
  let f: ConsoleFixture;
  let page: Page;
  beforeAll(async () => {
    f = await startConsoleFixture();
    page = await f.browser.newPage();
    await signIn(page, f.url, KEYS.admin);
  }, 120_000);
  afterAll(() => f?.close());
  afterEach(() => expect(f.browser.errors).toEqual([]));

  const holds = async (userId: string, sku: string) =>
    (await f.all(`/profiles/${f.profileId}/subscriptions?userId=${userId}`)).some((s: any) => s.skuPartNumber === sku);

  it('reclaims a low-usage license: dry run in words, then a confirmation, then the API shows it gone', async () => {
    const [lowUsage, subscriptions] = await Promise.all([
      f.all(`/profiles/${f.profileId}/low-usage`),
      f.all(`/profiles/${f.profileId}/subscriptions`),
    ]);
    const direct = new Set(
      subscriptions.filter((s: any) => s.assignedVia === 'direct').map((s: any) => `${s.userId}|${s.skuPartNumber}`),
    );
    const target = lowUsage.find((i: any) => direct.has(`${i.userId}|${i.skuPartNumber}`));
    expect(target).toBeDefined();
    await openView(page, 'Low usage');
    const row = page.locator(`tr[data-upn="${target.userPrincipalName}"]`).filter({ hasText: target.skuPartNumber });

    await row.getByRole('button', { name: 'Dry run' }).click();
    const said = await row.getByRole('status').innerText();
    expect(said).toContain(`would reclaim ${target.skuPartNumber} from ${target.userPrincipalName}`);
    expect(await holds(target.userId, target.skuPartNumber)).toBe(true);

    await row.getByRole('button', { name: 'Reclaim' }).click();
    const dialog = page.getByRole('dialog', { name: 'Reclaim this license?' });
    await expect(dialog.innerText()).resolves.toContain(target.userPrincipalName);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await holds(target.userId, target.skuPartNumber)).toBe(true);

    await row.getByRole('button', { name: 'Reclaim' }).click();
    await dialog.getByRole('button', { name: 'Reclaim license' }).click();
    const outcome = page.locator('[data-outcome="changed"]');
    await expect(outcome.innerText()).resolves.toMatch(/^Reclaimed: /);
    const reclamations = await f.all(`/profiles/${f.profileId}/reclamations`);
    expect(reclamations).toContainEqual(
      expect.objectContaining({ userId: target.userId, skuPartNumber: target.skuPartNumber, status: 'reclaimed' }),
    );
    await until(async () => !(await holds(target.userId, target.skuPartNumber)));
    // Microsoft's side (the sandbox tenant's Graph) no longer assigns it either.
    const user = f.s.sandbox.tenant.directory.findUser(target.userId)!;
    expect(user.licenses.some((l) => l.skuId === target.skuId)).toBe(false);
  });

  it('runs a job and follows it live through the event stream until the API says it succeeded', async () => {
    await openView(page, 'Jobs');
    await page.getByRole('status').filter({ hasText: 'Live: runs update as they happen' }).waitFor();
    const before = new Set(
      await page.locator('tr[data-run]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-run'))),
    );
    await page
      .getByRole('table', { name: 'Scheduled jobs' })
      .locator('tr', { hasText: 'download-subscriptions' })
      .getByRole('button', { name: 'Run now' })
      .click();
    const fresh = page.locator('tr[data-run]').first();
    await until(async () => {
      const id = await fresh.getAttribute('data-run');
      return id !== null && !before.has(id);
    });
    const runId = (await fresh.getAttribute('data-run'))!;
    // No reload and no polling: only the stream's events can move the row on to succeeded.
    await page.locator(`tr[data-run="${runId}"][data-status="succeeded"]`).waitFor({ timeout: 60_000 });
    const run = await f.api(`/job-runs/${runId}`);
    expect(run).toMatchObject({ status: 'succeeded', job: 'download-subscriptions' });
    await expect(page.locator(`tr[data-run="${runId}"]`).innerText()).resolves.toContain(
      `${run.progress.phase}: ${new Intl.NumberFormat('en-US').format(run.progress.done)}`,
    );
  });
});
