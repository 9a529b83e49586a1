import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { startTestApp, type TestApp } from '../support/test-app';
import { builtConsole } from './support/console-build';

/** The console is served by the service itself: from this origin only, cacheable, and small. */
describe('the web console is served at /', () => {
  let t: TestApp;
  let consoleDir: string;
  beforeAll(async () => {
    consoleDir = builtConsole();
    t = await startTestApp({ consoleDir });
  });
  afterAll(() => t.close());

  it('answers GET / without a key: HTML with a title, a main and a CSP allowing only this origin', async () => {
    const response = await t.anonymous().get('/');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    const csp = response.headers['content-security-policy'];
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(response.text).toContain('<title>License Ledger</title>');
    expect(response.text.replace(/<noscript>[\s\S]*?<\/noscript>/g, '')).toContain('<main>');
    // Nothing from another host: every script and stylesheet is a path on this origin.
    for (const [, src] of response.text.matchAll(/(?:src|href)="([^"]+)"/g)) expect(src).toMatch(/^\/(?!\/)/);
  });

  it('serves the content-hashed assets for a year, and nothing it was not built with', async () => {
    const index = (await t.anonymous().get('/')).text;
    const script = /src="\/assets\/([^"]+\.js)"/.exec(index)![1];
    const response = await t.anonymous().get(`/assets/${script}`);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/javascript/);
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const again = await t.anonymous().get(`/assets/${script}`).set('If-None-Match', response.headers.etag);
    expect(again.status).toBe(304);
    for (const path of ['/assets/missing.js', '/assets/..%2Fpackage.json', '/assets/%2e%2e%2findex.html']) {
      const missing = await t.anonymous().get(path);
      expect(missing.status).toBe(404);
      expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
  });

  it('keeps under the JavaScript budget: 300 KB gzipped', () => {
    const assets = join(consoleDir, 'assets');
    const scripts = readdirSync(assets).filter((name) => name.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(0);
    const gzipped = scripts.reduce((sum, name) => sum + gzipSync(readFileSync(join(assets, name))).length, 0);
    expect(gzipped).toBeLessThan(300 * 1024);
  });

  it('GET /api/v1/whoami tells any role what it is, by the key fingerprint events carry', async () => {
    for (const role of ['admin', 'auditor', 'consumer'] as const) {
      const response = await t.as(role).get('/api/v1/whoami');
      expect(response.status).toBe(200);
      const key = t.config.apiKeys.find((k) => k.role === role)!;
      expect(response.body).toEqual({ role, keyId: key.id });
      expect(JSON.stringify(response.body)).not.toContain(key.key);
    }
    const anonymous = await t.anonymous().get('/api/v1/whoami');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('says the console is not built, rather than failing, when dist/console is missing', async () => {
    const bare = await startTestApp({ consoleDir: join(t.dir, 'no-console-here') });
    try {
      const response = await bare.anonymous().get('/');
      expect(response.status).toBe(200);
      expect(response.text).toContain('npm run build');
    } finally {
      await bare.close();
    }
  });
});
