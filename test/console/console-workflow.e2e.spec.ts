import type { Page } from 'playwright-core';
import { ReclamationWorkflow } from '../../src/reclamation/reclamation-workflow';
import { until } from '../support/sandbox-app';
import { startWebhookReceiver } from '../support/webhook-receiver';
import { describeInBrowser, openView, signIn } from './support/browser';
import { KEYS, startConsoleFixture, type ConsoleFixture } from './support/console-fixture';

const SECRET = 'whsec-0123456789abcdef-console';
const SKU = 'DYN365_ENTERPRISE_SALES';

/** The reclamation workflow from the Low usage view: keep on the user's behalf, then approve or reject. */
describeInBrowser('the web console and the reclamation workflow', () => {
  let f: ConsoleFixture;
  let hook: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let page: Page;
  const reclamations = () => f.all(`/profiles/${f.profileId}/reclamations`);
  beforeAll(async () => {
    hook = await startWebhookReceiver(SECRET);
    f = await startConsoleFixture();
    const admin = f.s.t.as('admin');
    await admin
      .patch(`/api/v1/profiles/${f.profileId}`)
      .send({ notifications: { webhookUrl: hook.url, webhookSecret: SECRET } });
    const rules = await f.all(`/profiles/${f.profileId}/reclamation-rules`);
    const rule = rules.find((r: { skuPartNumber: string }) => r.skuPartNumber === SKU);
    await admin
      .patch(`/api/v1/profiles/${f.profileId}/reclamation-rules/${rule.id}`)
      .send({ notify: true, graceDays: 2 });
    await f.s.t.app.get(ReclamationWorkflow).tick();
    page = await f.browser.newPage();
    await signIn(page, f.url, KEYS.admin);
    await openView(page, 'Low usage');
  }, 120_000);
  afterAll(async () => {
    await f?.close();
    await hook?.close();
  });
  afterEach(() => expect(f.browser.errors).toEqual([]));

  const rowOf = (r: { userPrincipalName: string }) =>
    page.locator(`tr[data-upn="${r.userPrincipalName}"]`).filter({ hasText: SKU });

  it('shows where each open reclamation stands, as the API does', async () => {
    const open = (await reclamations()).filter((r: any) => r.status === 'awaiting-user');
    expect(open.length).toBeGreaterThanOrEqual(2);
    for (const r of open) await expect(rowOf(r).locator('.badge').innerText()).resolves.toBe('awaiting-user');
  });

  /** The outcome the page reports for the target, once it names a status other than `previous`. */
  const reported = async (target: { userPrincipalName: string }, previous: string) => {
    const outcome = page.locator('[data-outcome="changed"]', { hasText: target.userPrincipalName });
    await until(async () => {
      const text = (await outcome.count()) > 0 ? await outcome.innerText() : '';
      return /now \S+/.test(text) && !text.includes(`now ${previous}`);
    });
    return /now (\S+)/.exec(await outcome.innerText())![1];
  };

  it('keeps a license on the user’s behalf, then an admin approves: the API agrees at each step', async () => {
    const [target] = (await reclamations()).filter((r: any) => r.status === 'awaiting-user');
    await rowOf(target).getByRole('button', { name: 'Keep' }).click();
    expect(await reported(target, 'awaiting-user')).toBe('awaiting-approval');
    expect((await f.api(`/profiles/${f.profileId}/reclamations/${target.id}`)).status).toBe('awaiting-approval');

    await rowOf(target).getByRole('button', { name: 'Approve keep' }).click();
    const shown = await reported(target, 'awaiting-approval');
    expect((await f.api(`/profiles/${f.profileId}/reclamations/${target.id}`)).status).toBe(shown);
    expect(shown).toBe('cancelled');
  });

  it('rejects a keep request: the page says what the API recorded, and the workflow then reclaims', async () => {
    const [target] = (await reclamations()).filter((r: any) => r.status === 'awaiting-user');
    await rowOf(target).getByRole('button', { name: 'Keep' }).click();
    expect(await reported(target, 'awaiting-user')).toBe('awaiting-approval');
    // The workflow runs on its own timer too and may reclaim at any moment after the
    // rejection, so the page is held to what the API answered the rejection with.
    const answered = page.waitForResponse((r) => r.url().endsWith(`/reclamations/${target.id}/reject`));
    await rowOf(target).getByRole('button', { name: 'Reject keep' }).click();
    const recorded = await (await answered).json();
    expect(recorded.detail).toContain('keep rejected');
    const outcome = page.locator('[data-outcome="changed"]', { hasText: 'keep rejected' });
    expect(await outcome.innerText()).toContain(`now ${recorded.status} (${recorded.detail})`);
    await f.s.t.app.get(ReclamationWorkflow).tick();
    // The whole reclamation on a mismatch: its detail says why it did not end reclaimed.
    expect(await f.api(`/profiles/${f.profileId}/reclamations/${target.id}`)).toMatchObject({ status: 'reclaimed' });
  });
});
