import 'reflect-metadata';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { runDemo } from '../../src/demo/run-demo';
import { freePort } from '../support/free-port';

const RUNS = Number(process.env.RUNS ?? 7);

/**
 * `npm run bench:console`: how soon the console shows its first figures on the demo tenant
 * (`npm run demo`'s own, 500 users), in Debian's Chromium driven by playwright-core.
 * Each time is read in the page (`performance.now()`, from the start of the navigation) once
 * the element is there: the position table with the cost per month (the first figures), then
 * the savings, then the chart. The first load is cold (a fresh browser profile: every asset
 * fetched); the others reload the tab, as a morning's visit does. The tab holds the key as
 * after sign-in, so typing it is not timed.
 */
async function main(): Promise<void> {
  const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!existsSync(executablePath)) throw new Error(`no Chromium at ${executablePath} (set CHROMIUM_PATH)`);
  const dataDir = mkdtempSync(join(tmpdir(), 'll-console-bench-'));
  const profileDir = mkdtempSync(join(tmpdir(), 'll-console-bench-chromium-'));
  const demo = await runDemo({ port: await freePort(), dataDir, write: () => undefined });
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath,
    headless: true,
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    viewport: { width: 1280, height: 900 },
  });
  try {
    // A tab that holds the key already (as after sign-in), so the time is the console's, not the typing's.
    await context.addInitScript(`sessionStorage.setItem('license-ledger.token', ${JSON.stringify(demo.keys.admin)})`);
    const page = await context.newPage();
    const times: Timing[] = [];
    await page.goto(`${demo.url}/`);
    times.push(await timings(page, 'cold (empty cache)'));
    for (let i = 1; i < RUNS; i++) {
      await page.reload();
      times.push(await timings(page, `reload ${i}`));
    }
    report(times);
  } finally {
    await context.close();
    await demo.close();
    rmSync(profileDir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  }
}

interface Timing {
  readonly run: string;
  readonly firstFigures: number;
  readonly savings: number;
  readonly chart: number;
}

async function timings(page: Page, run: string): Promise<Timing> {
  const at = async (selector: string) => {
    await page.locator(selector).first().waitFor({ timeout: 30_000 });
    return page.evaluate(() => performance.now());
  };
  const firstFigures = Math.max(await at('tr[data-sku]'), await at('[data-figure="cost"]'));
  const savings = await at('[data-figure="found"] [data-field="lowUsage"]');
  const chart = await at('figure.chart svg polyline');
  return { run, firstFigures, savings, chart };
}

function report(times: Timing[]): void {
  const ms = (n: number) => `${Math.round(n)} ms`;
  const median = (pick: (t: Timing) => number) => {
    const sorted = times
      .slice(1)
      .map(pick)
      .sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
  };
  const lines = [
    '| load | first figures (position table, cost per month) | savings | chart |',
    '|---|---|---|---|',
    ...times.map((t) => `| ${t.run} | ${ms(t.firstFigures)} | ${ms(t.savings)} | ${ms(t.chart)} |`),
    `| median of the reloads | ${ms(median((t) => t.firstFigures))} | ${ms(median((t) => t.savings))} | ${ms(median((t) => t.chart))} |`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
