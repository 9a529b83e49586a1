import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const SOURCES = join(ROOT, 'console');
const VITE = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
const CONFIG = join(SOURCES, 'vite.config.mts');

/**
 * The console built from the sources as they are now, once per change: `npm test` runs no
 * `npm run build`, and a stale dist/ must never be what a test checks. Builds go to a temp
 * folder and are renamed into place, so two Jest workers building at once both end with a
 * complete copy.
 */
export function builtConsole(): string {
  const target = join(tmpdir(), `license-ledger-console-${sourceHash()}`);
  const deadline = Date.now() + 120_000;
  while (!existsSync(join(target, 'index.html'))) {
    const scratch = mkdtempSync(join(tmpdir(), 'license-ledger-console-build-'));
    try {
      execFileSync(process.execPath, [VITE, 'build', '--config', CONFIG, '--outDir', scratch, '--emptyOutDir'], {
        cwd: ROOT,
        stdio: 'pipe',
      });
      renameSync(scratch, target);
    } catch (error) {
      rmSync(scratch, { recursive: true, force: true });
      // Vite allows one build per project at a time: another worker is building the same sources.
      const busy = String((error as { stderr?: Buffer }).stderr ?? '').includes('Found another Vite build process');
      if (existsSync(join(target, 'index.html'))) break;
      if (!busy || Date.now() > deadline) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
    }
  }
  return target;
}

function sourceHash(): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else hash.update(relative(SOURCES, path)).update('\0').update(readFileSync(path)).update('\0');
    }
  };
  walk(SOURCES);
  hash.update(readFileSync(join(ROOT, 'package-lock.json')));
  return hash.digest('hex').slice(0, 16);
}
