import { publishedProfile, runJob } from '../../support/published-profile';
import { startSandbox } from '../../../src/sandbox';
import { FAST_RETRIES, freePort, type SandboxApp } from '../../support/sandbox-app';
import { KEYS, startTestApp } from '../../support/test-app';
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
  options: { users?: number; runJobs?: boolean; entraSignIn?: boolean } = {},
): Promise<ConsoleFixture> {
  const consoleDir = builtConsole();
  const s = await startSandboxAndService(consoleDir, options);
  const profileId = await publishedProfile(s, { displayName: 'Contoso (console test)' });
  if (options.runJobs !== false) {
    await runJob(s, profileId, 'download-subscriptions');
    await runJob(s, profileId, 'refresh-activity');
  }
  // The sandbox's Entra speaks https with its own CA, which only the service trusts.
  const browser = await openBrowser({ ignoreHTTPSErrors: options.entraSignIn === true });
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

/** As startSandboxApp, and with the sandbox's app registration as the console's own sign-in app when asked. */
async function startSandboxAndService(
  consoleDir: string,
  options: { users?: number; entraSignIn?: boolean },
): Promise<SandboxApp> {
  const sandbox = await startSandbox({ users: options.users ?? 60, seed: 7 });
  const port = await freePort();
  const t = await startTestApp({
    port,
    consoleDir,
    trustedCaPems: [sandbox.caPem],
    connectors: FAST_RETRIES,
    env: {
      SAM_ALLOWED_ENDPOINT_HOSTS: '127.0.0.1',
      SAM_ALLOWED_WEBHOOK_HOSTS: '127.0.0.1',
      SAM_PUBLIC_URL: `http://127.0.0.1:${port}`,
      ...(options.entraSignIn
        ? {
            SAM_ENTRA_SIGN_IN_AUTHORITY_HOST: sandbox.authorityHost,
            SAM_ENTRA_SIGN_IN_TENANT_ID: sandbox.tenantId,
            SAM_ENTRA_SIGN_IN_CLIENT_ID: sandbox.tenant.app.clientId,
            SAM_ENTRA_SIGN_IN_CLIENT_SECRET: sandbox.tenant.app.clientSecret,
          }
        : {}),
    },
  });
  return {
    sandbox,
    t,
    async close() {
      await t.close();
      await sandbox.stop();
    },
  };
}

export { KEYS };
