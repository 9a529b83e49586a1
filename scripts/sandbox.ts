import { resolve } from 'node:path';
import { startSandbox } from '../src/sandbox';

/**
 * `npm run sandbox -- [--users 5000] [--port 8443] [--seed 1] [--host 127.0.0.1]`: the sandbox
 * tenant on its own, for trying the service by hand. Prints the environment the service needs
 * and a ready create-profile body; Ctrl+C stops it.
 */
interface Args {
  users: number;
  port: number;
  seed: number;
  host: string;
}

const USAGE = 'usage: node dist/scripts/sandbox.js [--users N] [--port N] [--seed N] [--host ADDRESS]';

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { users: 5000, port: 8443, seed: 1, host: '127.0.0.1' };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === '--host') args.host = value;
    else if (flag === '--users' || flag === '--port' || flag === '--seed') {
      const number = Number(value);
      if (!Number.isInteger(number) || number < 0) throw new Error(`${flag} must be a whole number, got '${value}'`);
      args[flag.slice(2) as 'users' | 'port' | 'seed'] = number;
    } else throw new Error(`unknown option ${flag}`);
  }
  if (args.users < 1) throw new Error('--users must be at least 1');
  return args;
}

async function main(): Promise<void> {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
  const caFile = resolve('data', 'sandbox-ca.pem');
  const sandbox = await startSandbox({ users: args.users, seed: args.seed, port: args.port, host: args.host, caFile });
  const summary = sandbox.tenant.summary();
  const out = (line = ''): boolean => process.stdout.write(`${line}\n`);
  out(`License Ledger sandbox tenant on ${sandbox.url}`);
  out(
    `  tenant ${sandbox.tenantId}: ${summary.users} users, ${summary.skus.length} SKUs, ${summary.systemUsers} systemusers, ${summary.auditRows} audit rows (seed ${args.seed})`,
  );
  out(`  control API: ${sandbox.url}/_sandbox (faults, mutations, request counts)`);
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
