import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { profilesProjection } from '../../projections/profiles/profiles.projection';
import { subscriptionsProjection } from '../../projections/subscriptions/subscriptions.projection';
import { tenantCatalogProjection } from '../../projections/tenant-catalog/tenant-catalog.projection';
import { environmentsProjection } from '../../projections/environments/environments.projection';
import type { Config } from '../config/config';
import { CONFIG, SQLITE } from '../core/tokens';
import { EVENT_STORE, type EventStore } from '../eventstore/event-store.port';
import { ProjectionRunner } from '../projection-runner/projection-runner';
import { askAgainIn, DomainError } from '../shared/domain-error';
import type { SqliteDatabase } from '../storage/sqlite-database';
import { FOLD_VERSION, foldThrough, foldTo, type LedgerStates } from './asof-fold';
import { AsOfSnapshots } from './asof-snapshots';
import { AsOfWorkerClient } from './asof-worker-client';
import { questionKey, seriesPointOf, type LedgerQuestion } from './ledger-answers';

export type { LedgerStates } from './asof-fold';

export interface PointInTimeResult {
  readonly states: LedgerStates;
  /** The last event folded: the answer is reproducible from the log up to this position. */
  readonly position: bigint | null;
  readonly asOf: string;
}

/** An answer about a past moment: computed from the live read models here, or (folded) in the as-of worker. */
export type PointInTimeAnswer =
  | (PointInTimeResult & { readonly folded: false })
  | { readonly folded: true; readonly value: unknown; readonly position: bigint | null; readonly asOf: string };

/** A point of a license-position series (ledger-answers.ts, seriesPointOf). */
export type SeriesPoint = ReturnType<typeof seriesPointOf>;

const MAX_CACHED = 8;
/** How long a question about now waits for the read models to reach the store's head. */
const LIVE_WAIT_MS = 5_000;
const BUSY_RETRY_AFTER_SECONDS = 5;

/**
 * "What was it on date X": folds the events recorded up to X through the same projection
 * definitions the live read models use (asof-fold.ts). A question about now is answered by
 * the live read models (after waiting briefly for them to reach the store's head), never by a
 * fold.
 *
 * The service asks `ask` and `series`: their folds run in the as-of worker, a worker thread
 * with its own heap (asof-worker.ts), which answers the question there and sends back only the
 * answer, so neither the fold nor the collection of what it allocates holds the service's
 * loop. `at` and `each` fold here, on this thread, and hand over the folded states themselves
 * (for callers that need them whole: tests, tools).
 *
 * A fold reads and folds the log in slices and yields between them, and its snapshots are
 * written and read in steps (src/storage/chunked-serialization.ts). Answers are kept (least recently used first
 * out) by question, moment and store head, a question already being answered shares that
 * answer, and at most SAM_ASOF_MAX_CONCURRENT different moments are folded at once: past that
 * the question is refused with 503 and Retry-After rather than piling up (each fold holds a
 * copy of the tenant's read models). Snapshots of folded states (by position and recording
 * time, in the local SQLite file) let the next question start near its moment instead of at
 * position 0; their count is capped, oldest-first thinning.
 */
