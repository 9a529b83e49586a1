import { startEsdbFake } from './index';

/**
 * The EventStoreDB test server in a process of its own, for the bench (`scripts/bench/esdb.step.ts`
 * forks it with `-r test/support/register-ts.js`, since test/ is not built): sends
 * `{ type: 'ready', connectionString }` over IPC and stops when the parent disconnects.
 * An in-memory fake: what a client measures against it is the client and adapter, not a server.
 */
async function main(): Promise<void> {
  const fake = await startEsdbFake();
  process.send!({ type: 'ready', connectionString: fake.connectionString });
  const stop = (): void => void fake.stop().finally(() => process.exit(0));
  process.on('disconnect', stop);
  process.on('SIGTERM', stop);
}

main().catch((error) => {
  process.stderr.write(`esdb fake: ${(error as Error).stack}\n`);
  process.exit(1);
});
