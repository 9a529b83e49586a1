import 'reflect-metadata';
import { runDemo } from '../src/demo/run-demo';

/**
 * `npm run demo`: the sandbox tenant and the service on the embedded store, a profile
 * published and both jobs run, the license report printed; then it keeps serving until
 * Ctrl+C. `npm run demo -- --once` exits 0 after the report; `--users N` sizes the
 * sandbox tenant (default 500), `--data-dir` moves its files (default ./data/demo).
 */
async function main(): Promise<void> {
  const once = process.argv.includes('--once');
  const users = flag('--users');
  const dataDir = flag('--data-dir');
  const demo = await runDemo({ ...(users ? { users: Number(users) } : {}), ...(dataDir ? { dataDir } : {}) });
  if (once) {
    await demo.close();
    return;
  }
  process.stdout.write('Serving; press Ctrl+C to stop.\n');
  const stop = () => void demo.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

main().catch((error) => {
  process.stderr.write(`demo failed: ${(error as Error).message}\n`);
  process.exit(1);
});
