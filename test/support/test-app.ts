import type { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { createApp } from '../../src/app';
import { loadConfig, type Config } from '../../src/config/config';
import type { AppOptions } from '../../src/core/app-options';
import { EVENT_STORE, type EventStore } from '../../src/eventstore/event-store.port';
import { ProjectionRunner } from '../../src/projection-runner/projection-runner';

export const KEYS = {
  admin: 'admin-key-0123456789abcdef',
  auditor: 'auditor-key-0123456789abcdef',
  consumer: 'consumer-key-0123456789abcdef',
} as const;

export interface TestApp {
  readonly app: INestApplication;
  readonly url: string;
  readonly dir: string;
  readonly config: Config;
  readonly store: EventStore;
  readonly runner: ProjectionRunner;
  readonly logs: string[];
  as(role: keyof typeof KEYS): {
    get(path: string): request.Test;
    post(path: string): request.Test;
    patch(path: string): request.Test;
    put(path: string): request.Test;
    delete(path: string): request.Test;
  };
  anonymous(): request.Agent;
  close(options?: { keepFiles?: boolean }): Promise<void>;
}

export interface TestAppOptions extends Omit<Partial<AppOptions>, 'config'> {
  readonly env?: Record<string, string>;
  readonly dir?: string;
  /** Listen on this port (a restarted service on the same address); default: any free port. */
  readonly port?: number;
}

/** The real application on a real SQLite file in a temp directory, listening on a free port. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'll-app-'));
  const config = loadConfig({
    SAM_API_KEYS: `admin:${KEYS.admin},auditor:${KEYS.auditor},consumer:${KEYS.consumer}`,
    SAM_SQLITE_PATH: join(dir, 'sam.sqlite'),
    SAM_SCHEDULER: 'off',
    SAM_LOG_LEVEL: 'info',
    PORT: '0',
    ...options.env,
  });
  const logs: string[] = [];
  const app = await createApp({ ...options, config, logSink: options.logSink ?? ((line) => logs.push(line)) });
  await app.listen(options.port ?? 0, '127.0.0.1');
  const port = (app.getHttpServer().address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  const server = app.getHttpServer();
  const withKey = (key: string) => ({
    get: (path: string) => request(server).get(path).set('Authorization', `Bearer ${key}`),
    post: (path: string) => request(server).post(path).set('Authorization', `Bearer ${key}`),
    patch: (path: string) => request(server).patch(path).set('Authorization', `Bearer ${key}`),
    put: (path: string) => request(server).put(path).set('Authorization', `Bearer ${key}`),
    delete: (path: string) => request(server).delete(path).set('Authorization', `Bearer ${key}`),
  });
  return {
    app,
    url,
    dir,
    config,
    store: app.get(EVENT_STORE),
    runner: app.get(ProjectionRunner),
    logs,
    as: (role) => withKey(KEYS[role]),
    anonymous: () => request.agent(server),
    async close({ keepFiles = false } = {}) {
      await app.close();
      if (!keepFiles && !options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
