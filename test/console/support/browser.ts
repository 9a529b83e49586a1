/// <reference lib="dom" />
// Code passed to page.evaluate runs in the browser: it is typed against the DOM.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/**
 * Debian's Chromium, driven by playwright-core (which downloads no browser of its own).
 * CHROMIUM_PATH overrides; without a Chromium the browser suites are skipped and say why,
 * while .ci/run installs one so CI always runs them.
 */
export const CHROMIUM: string | null = findChromium();
export const NO_CHROMIUM_REASON =
  process.env.CHROMIUM_PATH === ''
    ? 'skipped: CHROMIUM_PATH is set empty'
    : 'skipped: no Chromium found (set CHROMIUM_PATH, or `apt-get update && apt-get install -y chromium`)';

function findChromium(): string | null {
  // CHROMIUM_PATH= (set, empty) opts out, to run everything else quickly.
  if (process.env.CHROMIUM_PATH === '') return null;
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  for (const path of candidates) if (path && existsSync(path)) return path;
  try {
    return execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

/** `describe` when a Chromium is there; otherwise a skipped suite whose title and a warning give the reason. */
export function describeInBrowser(title: string, body: () => void): void {
  if (CHROMIUM) {
    describe(title, body);
    return;
  }
  process.stderr.write(`${title}: ${NO_CHROMIUM_REASON}\n`);
  describe.skip(`${title} (${NO_CHROMIUM_REASON})`, body);
}

export interface Browser {
  readonly context: BrowserContext;
  /** Uncaught errors and CSP refusals in any page of the context: a test ends by expecting none. */
  readonly errors: string[];
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

const ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** A fresh profile each time (its own user-data-dir), deleted on close. */
export async function openBrowser(options: { ignoreHTTPSErrors?: boolean } = {}): Promise<Browser> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'll-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM!,
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 900 },
    locale: 'en-US',
    acceptDownloads: true,
    ignoreHTTPSErrors: options.ignoreHTTPSErrors ?? false,
  });
  context.setDefaultTimeout(15_000);
  const errors: string[] = [];
  const watch = (page: Page) => {
    page.on('pageerror', (error) => errors.push(error.message));
    // The page's own CSP refusing something the console does is a defect, not noise.
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) errors.push(message.text());
    });
  };
  context.pages().forEach(watch);
  context.on('page', watch);
  return {
    context,
    errors,
    newPage: () => context.newPage(),
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

export async function signIn(page: Page, baseUrl: string, key: string): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('navigation', { name: 'Views' }).waitFor();
}

export async function openView(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name, exact: true }).click();
}

const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * axe-core run inside the page (its source evaluated through the DevTools protocol, which
 * the page's CSP does not govern, so the page keeps its real policy while it is checked).
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run: (context: Document, options: object) => Promise<{ violations: AxeViolation[] }> };
      }
    ).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target })),
    }));
  });
}

/** Controls (buttons, fields, links) with no accessible name at all: each one found is a defect. */
export function unnamedControls(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('button, input, select, textarea, a[href]')]
      .filter((element) => {
        const el = element as HTMLElement;
        if ((el as HTMLInputElement).type === 'hidden') return false;
        const labelled = el.getAttribute('aria-label') || el.getAttribute('aria-labelledby');
        const label = (el as HTMLInputElement).labels?.length;
        const text = (el.textContent ?? '').trim();
        return !labelled && !label && !text;
      })
      .map((el) => el.outerHTML.slice(0, 120)),
  );
}

const SERIOUS = new Set(['serious', 'critical']);

/** axe's serious and critical violations, and any about names or labels, as readable lines. */
export async function seriousOrUnnamed(page: Page): Promise<string[]> {
  const violations = await axeViolations(page);
  return violations
    .filter((v) => SERIOUS.has(v.impact ?? '') || /name|label/.test(v.id))
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}
