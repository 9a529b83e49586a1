import { spawn, type ChildProcess } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { freePort } from '../../support/sandbox-app';
import { KEYS } from '../../support/test-app';

const ROOT = join(__dirname, '..', '..', '..');
const OUTPUT_TAIL = 64 * 1024;

export type Role = keyof typeof KEYS;

export interface ServiceOptions {
  /** The SQLite file; several processes may share it. */
  readonly sqlitePath: string;
  /** The sandbox's certificate file (NODE_EXTRA_CA_CERTS). */
  readonly caFile?: string;
  readonly instanceId: string;
  readonly env?: Record<string, string>;
  /** Run as this uid/gid (e.g. nobody, so file permissions apply even when the tests run as root). */
  readonly uid?: number;
  readonly gid?: number;
  /** Wait for /health/ready (default) or only for /health/live. */
  readonly waitFor?: 'ready' | 'live' | 'nothing';
}

export interface ServiceProcess {
  readonly url: string;
  readonly instanceId: string;
  readonly child: ChildProcess;
  /** The last 64 KiB of stdout and stderr, for failure messages. */
  output(): string;
  /** Exit code and signal once it has exited; null while it runs. */
  exit(): { code: number | null; signal: NodeJS.Signals | null } | null;
  as(role: Role): {
    get(path: string): request.Test;
    post(path: string): request.Test;
    patch(path: string): request.Test;
    put(path: string): request.Test;
    delete(path: string): request.Test;
  };
  waitUntil(check: 'live' | 'ready', timeoutMs?: number): Promise<void>;
  /** kill -9: no shutdown hook runs, nothing is flushed; resolves once the process is gone. */
  kill9(): Promise<void>;
  /** SIGTERM (a clean shutdown); resolves once the process is gone. */
  stop(): Promise<void>;
}

const live = new Set<ServiceProcess>();

/**
 * The service as a separate process, run from the TypeScript sources (test/support/register-ts.js),
 * so a test can kill -9 it, restart it on the same file, or run two instances side by side.
 * Every process started here is killed by killAllServices() (call it in afterEach/afterAll).
 */
export async function startService(options: ServiceOptions): Promise<ServiceProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    SAM_API_KEYS: `admin:${KEYS.admin},auditor:${KEYS.auditor},consumer:${KEYS.consumer}`,
    SAM_SQLITE_PATH: options.sqlitePath,
    PORT: String(port),
    HOST: '127.0.0.1',
    SAM_ALLOWED_ENDPOINT_HOSTS: '127.0.0.1',
    SAM_INSTANCE_ID: options.instanceId,
    SAM_SCHEDULER: 'off',
    SAM_LOG_LEVEL: 'warn',
    ...(options.caFile ? { NODE_EXTRA_CA_CERTS: options.caFile } : {}),
    ...options.env,
  };
  const child = spawn(process.execPath, ['-r', './test/support/register-ts.js', 'src/main.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.uid !== undefined ? { uid: options.uid, gid: options.gid ?? options.uid } : {}),
  });
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-OUTPUT_TAIL);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const gone = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      resolve();
    }),
  );
  const withKey = (key: string) => ({
    get: (path: string) => request(url).get(path).set('Authorization', `Bearer ${key}`),
    post: (path: string) => request(url).post(path).set('Authorization', `Bearer ${key}`),
    patch: (path: string) => request(url).patch(path).set('Authorization', `Bearer ${key}`),
    put: (path: string) => request(url).put(path).set('Authorization', `Bearer ${key}`),
    delete: (path: string) => request(url).delete(path).set('Authorization', `Bearer ${key}`),
  });
  const service: ServiceProcess = {
    url,
    instanceId: options.instanceId,
    child,
    output: () => tail,
    exit: () => exited,
    as: (role) => withKey(KEYS[role]),
    async waitUntil(check, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (exited)
          throw new Error(
            `service ${options.instanceId} exited (${JSON.stringify(exited)}) before it was ${check}:\n${tail}`,
          );
        const status = await fetch(`${url}/health/${check}`).then(
          (r) => r.status,
          () => 0,
        );
        if (status === 200) return;
        if (Date.now() > deadline)
          throw new Error(`service ${options.instanceId} was not ${check} within ${timeoutMs} ms:\n${tail}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async kill9() {
      if (!exited) child.kill('SIGKILL');
      await gone;
      live.delete(service);
    },
    async stop() {
      if (!exited) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await gone;
      clearTimeout(timer);
      live.delete(service);
    },
  };
  live.add(service);
  if (options.waitFor !== 'nothing') await service.waitUntil(options.waitFor ?? 'ready');
  return service;
}

/** For afterEach/afterAll: no child process outlives its test, pass or fail. */
export async function killAllServices(): Promise<void> {
  await Promise.all([...live].map((s) => s.kill9()));
}

process.once('exit', () => {
  for (const s of live) s.child.kill('SIGKILL');
});

/** Bounded polling with a message that says what was awaited. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs = 60_000,
  everyMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * How much the SQLite write-ahead log has grown since this call. A big append spills
 * pages into the WAL before it commits, so growth seen from outside means a write is
 * under way (the service's event loop is busy with it and cannot be asked).
 */
export function walGrowth(sqlitePath: string): () => number {
  const size = () => {
    try {
      return statSync(`${sqlitePath}-wal`).size;
    } catch {
      return 0;
    }
  };
  const start = size();
  return () => size() - start;
}
