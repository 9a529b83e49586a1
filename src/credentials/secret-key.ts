import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tighten } from '../storage/file-modes';

/**
 * The key that encrypts stored client secrets and refresh tokens. SAM_SECRET_KEY wins;
 * with the embedded store and no key, one is generated once into `secret.key` beside
 * the database, readable only by its owner (mode 0600, also enforced on an existing file),
 * and reused on every start.
 */
export function resolveSecretKey(
  configured: Buffer | null,
  sqlitePath: string,
): { key: Buffer; source: string; warning?: string } {
  if (configured) return { key: configured, source: 'SAM_SECRET_KEY' };
  if (sqlitePath === ':memory:') return { key: randomBytes(32), source: 'ephemeral (in-memory database)' };
  const file = join(dirname(sqlitePath), 'secret.key');
  if (existsSync(file)) {
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length !== 32) throw new Error(`${file} does not hold base64 of 32 bytes`);
    // A key file written by hand or by an older version may be readable by others.
    const warning = tighten(file);
    return warning ? { key, source: file, warning } : { key, source: file };
  }
  writeFileSync(file, randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return { key: Buffer.from(readFileSync(file, 'utf8').trim(), 'base64'), source: `${file} (generated)` };
}