@Injectable()
export class PointInTime implements OnModuleDestroy {
  private readonly cache = new Map<string, PointInTimeResult>();
  /** Folds and series passes in flight on this thread, by question: the same question shares one. */
  private readonly folding = new Map<string, Promise<unknown>>();
  /** Answers from the worker: kept, and in flight (by question and moment). */
  private readonly answers = new Map<string, { value: unknown; position: bigint | null }>();
  private readonly asking = new Map<string, Promise<{ value: unknown; position: bigint | null }>>();
  /** Moments (and series passes) the worker is folding for questions in flight, with how many questions wait on each. */
  private readonly workerFolds = new Map<string, number>();
  /** Series passes in the worker in flight, by profile, moments and store head. */
  private readonly seriesPasses = new Map<string, Promise<SeriesPoint[]>>();
  private passes = 0;
  private readonly snapshots: AsOfSnapshots;
  private readonly worker: AsOfWorkerClient;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SQLITE) db: SqliteDatabase,
    @Inject(CONFIG) private readonly config: Config,
    private readonly runner: ProjectionRunner,
  ) {
    this.snapshots = new AsOfSnapshots(db);
    // The worker reads the log through this thread, slice by slice, through the one store port
    // (its adapter, upcasting and metrics, on SQLite and EventStoreDB alike): a slice is
    // short-lived here, and what survives (the folded states) lives in the worker's heap. It
    // reads and writes snapshots through a connection of its own to the SQLite file (WAL:
    // readers never wait for the writer), or through this thread for an in-memory database.
    this.worker = new AsOfWorkerClient(
      store,
      this.snapshots,
      {
        events: { kind: 'relay' },
        snapshots: db.memory ? { kind: 'relay' } : { kind: 'sqlite-file', path: db.name },
      },
      MAX_CACHED,
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.worker.close();
  }

  /** The as-of worker (tests). */
  get asOfWorker(): AsOfWorkerClient {
    return this.worker;
  }

  /**
   * The states as of `asOf`: the live read models when `live` (a question about now) or when
   * `asOf` is at or after the last event they have folded, else a fold of the log on this thread.
   */
  async at(asOf: Date, options: { live?: boolean } = {}): Promise<PointInTimeResult> {
    const iso = asOf.toISOString();
    const { live, head, liveAnswers } = await this.liveOrFold(iso, options);
    if (!liveAnswers) return this.folded(iso, head);
    return { states: this.liveStates(), position: live, asOf: iso };
  }

  /**
   * What `question` about `profileId` answers as of `asOf`: the live read models (for the
   * caller to answer from) when `at` would use them, else the answer itself, folded and
   * computed in the as-of worker.
   */
  async ask(
    asOf: Date,
    options: { live?: boolean },
    profileId: string,
    question: LedgerQuestion,
  ): Promise<PointInTimeAnswer> {
    const iso = asOf.toISOString();
    const { live, head, liveAnswers } = await this.liveOrFold(iso, options);
    if (liveAnswers) return { folded: false, states: this.liveStates(), position: live, asOf: iso };
    const moment = `${iso}@${head}`;
    const key = `${questionKey(profileId, question)}@${moment}`;
    const kept = this.answers.get(key);
    if (kept) {
      this.answers.delete(key);
      this.answers.set(key, kept);
      return { folded: true, ...kept, asOf: iso };
    }
    let asking = this.asking.get(key);
    if (!asking) {
      if (!this.workerFolds.has(moment)) this.refuseWhenBusy();
      // Counted from now on (synchronously after the check): two questions cannot both take the last place.
      asking = this.withWorkerFold(moment, async () =>
        this.worker.ask(iso, head, await this.version(), profileId, question),
      ).then((answer) => {
        this.answers.set(key, answer);
        if (this.answers.size > MAX_CACHED) this.answers.delete(this.answers.keys().next().value!);
        return answer;
      });
      const shared = asking;
      this.asking.set(key, shared);
      void shared.then(
        () => this.asking.delete(key),
        () => this.asking.delete(key),
      );
    }
    return { folded: true, ...(await asking), asOf: iso };
  }

  /**
   * The license position of `profileId` at each of `moments` (ascending ISO times), each what
   * `ask` answers for its moment: the moments before the live read models' reach from one pass
   * of the fold in the as-of worker (as `each`), the rest from the live read models. The pass
   * counts against SAM_ASOF_MAX_CONCURRENT like any fold.
   */
  async series(moments: readonly string[], profileId: string): Promise<SeriesPoint[]> {
    const { head, firstLive } = await this.firstLive(moments);
    const points: SeriesPoint[] = [];
    if (firstLive > 0) {
      const folded = moments.slice(0, firstLive);
      // The same series asked again while it is being folded (a page reloaded) shares the pass.
      const key = `${profileId}|${folded.join(',')}@${head}`;
      let pass = this.seriesPasses.get(key);
      if (!pass) {
        this.refuseWhenBusy();
        const shared = this.withWorkerFold(`each:${moments[0]}..${moments[firstLive - 1]}:${++this.passes}`, async () =>
          this.worker.series(folded, await this.version(), profileId),
        ) as Promise<SeriesPoint[]>;
        this.seriesPasses.set(key, shared);
        void shared.then(
          () => this.seriesPasses.delete(key),
          () => this.seriesPasses.delete(key),
        );
        pass = shared;
      }
      points.push(...(await pass));
    }
    for (let i = firstLive; i < moments.length; i++) {
      await nextTurn();
      // `at` checks again: events recorded meanwhile may make a moment one to fold after all.
      const { states, position, asOf } = await this.at(new Date(moments[i]));
      points.push(seriesPointOf(states, profileId, asOf, position));
    }
    return points;
  }

  /**
   * What `at` answers for each of `moments` (ascending ISO times), from one forward pass over
   * the history on this thread instead of one fold per moment: the fold starts at the snapshot
   * nearest the first moment and, each time it is about to apply an event recorded after the
   * next moment, hands the states as they are to `answer`. Moments the live read models can
   * answer (as in `at`) are asked of `at` itself. `answer` runs synchronously on states the fold
   * goes on to change: it must compute from them, never keep them. The loop is given back
   * between answers. The pass counts against SAM_ASOF_MAX_CONCURRENT like any fold.
   */
  async each<T>(moments: readonly string[], answer: (result: PointInTimeResult) => T): Promise<T[]> {
    const answers: T[] = new Array(moments.length);
    const { head, firstLive } = await this.firstLive(moments);
    if (firstLive > 0) {
      this.refuseWhenBusy();
      const key = `each:${moments[0]}..${moments[firstLive - 1]}@${head}:${++this.passes}`;
      const pass = this.version().then((version) =>
        foldThrough(
          moments.slice(0, firstLive),
          version,
          this.store,
          this.snapshots,
          ({ states, position }, asOf, i) => {
            answers[i] = answer({ states, position, asOf });
          },
        ),
      );
      this.folding.set(key, pass as Promise<unknown>);
      try {
        await pass;
      } finally {
        this.folding.delete(key);
      }
    }
    for (let i = firstLive; i < moments.length; i++) {
      await nextTurn();
      // `at` checks again: events recorded meanwhile may make a moment one to fold after all.
      answers[i] = answer(await this.at(new Date(moments[i])));
    }
    return answers;
  }

  /** Whether the live read models answer for `iso` (as `at` decides), with the store's head and their position. */
  private async liveOrFold(iso: string, options: { live?: boolean }) {
    const head = await this.store.headPosition();
    if (options.live && head !== null) await this.runner.waitFor(head, LIVE_WAIT_MS);
    const live = this.runner.currentPosition();
    const lastRecorded = this.runner.lastRecordedAt();
    const liveAnswers =
      head === null ||
      options.live === true ||
      (live !== null && live >= head && lastRecorded !== null && lastRecorded <= iso);
    return { head, live, liveAnswers };
  }

  /** The first of `moments` (ascending) from which on the live read models answer. */
  private async firstLive(moments: readonly string[]) {
    const head = await this.store.headPosition();
    const live = this.runner.currentPosition();
    const lastRecorded = this.runner.lastRecordedAt();
    const caughtUp = head === null || (live !== null && live >= head);
    let firstLive = moments.length;
    while (
      firstLive > 0 &&
      (head === null || (caughtUp && lastRecorded !== null && lastRecorded <= moments[firstLive - 1]))
    )
      firstLive -= 1;
    return { head, firstLive };
  }

  /** Counts `work` (a question to the worker) against the fold of `moment` while it runs. */
  private async withWorkerFold<T>(moment: string, work: () => Promise<T>): Promise<T> {
    this.workerFolds.set(moment, (this.workerFolds.get(moment) ?? 0) + 1);
    try {
      return await work();
    } finally {
      const left = this.workerFolds.get(moment)! - 1;
      if (left === 0) this.workerFolds.delete(moment);
      else this.workerFolds.set(moment, left);
    }
  }

  private liveStates(): LedgerStates {
    return {
      profiles: this.runner.state(profilesProjection),
      subscriptions: this.runner.state(subscriptionsProjection),
      catalogs: this.runner.state(tenantCatalogProjection),
      environments: this.runner.state(environmentsProjection),
    };
  }

  /** A snapshot belongs to its format, its projections and the store it was folded from. */
  private async version(): Promise<string> {
    return `${FOLD_VERSION}|${await this.store.identity()}`;
  }

  private refuseWhenBusy(): void {
    const busy = this.folding.size + this.workerFolds.size;
    if (busy < this.config.asOfMaxConcurrent) return;
    throw askAgainIn(
      new DomainError(
        'unavailable',
        'as-of-busy',
        `${busy} questions about past moments are being answered from the event log; ask again shortly`,
      ),
      BUSY_RETRY_AFTER_SECONDS,
    );
  }

  /** From the cache, the fold in flight for the same question, or a new fold if one may start. */
  private folded(asOf: string, head: bigint | null): Promise<PointInTimeResult> {
    const key = `${asOf}@${head}`;
    const cached = this.cache.get(key);
    if (cached) {
      this.cache.delete(key);
      this.cache.set(key, cached);
      return Promise.resolve(cached);
    }
    const running = this.folding.get(key) as Promise<PointInTimeResult> | undefined;
    if (running) return running;
    this.refuseWhenBusy();
    const fold = this.version()
      .then((version) => foldTo(asOf, version, this.store, this.snapshots))
      .then(({ states, position }) => {
        const result = { states, position, asOf };
        this.cache.set(key, result);
        if (this.cache.size > MAX_CACHED) this.cache.delete(this.cache.keys().next().value!);
        return result;
      })
      .finally(() => this.folding.delete(key));
    this.folding.set(key, fold);
    return fold;
  }
}
