import type { Page } from 'playwright-core';
import { until } from '../support/sandbox-app';
import { ROUTE_NAMES } from './support/routes';
import {
  axeViolations,
  describeInBrowser,
  openView,
  signIn,
  unnamedControls,
  type AxeViolation,
} from './support/browser';
import { KEYS, startConsoleFixture, type ConsoleFixture } from './support/console-fixture';

const SERIOUS = new Set(['serious', 'critical']);
const summary = (violations: AxeViolation[]) =>
  violations.map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);

/** axe-core in the page on every view: no serious violation, and every control has a name. */
describeInBrowser('the web console’s accessibility', () => {
  let f: ConsoleFixture;
  let page: Page;
  beforeAll(async () => {
    // The realistic tenant, so that every part of every view has content: gaps, lapsed units, integrations.
    f = await startConsoleFixture({ sandbox: { realistic: true }, allEnvironments: true });
    page = await f.browser.newPage();
  }, 120_000);
  afterAll(() => f?.close());
  afterEach(() => expect(f.browser.errors).toEqual([]));

  /** Every part of the view has its answer (nothing still says it is loading). */
  const settle = () =>
    until(async () => (await page.locator('[role="status"]', { hasText: /^Loading/ }).count()) === 0);

  it('the sign-in page', async () => {
    await page.goto(`${f.url}/`);
    await page.getByLabel('API key').waitFor();
    expect(summary((await axeViolations(page)).filter((v) => SERIOUS.has(v.impact ?? '')))).toEqual([]);
    expect(await unnamedControls(page)).toEqual([]);
  });

  it.each(ROUTE_NAMES)('%s', async (view) => {
    if (!(await page.getByRole('navigation', { name: 'Views' }).count())) await signIn(page, f.url, KEYS.admin);
    await openView(page, view);
    await settle();
    const violations = await axeViolations(page);
    expect(summary(violations.filter((v) => SERIOUS.has(v.impact ?? '')))).toEqual([]);
    expect(summary(violations.filter((v) => /name|label/.test(v.id)))).toEqual([]);
    expect(await unnamedControls(page)).toEqual([]);
  });
});
