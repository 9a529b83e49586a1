import 'reflect-metadata';
import { startSandbox, type SandboxProfileBody } from '../../src/sandbox';

/** What the sandbox child reports once it listens. */
export interface SandboxInfo {
  readonly url: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly environmentUrl: string;
  readonly graphBaseUrl: string;
  readonly profileBody: SandboxProfileBody;
  readonly users: number;
  readonly assignments: number;
  readonly systemUsers: number;
  readonly auditRows: number;
  readonly generateMs: number;
}

/**
 * The sandbox tenant in a process of its own (forked by the bench), so that neither the
 * service nor the bare baseline client shares an event loop with the server it reads.
 * argv: users seed caFile. Stops when the bench disconnects.
 */
async function main(): Promise<void> {
  const [users, seed, caFile] = process.argv.slice(2);
  const started = performance.now();
  const sandbox = await startSandbox({ users: Number(users), seed: Number(seed), port: 0, caFile });
  const summary = sandbox.tenant.summary();
  const info: SandboxInfo = {
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
  };
  process.send!(info);
  const stop = (): void => void sandbox.stop().finally(() => process.exit(0));
  process.on('disconnect', stop);
  process.on('SIGTERM', stop);
}

main().catch((error) => {
  process.stderr.write(`bench sandbox: ${(error as Error).stack}\n`);
  process.exit(1);
});
