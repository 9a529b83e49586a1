import { join } from 'node:path';
import { atMost, mib, ms, type Figure } from './figures';
import type { GeneratedStore } from './event-store-file';
import { startService, type ServiceOptions } from './processes';

export interface RestartOutcome {
  readonly figures: Figure[];
  readonly peakRss: { readonly name: string; readonly bytes: number }[];
}

/**
 * Figure 6: `node dist/src/main.js` on the generated store, spawn to the first 200 from
 * /health/ready. First with no saved read models (a first start, or a projection version
 * bump: everything is folded), then stopped with SIGTERM (the read models are saved) and
 * started again: the restart the target is about.
 */
export async function benchRestart(
  store: GeneratedStore,
  dir: string,
  options: Pick<ServiceOptions, 'cpuProfileDir' | 'nodeOptions'>,
  log: (line: string) => void,
): Promise<RestartOutcome> {
  const start = (name: string) =>
    startService({ name, sqlitePath: store.path, logFile: join(dir, `${name}.log`), ...options });
  const cold = await start('service-cold-start');
  const coldMs = await cold.ready();
  const coldRss = await cold.stop();
  log(`    cold start ${coldMs.toFixed(0)} ms (peak RSS ${mib(coldRss)})`);
  const warm = await start('service-restart');
  const warmMs = await warm.ready();
  const warmRss = await warm.stop();
  log(`    restart ${warmMs.toFixed(0)} ms (peak RSS ${mib(warmRss)})`);
  return {
    figures: [
      atMost(
        'restart',
        `Restart to /health/ready with ${store.events} events stored (read models saved)`,
        warmMs,
        10_000,
        ms,
        { events: store.events, coldStartMs: coldMs },
      ),
      atMost(
        'cold-start',
        `First start to /health/ready with ${store.events} events (no saved read models: full fold)`,
        coldMs,
        10_000,
        ms,
        { events: store.events },
      ),
    ],
    peakRss: [
      { name: 'cold start on the generated store', bytes: coldRss },
      { name: 'restart on the generated store', bytes: warmRss },
    ],
  };
}
