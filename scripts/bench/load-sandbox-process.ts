import 'reflect-metadata';
import { startSandbox, type LatencySpec, type SandboxLoadStats } from '../../src/sandbox';
import type { SandboxInfo } from './sandbox-process';

/** What the bench asks of this sandbox: the tenant, and the realism options of issue 14. */
export interface LoadSandboxOptions {
  readonly users: number;
  readonly seed: number;
  readonly caFile: string;
  readonly latency?: LatencySpec;
  readonly throttling?: boolean;
  readonly dynamicsLicensedShare?: number;
}

export interface LoadSandboxInfo extends SandboxInfo {
  /** The Dynamics and Power Platform SKUs of the tenant (what a profile tracks), for the filtered read. */
  readonly trackedSkuIds: readonly string[];
  readonly licensedUsers: number;
}

/** Answer to `{ type: 'stats' }`: the latency handed out, the 429s, and the requests per route. */
export interface LoadSandboxStats extends SandboxLoadStats {
  readonly requests: number;
  readonly routes: Record<string, number>;
}

/**
 * Like sandbox-process.ts (the sandbox in a process of its own), with latency, throttling and the
 * share of licensed users; argv: the options as JSON. Answers `{ type: 'stats' }` over IPC.
 */
async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2]!) as LoadSandboxOptions;
  const started = performance.now();
  const sandbox = await startSandbox({
    users: options.users,
    seed: options.seed,
    port: 0,
    caFile: options.caFile,
    ...(options.latency ? { latency: options.latency } : {}),
    ...(options.throttling ? { throttling: true } : {}),
    ...(options.dynamicsLicensedShare !== undefined ? { dynamicsLicensedShare: options.dynamicsLicensedShare } : {}),
  });
  const summary = sandbox.tenant.summary();
  const tracked = sandbox.tenant.directory.subscriptions
    .filter((subscription) => ['dynamics', 'power', 'unlisted'].includes(subscription.sku.family))
    .map((subscription) => subscription.sku.skuId.toLowerCase());
  const trackedSet = new Set(tracked);
  const info: LoadSandboxInfo = {
    url: sandbox.url,
    tenantId: sandbox.tenantId,
    clientId: sandbox.clientId,
    clientSecret: sandbox.clientSecret,
    environmentUrl: sandbox.environmentUrl,
    graphBaseUrl: sandbox.graphBaseUrl,
    profileBody: sandbox.profileBody({ displayName: 'Bench tenant' }),
    users: summary.users,
    assignments: summary.skus.reduce((n, s) => n + s.consumedUnits, 0),
    systemUsers: summary.systemUsers,
    auditRows: summary.auditRows,
    generateMs: performance.now() - started,
    trackedSkuIds: [...trackedSet],
    licensedUsers: sandbox.tenant.directory.users.filter((user) =>
      user.licenses.some((license) => trackedSet.has(license.skuId.toLowerCase())),
    ).length,
  };
  process.send!({ type: 'info', info });
  process.on('message', (message: { type?: string }) => {
    if (message.type !== 'stats') return;
    const stats: LoadSandboxStats = {
      ...sandbox.loadStats(),
      requests: Object.values(sandbox.requestCounts()).reduce((sum, n) => sum + n, 0),
      routes: sandbox.requestCounts(),
    };
    process.send!({ type: 'stats', stats });
  });
  const stop = (): void => void sandbox.stop().finally(() => process.exit(0));
  process.on('disconnect', stop);
  process.on('SIGTERM', stop);
}

main().catch((error) => {
  process.stderr.write(`bench load sandbox: ${(error as Error).stack}\n`);
  process.exit(1);
});
