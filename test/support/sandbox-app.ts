import { startSandbox, type Sandbox, type StartSandboxOptions } from '../../src/sandbox';
import { startTestApp, type TestApp, type TestAppOptions } from './test-app';
import { freePort } from '../../scripts/support/free-port';

/** Quick retries so fault tests stay fast; the policy itself is the production one. */
export const FAST_RETRIES = { maxRetryAfterMs: 1_500, baseBackoffMs: 20, maxBackoffMs: 200, timeoutMs: 5_000 } as const;

export interface SandboxApp {
  readonly sandbox: Sandbox;
  readonly t: TestApp;
  close(): Promise<void>;
}

/** The product against its own sandbox tenant over real HTTPS, trusting the sandbox's certificate. */
export async function startSandboxApp(
  options: { sandbox?: StartSandboxOptions; app?: TestAppOptions } = {},
): Promise<SandboxApp> {
  const sandbox = await startSandbox({ users: 60, seed: 7, ...options.sandbox });
  const port = options.app?.port ?? (await freePort());
  const t = await startTestApp({
    ...options.app,
    port,
    trustedCaPems: [sandbox.caPem],
    connectors: { ...FAST_RETRIES, ...options.app?.connectors },
    env: {
      SAM_ALLOWED_ENDPOINT_HOSTS: '127.0.0.1',
      SAM_ALLOWED_WEBHOOK_HOSTS: '127.0.0.1',
      SAM_PUBLIC_URL: `http://127.0.0.1:${port}`,
      ...options.app?.env,
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

export async function until<T>(
  probe: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as T;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

export { freePort };
