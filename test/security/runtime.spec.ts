import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');
const pkg = JSON.parse(read('package.json')) as {
  engines: { node: string };
  allowScripts: Record<string, boolean>;
  license: string;
};

/** Whether a Node version satisfies the `engines` range (only the forms it uses: ^a.b.c and >=a.b.c, joined by ||). */
function allows(range: string, version: string): boolean {
  const [major, minor, patch] = version.split('.').map(Number) as [number, number, number];
  const atLeast = (v: string) => {
    const [a, b, c] = v.split('.').map(Number) as [number, number, number];
    return major !== a ? major > a : minor !== b ? minor > b : patch >= c;
  };
  return range.split('||').some((part) => {
    const p = part.trim();
    if (p.startsWith('^')) return atLeast(p.slice(1)) && major === Number(p.slice(1).split('.')[0]);
    if (p.startsWith('>=')) return atLeast(p.slice(2));
    throw new Error(`engines form not understood: ${p}`);
  });
}

/** Files and the runtime (issue 13, point 6): what the repository promises whoever installs or deploys it. */
describe('the runtime the repository declares', () => {
  it('engines: Node 20 (this machine, CI) and the LTS lines from 22 on; not Node 21 or an old 20', () => {
    expect(allows(pkg.engines.node, process.versions.node)).toBe(true);
    for (const ok of ['20.19.0', '22.12.0', '24.21.0', '26.1.0'])
      expect([ok, allows(pkg.engines.node, ok)]).toEqual([ok, true]);
    for (const no of ['18.20.0', '20.10.0', '21.7.0', '22.3.0'])
      expect([no, allows(pkg.engines.node, no)]).toEqual([no, false]);
  });

  it('the image runs a pinned Node LTS of 22 or later, in both stages', () => {
    const froms = [...read('Dockerfile').matchAll(/^FROM node:(\d+)\.(\d+)\.(\d+)-[\w-]+/gm)];
    expect(froms.length).toBe(2);
    for (const [, major] of froms) expect(Number(major) >= 22 && Number(major) % 2 === 0).toBe(true);
    expect(read('Dockerfile')).toContain('npm ci --strict-allow-scripts');
  });

  it('every dependency with an install script is approved or denied in allowScripts, and only better-sqlite3 runs one', () => {
    const lock = JSON.parse(read('package-lock.json')) as {
      packages: Record<string, { hasInstallScript?: boolean }>;
    };
    const withScripts = Object.entries(lock.packages)
      .filter(([, p]) => p.hasInstallScript)
      .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));
    expect(withScripts.filter((name) => !(name in pkg.allowScripts))).toEqual([]);
    expect(Object.entries(pkg.allowScripts).filter(([, allowed]) => allowed)).toEqual([['better-sqlite3', true]]);
  });

  it('compose pins its images, keeps EventStoreDB on loopback, checks health and sets SAM_PUBLIC_URL', () => {
    const compose = read('docker-compose.yml');
    for (const [, image] of compose.matchAll(/^\s*image:\s*(\S+)/gm)) expect(image).toMatch(/:\d+\.\d+\.\d+$/);
    expect(compose).toMatch(/'127\.0\.0\.1:2113:2113'/);
    expect(compose).toContain('healthcheck:');
    expect(compose).toContain('SAM_PUBLIC_URL:');
  });

  it('has a permissive LICENSE matching package.json, and a SECURITY.md saying how to report', () => {
    expect(pkg.license).toBe('MIT');
    expect(read('LICENSE')).toMatch(/^MIT License/);
    expect(existsSync(join(ROOT, 'SECURITY.md'))).toBe(true);
    expect(read('SECURITY.md')).toMatch(/Reporting a vulnerability/);
  });
});
