import { publishedProfile, runJob } from '../../support/published-profile';
import { startSandbox, type StartSandboxOptions } from '../../../src/sandbox';
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
  options: {
    users?: number;
    runJobs?: boolean;
    entraSignIn?: boolean;
    /** The sandbox's scenario (e.g. `realistic`: gaps, integrations, lapsed units, several environments). */
    sandbox?: Omit<StartSandboxOptions, 'users' | 'seed'>;
    /** The profile reads every environment of the sandbox (environmentUrls), not only the primary one. */
    allEnvironments?: boolean;
  } = {},
): Promise<ConsoleFixture> {
  const consoleDir = builtConsole();
  const s = await startSandboxAndService(consoleDir, options);
  const profileId = options.allEnvironments
    ? await publishedAllEnvironments(s)
    : await publishedProfile(s, { displayName: 'Contoso (console test)' });
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
  options: { users?: number; entraSignIn?: boolean; sandbox?: Omit<StartSandboxOptions, 'users' | 'seed'> },
): Promise<SandboxApp> {
  const sandbox = await startSandbox({ ...options.sandbox, users: options.users ?? 60, seed: 7 });
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

/** As publishedProfile, with `activityConnection.environmentUrls` naming every environment of the sandbox. */
async function publishedAllEnvironments(s: SandboxApp): Promise<string> {
  const { environmentUrl: _primary, ...activity } = s.sandbox.profileBody().activityConnection;
  const body = {
    ...s.sandbox.profileBody({ displayName: 'Contoso (console test)' }),
    activityConnection: { ...activity, environmentUrls: [...s.sandbox.environmentUrls] },
  };
  const admin = s.t.as('admin');
  const created = await admin.post('/api/v1/profiles').send(body);
  if (created.status !== 201) throw new Error(`create failed: ${JSON.stringify(created.body)}`);
  const validated = await admin.post(`/api/v1/profiles/${created.body.id}/validate`);
  if (!validated.body.valid) throw new Error(`validation failed: ${JSON.stringify(validated.body)}`);
  await admin.post(`/api/v1/profiles/${created.body.id}/publish`).expect(200);
  return created.body.id;
}

export { KEYS };
