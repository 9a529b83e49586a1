/*
 * The as-of worker (a worker thread: its own event loop and its own heap). It folds the event
 * log to past moments and answers questions about them, so the service's thread receives only
 * the answers: a fold allocates a tenant's read models anew, and on the service's heap the
 * young-generation collector copying them held its loop for hundreds of milliseconds
 * (BENCHMARKS.md, figure 9c). Started and spoken to by AsOfWorkerClient (asof-worker-client.ts).
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import type { ReadAllOptions, RecordedEvent } from '../eventstore/event-store.port';
import { foldThrough, foldTo, type EventReader, type Folded, type SnapshotStore } from './asof-fold';
import { AsOfSnapshots } from './asof-snapshots';
import {
  rebuilt,
  sendable,
  type AsOfWorkerData,
  type FromWorker,
  type MainMethod,
  type ToWorker,
} from './asof-worker-protocol';
import { deserializeInSteps, serializeInSteps } from '../storage/chunked-serialization';
import { answerOf, seriesPointOf } from './ledger-answers';

/** Items of a long answer sent per message (the service's thread takes in one message per turn). */
const ITEMS_PER_MESSAGE = 1_000;
/** Events the service's thread reads and posts per request of the worker. */
const RELAY_SLICE = 100;

const port = parentPort!;
const data = workerData as AsOfWorkerData;

const send = (message: FromWorker) => port.postMessage(message);

// Calls to the service's thread, by id.
let calls = 0;
const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
function call<T>(method: MainMethod, ...args: unknown[]): Promise<T> {
  const id = ++calls;
  return new Promise<T>((resolve, reject) => {
    waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
    send({ type: 'call', id, method, args });
  });
}

/**
 * The service's SQLite file, when there is one: a connection of the worker's own (WAL lets it
 * read beside the service's writer). It writes only snapshots, a cache: synchronous=NORMAL
 * (no fsync per part; a power cut may lose the last ones), and a busy wait that blocks this
 * thread only, never the service's.
 */
const path =
  data.events.kind === 'sqlite-file'
    ? data.events.path
    : data.snapshots.kind === 'sqlite-file'
      ? data.snapshots.path
      : null;
const db = path === null ? null : new Database(path, { fileMustExist: true });
if (db) {
  db.pragma('busy_timeout = 10000');
  db.pragma('synchronous = NORMAL');
}

/** The log: through the service's thread, or read from the file (its registry loaded only then: it takes a second to load). */
const events: EventReader = data.events.kind === 'sqlite-file' ? ownLog(db!) : { readAll: relayedRead };

/**
 * A fold's slice, read by the service's thread in parts of RELAY_SLICE events, each its own
 * request (its own turn there): reading, decoding and posting 500 events at once held that
 * loop for 10–25 ms on a busy machine.
 */
async function relayedRead(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
  const max = options.maxCount ?? 1_000;
  const read: RecordedEvent[] = [];
  let after = options.after ?? null;
  while (read.length < max) {
    const want = Math.min(RELAY_SLICE, max - read.length);
    const part = await call<RecordedEvent[]>('readAll', { ...options, after, maxCount: want });
    for (const event of part) read.push(event);
    if (part.length < want) break;
    after = part[part.length - 1]!.position;
  }
  return read;
}

function ownLog(file: Database.Database): EventReader {
  let opened: EventReader | null = null;
  const open = (): EventReader => {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { SqliteEventStore } =
      require('../eventstore/sqlite/sqlite.event-store') as typeof import('../eventstore/sqlite/sqlite.event-store');
    const { EventRegistry } = require('../events/event-registry') as typeof import('../events/event-registry');
    const { RegisteredEventStore } =
      require('../events/registered-event-store') as typeof import('../events/registered-event-store');
    const { ALL_EVENT_DEFINITIONS } = require('../domain/all-events') as typeof import('../domain/all-events');
    /* eslint-enable @typescript-eslint/no-require-imports */
    return new RegisteredEventStore(new SqliteEventStore(file), new EventRegistry(ALL_EVENT_DEFINITIONS));
  };
  return { readAll: (options) => (opened ??= open()).readAll(options) };
}

/** Snapshots: in the file, or read and written through the service's thread (an in-memory database). */
const snapshots: SnapshotStore =
  data.snapshots.kind === 'sqlite-file'
    ? new AsOfSnapshots(db!)
    : {
        async nearest(asOf, version) {
          const row = await call<{ position: string; recordedAt: string } | null>('nearestRow', asOf, version);
          if (!row) return null;
          const states = (await deserializeInSteps((seq) =>
            call<Uint8Array>('part', version, row.position, seq),
          )) as unknown[];
          return { position: BigInt(row.position), recordedAt: row.recordedAt, states };
        },
        async save(position, recordedAt, states, version) {
          const at = position.toString();
          if (!(await call<boolean>('begin', version, at))) return;
          try {
            let seq = 0;
            const parts = await serializeInSteps(states, (part) => call<void>('write', version, at, seq++, part));
            await call<void>('finish', version, at, recordedAt, parts);
          } finally {
            await call<void>('end', at);
          }
        },
      };

/** Folds by moment and store head, in flight or done, least recently used first out. */
const folds = new Map<string, Promise<Folded>>();
function folded(asOf: string, head: bigint | null, version: string): Promise<Folded> {
  const key = `${asOf}@${head}|${version}`;
  const known = folds.get(key);
  if (known) {
    folds.delete(key);
    folds.set(key, known);
    return known;
  }
  const fold = foldTo(asOf, version, events, snapshots);
  folds.set(key, fold);
  fold.catch(() => folds.delete(key));
  while (folds.size > data.maxCachedStates) folds.delete(folds.keys().next().value!);
  return fold;
}

/** The rest of long answers, sent when asked for. */
const rest = new Map<number, unknown[]>();
function answer(id: number, position: bigint | null, value: unknown): void {
  if (Array.isArray(value) && value.length > ITEMS_PER_MESSAGE) {
    rest.set(id, value.slice(ITEMS_PER_MESSAGE));
    send({ type: 'answer', id, position, value: value.slice(0, ITEMS_PER_MESSAGE), more: true });
  } else send({ type: 'answer', id, position, value, more: false });
}

async function handle(message: ToWorker): Promise<void> {
  switch (message.type) {
    case 'return':
    case 'throw': {
      const pending = waiting.get(message.id);
      waiting.delete(message.id);
      if (message.type === 'return') pending?.resolve(message.value);
      else pending?.reject(rebuilt(message.error));
      return;
    }
    case 'more': {
      const left = rest.get(message.id);
      if (!left) return;
      const value = left.splice(0, ITEMS_PER_MESSAGE);
      if (left.length === 0) rest.delete(message.id);
      send({ type: 'chunk', id: message.id, value, more: left.length > 0 });
      return;
    }
    case 'ask': {
      const { states, position } = await folded(message.asOf, message.head, message.version);
      answer(message.id, position, answerOf(states, message.profileId, message.asOf, message.question));
      return;
    }
    case 'series': {
      const points: unknown[] = new Array(message.moments.length);
      await foldThrough(message.moments, message.version, events, snapshots, ({ states, position }, asOf, i) => {
        points[i] = seriesPointOf(states, message.profileId, asOf, position);
      });
      answer(message.id, null, points);
      return;
    }
  }
}

port.on('message', (message: ToWorker) => {
  handle(message).catch((error: unknown) => {
    // A failing fold or answer fails its question only, with the error the service would have had.
    if (message.type === 'ask' || message.type === 'series')
      send({ type: 'failed', id: message.id, error: sendable(error) });
  });
});
port.on('close', () => db?.close());
