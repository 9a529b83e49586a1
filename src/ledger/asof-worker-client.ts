import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { EventStore, ReadAllOptions } from '../eventstore/event-store.port';
import { askAgainIn, DomainError } from '../shared/domain-error';
import type { AsOfSnapshots } from './asof-snapshots';
import {
  rebuilt,
  sendable,
  type AsOfSources,
  type AsOfWorkerData,
  type FromWorker,
  type MainMethod,
  type ToWorker,
} from './asof-worker-protocol';
import type { LedgerQuestion } from './ledger-answers';

const RETRY_AFTER_SECONDS = 5;

interface Pending {
  readonly resolve: (answer: { position: bigint | null; value: unknown }) => void;
  readonly reject: (error: Error) => void;
  position: bigint | null;
  /** A long answer's items so far (it comes in parts, one per turn). */
  items: unknown[] | null;
}

/**
 * The service's side of the as-of worker (asof-worker.ts): started at the first question that
 * needs a fold, asked questions (each answered or failed by its id), and serving the worker's
 * calls when it cannot read for itself: the log on EventStoreDB, and the log and snapshot
 * tables of an in-memory SQLite database. A worker that dies fails
 * the questions it had (503 as-of-worker-failed, Retry-After) and the next question starts
 * another; `close` terminates it.
 */
export class AsOfWorkerClient {
  private worker: Worker | null = null;
  private ids = 0;
  private readonly pending = new Map<number, Pending>();
  private closed = false;

  constructor(
    private readonly store: Pick<EventStore, 'readAll'>,
    private readonly snapshots: AsOfSnapshots,
    private readonly sources: AsOfSources,
    private readonly maxCachedStates: number,
  ) {}

  /** The answer to `question` about `profileId` as of `asOf`, folded in the worker, with the position it was folded to. */
  ask(
    asOf: string,
    head: bigint | null,
    version: string,
    profileId: string,
    question: LedgerQuestion,
  ): Promise<{ position: bigint | null; value: unknown }> {
    return this.request((id) => ({ type: 'ask', id, asOf, head, version, profileId, question }));
  }

  /** The license position at each of `moments` (ascending), from one pass of the fold in the worker. */
  async series(moments: readonly string[], version: string, profileId: string): Promise<unknown[]> {
    const { value } = await this.request((id) => ({ type: 'series', id, moments, version, profileId }));
    return value as unknown[];
  }

  /** Whether a worker is running (tests). */
  get running(): boolean {
    return this.worker !== null;
  }

  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = null;
    if (worker) {
      this.failPending(new Error('the service is shutting down'));
      await worker.terminate();
    }
  }

  private request(message: (id: number) => ToWorker): Promise<{ position: bigint | null; value: unknown }> {
    if (this.closed) return Promise.reject(unavailable('the service is shutting down'));
    const worker = this.started();
    const id = ++this.ids;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, position: null, items: null });
      worker.postMessage(message(id));
    });
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = startWorker({ ...this.sources, maxCachedStates: this.maxCachedStates });
    // Questions in flight are answered through their promises; the worker alone never keeps the process alive.
    worker.unref();
    worker.on('message', (message: FromWorker) => this.receive(worker, message));
    worker.on('error', (error) => this.lost(worker, error));
    worker.on('exit', (code) => this.lost(worker, new Error(`it exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }

  private receive(worker: Worker, message: FromWorker): void {
    if (worker !== this.worker) return;
    if (message.type === 'call') {
      void this.serve(worker, message.id, message.method, message.args);
      return;
    }
    const pending = this.pending.get(message.id);
    if (!pending) return;
    if (message.type === 'failed') {
      this.pending.delete(message.id);
      pending.reject(rebuilt(message.error));
      return;
    }
    if (message.type === 'answer') pending.position = message.position;
    if (message.more || pending.items) {
      pending.items ??= [];
      for (const item of message.value as unknown[]) pending.items.push(item);
    }
    if (message.more) {
      // The next part once this turn is over: a long list never lands on the loop in one piece.
      setImmediate(() => {
        if (worker === this.worker) worker.postMessage({ type: 'more', id: message.id } satisfies ToWorker);
      });
      return;
    }
    this.pending.delete(message.id);
    pending.resolve({ position: pending.position, value: pending.items ?? message.value });
  }

  private async serve(worker: Worker, id: number, method: MainMethod, args: unknown[]): Promise<void> {
    let reply: ToWorker;
    try {
      reply = { type: 'return', id, value: await this.run(method, args) };
    } catch (error) {
      reply = { type: 'throw', id, error: sendable(error) };
    }
    if (worker === this.worker) worker.postMessage(reply);
  }

  private run(method: MainMethod, args: unknown[]): unknown {
    const [a, b, c, d] = args as [string, string, unknown, unknown];
    switch (method) {
      case 'readAll':
        return this.store.readAll(args[0] as ReadAllOptions);
      case 'nearestRow':
        return this.snapshots.nearestRow(a, b);
      case 'part':
        return this.snapshots.part(a, b, c as number);
      case 'begin':
        return this.snapshots.begin(a, b);
      case 'write': {
        const part = d as Uint8Array;
        return this.snapshots.write(a, b, c as number, Buffer.from(part.buffer, part.byteOffset, part.byteLength));
      }
      case 'finish':
        return this.snapshots.finish(a, b, c as string, d as number);
      case 'end':
        return this.snapshots.end(a);
    }
  }

  private lost(worker: Worker, error: Error): void {
    if (worker !== this.worker) return;
    this.worker = null;
    this.failPending(error);
  }

  private failPending(error: Error): void {
    const failure = unavailable(`the worker answering questions about past moments stopped (${error.message})`);
    for (const pending of this.pending.values()) pending.reject(failure);
    this.pending.clear();
  }
}

const unavailable = (message: string) =>
  askAgainIn(
    new DomainError('unavailable', 'as-of-worker-failed', `${message}; ask again shortly`),
    RETRY_AFTER_SECONDS,
  );

/**
 * The worker's entry beside this file: compiled (dist, `nest build`) it is asof-worker.js; run
 * from the TypeScript sources (ts-jest, `node -r ./test/support/register-ts.js`), the worker
 * compiles them itself through the same register-ts hook.
 */
function startWorker(data: AsOfWorkerData): Worker {
  if (extname(__filename) === '.js') return new Worker(join(__dirname, 'asof-worker.js'), { workerData: data });
  const register = join(__dirname, '..', '..', 'test', 'support', 'register-ts.js');
  const entry = join(__dirname, 'asof-worker.ts');
  return new Worker(`require(${JSON.stringify(register)});\nrequire(${JSON.stringify(entry)});`, {
    eval: true,
    workerData: data,
  });
}
