import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config/config';
import { buildOpenApiDocument } from '../src/http/openapi/openapi-document';

/**
 * `npm run lint:openapi` (part of `npm run lint`): builds the service's OpenAPI document the way
 * /docs-json serves it, without listening or touching a data file, and lints it with Redocly
 * under the committed ruleset (redocly.yaml). `--out FILE` also keeps the document.
 */
async function main(): Promise<number> {
  const out = process.argv.indexOf('--out');
  const app = await createApp({
    config: loadConfig({
      SAM_API_KEYS: `admin:${randomBytes(24).toString('hex')}`,
      SAM_SECRET_KEY: randomBytes(32).toString('base64'),
      SAM_SQLITE_PATH: ':memory:',
      SAM_SCHEDULER: 'off',
      SAM_LOG_LEVEL: 'silent',
      SAM_DOCS: 'off',
    }),
  });
  const dir = mkdtempSync(join(tmpdir(), 'll-openapi-'));
  try {
    const file = out > 0 ? resolve(process.argv[out + 1]!) : join(dir, 'openapi.json');
    writeFileSync(file, `${JSON.stringify(buildOpenApiDocument(app), null, 2)}\n`);
    const root = resolve(__dirname, '..');
    const lint = spawnSync(
      process.execPath,
      [join(root, 'node_modules/@redocly/cli/bin/cli.js'), 'lint', file, '--config', join(root, 'redocly.yaml')],
      {
        stdio: 'inherit',
        // Offline and quiet: no telemetry, no update check.
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      },
    );
    return lint.status ?? 1;
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`openapi lint failed: ${(error as Error).stack}\n`);
    process.exit(1);
  },
);
