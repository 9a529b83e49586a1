import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EsdbEventStore } from '../../src/eventstore/esdb/esdb.event-store';
import type { EventStore, StreamAppend } from '../../src/eventstore/event-store.port';
import { SqliteEventStore } from '../../src/eventstore/sqlite/sqlite.event-store';
import { openSqliteDatabase } from '../../src/storage/sqlite-database';
import { removeDatabase } from './event-store-file';
import { rate } from './figures';
import { seconds, type ExtraSection } from './extra-report';
import { eventCount } from './ledger-history';

/** dist/scripts/bench -> the repository, where test/ is (it is not built). */
const ROOT = join(__dirname, '..', '..', '..');
const READ_PAGE = 10_000;

interface StoreRun {
  readonly appendMs: number;
  readonly catchUpMs: number;
  readonly readAllMs: number;
  /** CPU ms of this process (client and adapter) and of the test server's process, per phase. */
  readonly cpu: Record<'append' | 'catchUp' | 'readAll', { client: number; server: number }>;
}

/**
 * Issue 14 item 5: the EventStoreDB adapter against the SQLite adapter in the same run, on the
 * same events (a first download's appends, as the download job writes them: one appendMany over
 * every licensee stream with expected revisions). Three figures each: the appendMany; a catch-up
 * subscription from the start until it has delivered every event (what the projection runner
 * does at start); readAll in pages of 10,000. EventStoreDB is the wire-level test server of
 * test/support/esdb-fake (@grpc/grpc-js, in memory) in a process of its own, spoken to by the
 * real @eventstore/db-client: the figure is the client's and adapter's cost plus an in-memory
 * server's, not a real server's (no disk, no replication). Fresh store for each side; one round.
 */
export async function benchEsdb(
  dir: string,
  appends: readonly StreamAppend[],
  log: (line: string) => void,
): Promise<ExtraSection> {
  const events = eventCount(appends);
  const path = join(dir, 'esdb-compare.sqlite');
  removeDatabase(path);
  const sqlite = await run(new SqliteEventStore(openSqliteDatabase(path)), appends, events, null);
  removeDatabase(path);
  log(
    `    SQLite: append ${seconds(sqlite.appendMs)}, catch-up ${seconds(sqlite.catchUpMs)}, readAll ${seconds(sqlite.readAllMs)}`,
  );
  const fake = await startFake();
  let esdb: StoreRun;
  try {
    esdb = await run(
      EsdbEventStore.connect(fake.connectionString, { streamPrefix: 'bench_' }),
      appends,
      events,
      fake.pid,
    );
  } finally {
    await fake.stop();
  }
  log(
    `    EventStoreDB (test server): append ${seconds(esdb.appendMs)}, catch-up ${seconds(esdb.catchUpMs)}, readAll ${seconds(esdb.readAllMs)}`,
  );
  const perS = (ms: number) => (events / ms) * 1000;
  const row = (what: string, key: 'appendMs' | 'catchUpMs' | 'readAllMs', phase: keyof StoreRun['cpu']) =>
    `| ${what} | ${rate(perS(esdb[key]))} events/s (${seconds(esdb[key])}) | ${rate(perS(sqlite[key]))} events/s (${seconds(sqlite[key])}) | ${(sqlite[key] / esdb[key]).toFixed(2)}× | ${seconds(esdb.cpu[phase].client)} / ${seconds(esdb.cpu[phase].server)} |`;
  return {
    id: 'esdb',
    title: 'EventStoreDB adapter on the wire-level test server vs the SQLite adapter',
    markdown: [
      `${events.toLocaleString('en-US')} events in ${appends.length.toLocaleString('en-US')} streams (a first download's appendMany). **The EventStoreDB side is the in-memory wire test server (test/support/esdb-fake), not KurrentDB: the figure measures the real @eventstore/db-client and our adapter over gRPC on loopback, plus a fake server with no disk — not a real server's throughput.** No target.`,
      '',
      '| operation | EventStoreDB adapter (test server) | SQLite adapter | EventStoreDB ÷ SQLite | EventStoreDB CPU: client+adapter / test server |',
      '|---|---|---|---|---|',
      row('appendMany (one call, expected revisions)', 'appendMs', 'append'),
      row('catch-up subscription from the start', 'catchUpMs', 'catchUp'),
      row(`readAll in pages of ${READ_PAGE.toLocaleString('en-US')}`, 'readAllMs', 'readAll'),
    ].join('\n'),
    data: { events, streams: appends.length, sqlite, esdb },
  };
}

async function run(
  store: EventStore,
  appends: readonly StreamAppend[],
  events: number,
  serverPid: number | null,
): Promise<StoreRun> {
  const cpu = (): { client: number; server: number } => {
    const usage = process.cpuUsage();
    return { client: (usage.user + usage.system) / 1000, server: serverPid === null ? 0 : processCpuMs(serverPid) };
  };
  const since = (before: { client: number; server: number }) => {
    const now = cpu();
    return { client: Math.round(now.client - before.client), server: Math.round(now.server - before.server) };
  };
  try {
    global.gc?.();
    let started = performance.now();
    let cpu0 = cpu();
    await store.appendMany(appends);
    const appendMs = performance.now() - started;
    const appendCpu = since(cpu0);

    global.gc?.();
    started = performance.now();
    cpu0 = cpu();
    const subscription = store.subscribeAll(null);
    let seen = 0;
    for await (const event of subscription) {
      void event;
      if (++seen >= events) break;
    }
    await subscription.close();
    const catchUpMs = performance.now() - started;
    const catchUpCpu = since(cpu0);
    if (seen !== events) throw new Error(`catch-up delivered ${seen} of ${events} events`);

    global.gc?.();
    started = performance.now();
    cpu0 = cpu();
    let after: bigint | null = null;
    let read = 0;
    for (;;) {
      const page = await store.readAll({ after, maxCount: READ_PAGE });
      if (page.length === 0) break;
      read += page.length;
      after = page[page.length - 1]!.position;
    }
    const readAllMs = performance.now() - started;
    const readAllCpu = since(cpu0);
    if (read !== events) throw new Error(`readAll returned ${read} of ${events} events`);
    return {
      appendMs,
      catchUpMs,
      readAllMs,
      cpu: { append: appendCpu, catchUp: catchUpCpu, readAll: readAllCpu },
    };
  } finally {
    await store.close();
  }
}

/** utime + stime of a live process (Linux /proc), in ms; 0 when unreadable. */
function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return 0;
  }
}

async function startFake(): Promise<{ connectionString: string; pid: number; stop(): Promise<void> }> {
  const child: ChildProcess = fork(join(ROOT, 'test', 'support', 'esdb-fake', 'serve.ts'), [], {
    cwd: ROOT,
    execArgv: ['-r', join(ROOT, 'test', 'support', 'register-ts.js'), '--max-old-space-size=4096'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const connectionString = await new Promise<string>((resolve, reject) => {
    child.once('message', (message: { connectionString?: string }) => resolve(message.connectionString!));
    child.once('exit', (code) => reject(new Error(`the EventStoreDB test server exited with ${code}`)));
  });
  return {
    connectionString,
    pid: child.pid!,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.disconnect();
      }),
  };
}
