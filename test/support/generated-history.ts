import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateStore } from '../../scripts/bench/event-store-file';
import { SQLITE } from '../../src/core/tokens';
import type { StreamAppend } from '../../src/eventstore/event-store.port';
import type { SqliteDatabase } from '../../src/storage/sqlite-database';
import { startTestApp, type TestApp } from './test-app';

export interface HistoryApp {
  readonly t: TestApp;
  readonly db: SqliteDatabase;
  /** Every recording time in the log (one per generated job), oldest first. */
  readonly times: string[];
  close(): Promise<void>;
}

/**
 * The service on a generated tenant history (the bench's generator: `users` users, `events`
 * events as the jobs write them, `before` appended first), caught up, with the log's recording times.
 */
export async function startOnHistory(options: {
  users: number;
  events: number;
  seed: number;
  before?: readonly StreamAppend[];
  env?: Record<string, string>;
}): Promise<HistoryApp> {
  const dir = mkdtempSync(join(tmpdir(), 'll-history-'));
  await generateStore(join(dir, 'sam.sqlite'), options.users, options.events, options.seed, options.before);
  const t = await startTestApp({ dir, env: options.env });
  await t.runner.whenCaughtUp();
  const db = t.app.get<SqliteDatabase>(SQLITE);
  const rows = db.prepare('SELECT DISTINCT recorded_at AS at FROM events ORDER BY recorded_at').all() as {
    at: string;
  }[];
  return {
    t,
    db,
    times: rows.map((r) => r.at),
    async close() {
      await t.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
