import { appendFile, mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';

/** An event as License Ledger publishes it (docs/events/envelope.json), whatever the transport. */
export interface Envelope {
  readonly position: string;
  readonly streamId: string;
  readonly type: string;
  readonly recordedAt: string;
  readonly data: Record<string, unknown>;
  readonly metadata: Record<string, unknown>;
}

export type Log = (line: string) => void;

/**
 * The consumer's position, in a file. Written to a temporary file, flushed, then renamed
 * over the old one: a crash leaves the old position or the new one, never half of one.
 * (A consumer with a database stores the position in the same transaction as its effect,
 * and needs none of this.)
 */
export class FileCheckpoint<T> {
  constructor(private readonly path: string) {}

  async load(): Promise<T | null> {
    try {
      return JSON.parse(await readFile(this.path, 'utf8')) as T;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async save(value: T): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.tmp`;
    const file = await open(tmp, 'w');
    try {
      await file.writeFile(JSON.stringify(value));
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(tmp, this.path);
  }
}

/**
 * The example's effect: one JSON line per event (say, an audit feed). It is idempotent on
 * the position: a crash after the line is written but before the checkpoint is saved
 * replays that event on restart, and the sink skips it instead of writing it twice.
 */
export class JsonlSink {
  private last: bigint | null = null;

  private constructor(private readonly path: string) {}

  static async open(path: string): Promise<JsonlSink> {
    const sink = new JsonlSink(path);
    const text = await readFile(path, 'utf8').catch(() => '');
    const lastLine = text.trimEnd().split('\n').at(-1);
    if (lastLine) sink.last = BigInt((JSON.parse(lastLine) as { position: string }).position);
    return sink;
  }

  /** False when the event was already written (a replay). */
  async write(event: Envelope): Promise<boolean> {
    // Positions are decimal integers of any size (EventStoreDB packs two 64-bit numbers): compare as bigint.
    if (this.last !== null && BigInt(event.position) <= this.last) return false;
    await mkdir(dirname(this.path), { recursive: true });
    await appendFile(
      this.path,
      `${JSON.stringify({ position: event.position, type: event.type, streamId: event.streamId })}\n`,
    );
    this.last = BigInt(event.position);
    return true;
  }
}

/** Exponential backoff with jitter, so many consumers restarting together do not retry in step. */
export const backoffMs = (attempt: number, firstMs = 500, maxMs = 30_000): number =>
  Math.min(firstMs * 2 ** attempt, maxMs) * (0.5 + Math.random() / 2);

/** Resolves after `ms`, or at once when the signal aborts. */
export const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });

/** Aborts on SIGINT/SIGTERM, so the consumer finishes the event in hand and saves its position. */
export function stopSignal(): AbortSignal {
  const controller = new AbortController();
  for (const name of ['SIGINT', 'SIGTERM'] as const) process.once(name, () => controller.abort());
  return controller.signal;
}
