import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config/config';

/**
 * `npm run demo`: the service on the embedded store with freshly generated API keys.
 * (The sandbox tenant, the profile and the license report arrive with the jobs.)
 */
async function main(): Promise<void> {
  const once = process.argv.includes('--once');
  const keys = { admin: randomBytes(18).toString('base64url'), auditor: randomBytes(18).toString('base64url'), consumer: randomBytes(18).toString('base64url') };
  const config = loadConfig({
    ...process.env,
    SAM_API_KEYS: `admin:${keys.admin},auditor:${keys.auditor},consumer:${keys.consumer}`,
    SAM_SQLITE_PATH: process.env.SAM_SQLITE_PATH ?? './data/demo.sqlite',
    SAM_LOG_LEVEL: process.env.SAM_LOG_LEVEL ?? 'warn',
  });
  const app = await createApp({ config });
  await app.listen(config.port, config.host);
  const url = `http://${config.host}:${config.port}`;
  process.stdout.write(
    [
      'License Ledger is running on the embedded SQLite store.',
      `  API:      ${url}/api/v1   (OpenAPI UI: ${url}/docs)`,
      `  admin:    ${keys.admin}`,
      `  auditor:  ${keys.auditor}`,
      `  consumer: ${keys.consumer}`,
      'Still to come in the demo: the sandbox tenant, a published profile, both jobs and the license report.',
      '',
    ].join('\n'),
  );
  if (once) await app.close();
  else app.enableShutdownHooks(['SIGINT', 'SIGTERM']);
}

main().catch((error) => {
  process.stderr.write(`demo failed: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
