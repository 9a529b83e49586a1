import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

function start(env: Record<string, string>) {
  return spawnSync(process.execPath, ['-r', './test/support/register-ts.js', 'src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('the service process refuses a bad configuration', () => {
  it('without API keys: exits 1 with one line naming SAM_API_KEYS', () => {
    const result = start({});
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      'license-ledger: configuration error: SAM_API_KEYS: is required: comma-separated role:key pairs, roles admin|auditor|consumer',
    ]);
  });

  it('with a bad port: exits 1 naming PORT', () => {
    const result = start({ SAM_API_KEYS: 'admin:0123456789abcdef0123', PORT: '-1' });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe('license-ledger: configuration error: PORT: "-1" is not a whole number');
  });
});
