import { resolve } from 'node:path';
import { startSandbox } from '../src/sandbox';
import { parseSandboxArgs, SANDBOX_USAGE, type CliOptions } from '../src/sandbox/cli-options';

/**
 * `npm run sandbox -- [--users 5000] [--port 8443] [--seed 1] [--realistic] ...`: the sandbox tenant on
 * its own, for trying the service by hand (`--help` lists every flag). Prints the environment the
 * service needs and a ready create-profile body; Ctrl+C stops it.
 */
async function main(): Promise<void> {
  let args: CliOptions;
  try {
    args = parseSandboxArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${SANDBOX_USAGE}`);
    process.exit(2);
  }
  if (args.help) {
    process.stdout.write(SANDBOX_USAGE);
    return;
  }
  const caFile = resolve('data', 'sandbox-ca.pem');
  const sandbox = await startSandbox({ ...args, caFile });
  const summary = sandbox.tenant.summary();
  const out = (line = ''): boolean => process.stdout.write(`${line}\n`);
  out(`License Ledger sandbox tenant on ${sandbox.url}`);
  out(
    `  tenant ${sandbox.tenantId}: ${summary.users} users, ${summary.skus.length} SKUs, ${summary.systemUsers} systemusers, ${summary.auditRows} audit rows (seed ${args.seed})`,
  );
  out(`  control API: ${sandbox.url}/_sandbox (faults, mutations, request counts, GET /_sandbox/truth)`);
  if (sandbox.environmentUrls.length > 1) out(`  environments: ${sandbox.environmentUrls.join(', ')}`);
  out(`  discovery base: ${sandbox.discoveryBaseUrl}`);
  out();
  out('Environment for the service:');
  out(`  SAM_ALLOWED_ENDPOINT_HOSTS=${new URL(sandbox.url).hostname}`);
  out(`  NODE_EXTRA_CA_CERTS=${caFile}`);
  out();
  out('Create-profile body (POST /api/v1/profiles):');
  out(JSON.stringify(sandbox.profileBody(), null, 2));
  out();
  out('Press Ctrl+C to stop.');

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void sandbox.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`sandbox failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
