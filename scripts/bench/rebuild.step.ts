import Database from 'better-sqlite3';
import { ALL_PROJECTIONS } from '../../projections';
import { SqliteEventStore } from '../../src/eventstore/sqlite/sqlite.event-store';
import { ALL_EVENT_DEFINITIONS } from '../../src/domain/all-events';
import { EventRegistry } from '../../src/events/event-registry';
import { RegisteredEventStore } from '../../src/events/registered-event-store';
import { JsonLogger } from '../../src/logging/logger';
import { ProjectionRunner } from '../../src/projection-runner/projection-runner';
import { SqliteReadModelStore, type ReadModelStore } from '../../src/projection-runner/read-model.store';
import { openSqliteDatabase } from '../../src/storage/sqlite-database';
import type { GeneratedStore } from './event-store-file';
import { rate, throughputRatio, type Figure } from './figures';

/**
 * Figure 5: every read model folded from position 0 by the service's own ProjectionRunner,
 * reading through the registered store, until it is caught up: what readiness and
 * POST /read-models/{name}/rebuild wait for. The save that follows (in steps, the read models
 * already answering) is timed too and reported beside it. Against a bare better-sqlite3 scan
 * of the same rows with JSON.parse of data and metadata: the mean of one scan before and one after.
 */
export async function benchRebuild(store: GeneratedStore, log: (line: string) => void): Promise<Figure[]> {
  const bare = [bareScan(store.path)];
  global.gc?.();
  const rebuild = await rebuildAll(store.path);
  global.gc?.();
  bare.push(bareScan(store.path));
  const bareMs = (bare[0] + bare[1]) / 2;
  log(
    `    bare scan ${bare.map((b) => b.toFixed(0)).join(' / ')} ms; fold ${rebuild.foldMs.toFixed(0)} ms, then save ${rebuild.saveMs.toFixed(0)} ms`,
  );
  const perS = (ms: number) => (store.events / ms) * 1000;
  const withSave = perS(rebuild.foldMs + rebuild.saveMs);
  const figure = throughputRatio(
    'rebuild',
    `Rebuild every projection from ${store.events} events vs bare scan + JSON.parse`,
    perS(rebuild.foldMs),
    perS(bareMs),
    0.5,
    'events/s',
    {
      events: store.events,
      bareMs,
      bareRunsMs: bare,
      foldMs: rebuild.foldMs,
      saveMs: rebuild.saveMs,
      withSavePerS: withSave,
      withSaveRatio: withSave / perS(bareMs),
      readModelBytes: rebuild.bytes,
    },
  );
  return [
    {
      ...figure,
      measured: `${figure.measured} (with the save after it: ${rate(withSave)}, ${Math.round((withSave / perS(bareMs)) * 100)}%)`,
    },
  ];
}

function bareScan(path: string): number {
  const db = new Database(path, { readonly: true });
  const started = performance.now();
  let n = 0;
  const rows = db
    .prepare(
      'SELECT position, event_id, stream_id, revision, type, data, metadata, recorded_at FROM events ORDER BY position',
    )
    .raw(true);
  for (const row of rows.iterate() as IterableIterator<unknown[]>) {
    JSON.parse(row[5] as string);
    JSON.parse(row[6] as string);
    n += 1;
  }
  const ms = performance.now() - started;
  db.close();
  if (n === 0) throw new Error('the generated store is empty');
  return ms;
}

/** As the service runs it: one connection to one file for the events and the saved read models. */
async function rebuildAll(path: string): Promise<{ foldMs: number; saveMs: number; bytes: number }> {
  const db = openSqliteDatabase(path);
  const store = new RegisteredEventStore(new SqliteEventStore(db), new EventRegistry(ALL_EVENT_DEFINITIONS));
  const readModels = new SqliteReadModelStore(db);
  const saved = new Set<string>();
  const timedModels: ReadModelStore = {
    load: (name) => readModels.load(name),
    delete: (name) => readModels.delete(name),
    savePosition: (model) => {
      const moved = readModels.savePosition(model);
      if (moved) saved.add(model.name);
      return moved;
    },
    save: (models) => {
      readModels.save(models);
      models.forEach((m) => saved.add(m.name));
    },
    saveInParts: (model) => {
      const writer = readModels.saveInParts(model);
      return {
        ...writer,
        commit: () => {
          const committed = writer.commit();
          if (committed) saved.add(model.name);
          return committed;
        },
      };
    },
  };
  const runner = new ProjectionRunner(store, timedModels, ALL_PROJECTIONS, new JsonLogger('warn'));
  const started = performance.now();
  await runner.start();
  if (!(await runner.whenCaughtUp())) throw new Error('the runner stopped before catching up');
  const foldMs = performance.now() - started;
  // The save that follows catching up, from its start until every read model is saved (in steps, a turn each).
  while (saved.size < ALL_PROJECTIONS.length) {
    if (performance.now() - started > 600_000)
      throw new Error(
        `read models never saved: ${ALL_PROJECTIONS.map((p) => p.name)
          .filter((n) => !saved.has(n))
          .join(', ')}`,
      );
    await new Promise((r) => setImmediate(r));
  }
  const saveMs = performance.now() - started - foldMs;
  await runner.stop();
  const sum = (sql: string) => (db.prepare(sql).get() as { n: number | null }).n ?? 0;
  const bytes =
    sum('SELECT SUM(LENGTH(state)) AS n FROM read_models') + sum('SELECT SUM(LENGTH(data)) AS n FROM read_model_parts');
  // The restart figure starts from a store without saved read models.
  db.exec('DELETE FROM read_models; DELETE FROM read_model_parts');
  db.close();
  return { foldMs, saveMs, bytes };
}
