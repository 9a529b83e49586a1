import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';

export interface ConsoleFile {
  readonly body: Buffer;
  readonly contentType: string;
  readonly etag: string;
}

/** The built console (`vite build` output), held in memory: a few small files, served by exact name only. */
export interface ConsoleAssets {
  /** Where the files were read from, or null when the console has not been built. */
  readonly dir: string | null;
  readonly index: ConsoleFile;
  /** By name under `assets/` (content-hashed by Vite, so cacheable for a year). */
  readonly assets: ReadonlyMap<string, ConsoleFile>;
  /** Unhashed files at the root beside index.html (the icon). */
  readonly root: ReadonlyMap<string, ConsoleFile>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>License Ledger</title></head>
<body><main><h1>License Ledger</h1><p>The web console has not been built. Run <code>npm run build</code>
and restart the service. The API is at <code>/api/v1</code>, its documentation at <a href="/docs">/docs</a>.</p></main></body></html>`;

/**
 * Where `npm run build` puts the console: `dist/console` under the project root. The root is
 * found by walking up to package.json, so the compiled service (dist/src/console) and the
 * TypeScript sources under Jest (src/console) find the same folder.
 */
export function defaultConsoleDir(from: string = __dirname): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, 'dist', 'console');
}

export function loadConsoleAssets(dir: string = defaultConsoleDir()): ConsoleAssets {
  const indexPath = join(dir, 'index.html');
  if (!existsSync(indexPath)) {
    return { dir: null, index: file(Buffer.from(NOT_BUILT), '.html'), assets: new Map(), root: new Map() };
  }
  const assets = new Map<string, ConsoleFile>();
  const assetsDir = join(dir, 'assets');
  if (existsSync(assetsDir)) {
    for (const name of readdirSync(assetsDir)) {
      const path = join(assetsDir, name);
      if (statSync(path).isFile()) assets.set(name, file(readFileSync(path), extname(name)));
    }
  }
  const root = new Map<string, ConsoleFile>();
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name !== 'index.html' && statSync(path).isFile() && TYPES[extname(name)]) {
      root.set(name, file(readFileSync(path), extname(name)));
    }
  }
  return { dir: resolve(dir), index: file(readFileSync(indexPath), '.html'), assets, root };
}

function file(body: Buffer, extension: string): ConsoleFile {
  return {
    body,
    contentType: TYPES[extension] ?? 'application/octet-stream',
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
  };
}
