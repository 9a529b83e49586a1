import { publishedProfile, runJob } from '../../support/published-profile';
import { startSandboxApp, type SandboxApp } from '../../support/sandbox-app';
import { KEYS } from '../../support/test-app';
import { openBrowser, type Browser } from './browser';
import { builtConsole } from './console-build';

export interface ConsoleFixture {
  readonly s: SandboxApp;
  readonly url: string;
  readonly profileId: string;
  readonly browser: Browser;
  /** What the page is compared with: the API's own answer, read with the auditor key. */
  api<T = any>(path: string): Promise<T>;
  /** Every item of a list, through its pages. */
  all<T = any>(path: string): Promise<T[]>;
  close(): Promise<void>;
}

/**
 * The service (with the console built from the current sources) against the sandbox tenant,
 * a published profile whose two jobs have run, and a fresh Chromium.
 */
export async function startConsoleFixture(
  options: { users?: number; runJobs?: boolean } = {},
): Promise<ConsoleFixture> {
  const consoleDir = builtConsole();
  const s = await startSandboxApp({ sandbox: { users: options.users ?? 60 }, app: { consoleDir } });
  const profileId = await publishedProfile(s, { displayName: 'Contoso (console test)' });
  if (options.runJobs !== false) {
    await runJob(s, profileId, 'download-subscriptions');
    await runJob(s, profileId, 'refresh-activity');
  }
  const browser = await openBrowser();
  const api = async (path: string) => {
    const response = await s.t.as('auditor').get(`/api/v1${path}`);
    if (response.status !== 200) throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  };
  return {
    s,
    url: s.t.url,
    profileId,
    browser,
    api,
    async all(path: string) {
      const items: any[] = [];
      let cursor: string | null = null;
      do {
        const sep = path.includes('?') ? '&' : '?';
        const page = await api(`${path}${sep}limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        items.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      return items;
    },
    async close() {
      await browser.close();
      await s.close();
    },
  };
}

export { KEYS };
