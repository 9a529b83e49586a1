import { Inject, Injectable } from '@nestjs/common';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { applyEvent, type ProjectedEvent, type Projection } from '../../projections/projection';
import { profilesProjection, type ProfilesReadModel } from '../../projections/profiles/profiles.projection';
import {
  subscriptionsProjection,
  type SubscriptionsReadModel,
} from '../../projections/subscriptions/subscriptions.projection';
import {
  tenantCatalogProjection,
  type TenantCatalogReadModel,
} from '../../projections/tenant-catalog/tenant-catalog.projection';
import {
  environmentsProjection,
  type EnvironmentsReadModel,
} from '../../projections/environments/environments.projection';
import type { Config } from '../config/config';
import { CONFIG, SQLITE } from '../core/tokens';
import { EVENT_STORE, type EventStore } from '../eventstore/event-store.port';
import { ProjectionRunner } from '../projection-runner/projection-runner';
import { askAgainIn, DomainError } from '../shared/domain-error';
import type { SqliteDatabase } from '../storage/sqlite-database';
import { AsOfSnapshots } from './asof-snapshots';

export interface LedgerStates {
  readonly profiles: ProfilesReadModel;
  readonly subscriptions: SubscriptionsReadModel;
  readonly catalogs: TenantCatalogReadModel;
  readonly environments: EnvironmentsReadModel;
}

export interface PointInTimeResult {
  readonly states: LedgerStates;
  /** The last event folded: the answer is reproducible from the log up to this position. */
  readonly position: bigint | null;
  readonly asOf: string;
}

const PROJECTIONS: readonly Projection<any, any>[] = [
  profilesProjection,
  subscriptionsProjection,
  tenantCatalogProjection,
  environmentsProjection,
];
/** The snapshot format is part of the version: blobs of another format are never read. */
const VERSION = ['chunked-1', ...PROJECTIONS.map((p) => `${p.name}@${p.version}`)].join(',');
/** Events read per slice: reading and folding one holds the loop for a few milliseconds. */
const SLICE = 500;
/** A fold yields the event loop once it has held it this long. */
const SLICE_MS = 10;
/** A fold that had to apply this many events leaves a snapshot behind for the next question. */
const SNAPSHOT_AFTER_EVENTS = 50_000;
const MAX_CACHED = 8;
/** How long a question about now waits for the read models to reach the store's head. */
const LIVE_WAIT_MS = 5_000;
const BUSY_RETRY_AFTER_SECONDS = 5;

/**
 * "What was it on date X": folds the events recorded up to X through the same projection
 * definitions the live read models use. A question about now is answered by the live read
 * models (after waiting briefly for them to reach the store's head), never by a fold.
 *
 * A fold never holds the event loop for long: it reads and folds the log in slices and yields
 * between them, and its snapshots are written and read in steps (chunked-snapshot.ts).
 * Answers are kept (least recently used first out) by moment and store head, a question
 * already being folded shares that fold, and at most SAM_ASOF_MAX_CONCURRENT different folds
 * run at once: past that the question is refused with 503 and Retry-After rather than piling
 * up (each fold holds a copy of the tenant's read models). Snapshots of folded states (by
 * position and recording time, in the local SQLite file) let the next question start near its
 * moment instead of at position 0; their count is capped, oldest-first thinning.
 */
@Injectable()
export class PointInTime {
  private readonly cache = new Map<string, PointInTimeResult>();
  /** Folds and series passes in flight, by question: the same question shares one. */
  private readonly folding = new Map<string, Promise<unknown>>();
  private passes = 0;
  private readonly snapshots: AsOfSnapshots;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SQLITE) db: SqliteDatabase,
    @Inject(CONFIG) private readonly config: Config,
    private readonly runner: ProjectionRunner,
  ) {
    this.snapshots = new AsOfSnapshots(db);
  }

  /**
   * The states as of `asOf`: the live read models when `live` (a question about now) or when
   * `asOf` is at or after the last event they have folded, else a fold of the log.
   */
  async at(asOf: Date, options: { live?: boolean } = {}): Promise<PointInTimeResult> {
    const iso = asOf.toISOString();
    const head = await this.store.headPosition();
    if (options.live && head !== null) await this.runner.waitFor(head, LIVE_WAIT_MS);
    const live = this.runner.currentPosition();
    const lastRecorded = this.runner.lastRecordedAt();
    const liveAnswers =
      head === null ||
      options.live === true ||
      (live !== null && live >= head && lastRecorded !== null && lastRecorded <= iso);
    if (!liveAnswers) return this.folded(iso, head);
    return { states: this.liveStates(), position: live, asOf: iso };
  }

  /**
   * What `at` answers for each of `moments` (ascending ISO times), from one forward pass over
   * the history instead of one fold per moment: the fold starts at the snapshot nearest the
   * first moment and, each time it is about to apply an event recorded after the next moment,
   * hands the states as they are to `answer`. Moments the live read models can answer (as in
   * `at`) are asked of `at` itself. `answer` runs synchronously on states the fold goes on to
   * change: it must compute from them, never keep them. Each answer over a large tenant takes
   * a few hundred milliseconds, so the loop is given back between answers. The pass counts
   * against SAM_ASOF_MAX_CONCURRENT like any fold.
   */
  async each<T>(moments: readonly string[], answer: (result: PointInTimeResult) => T): Promise<T[]> {
    const answers: T[] = new Array(moments.length);
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
    if (firstLive > 0) {
      this.refuseWhenBusy();
      const key = `each:${moments[0]}..${moments[firstLive - 1]}@${head}:${++this.passes}`;
      const pass = this.foldThrough(moments.slice(0, firstLive), answer, answers);
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
    return `${VERSION}|${await this.store.identity()}`;
  }

  private refuseWhenBusy(): void {
    if (this.folding.size < this.config.asOfMaxConcurrent) return;
    throw askAgainIn(
      new DomainError(
        'unavailable',
        'as-of-busy',
        `${this.folding.size} questions about past moments are being answered from the event log; ask again shortly`,
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
    const fold = this.fold(asOf)
      .then((result) => {
        this.cache.set(key, result);
        if (this.cache.size > MAX_CACHED) this.cache.delete(this.cache.keys().next().value!);
        return result;
      })
      .finally(() => this.folding.delete(key));
    this.folding.set(key, fold);
    return fold;
  }

  private async fold(asOf: string): Promise<PointInTimeResult> {
    const version = await this.version();
    // A snapshot that cannot be read (thinned away while being read, say) only costs a longer fold.
    const start = await this.snapshots.nearest(asOf, version).catch(() => null);
    const states: unknown[] = start ? start.states : PROJECTIONS.map((p) => p.initialState());
    let position: bigint | null = start?.position ?? null;
    let recordedAt: string | null = start?.recordedAt ?? null;
    let folded = 0;
    let sliceStarted = performance.now();
    for (let stop = false; !stop;) {
      const events = await this.store.readAll({ after: position, maxCount: SLICE });
      stop = events.length < SLICE;
      for (const event of events) {
        if (event.recordedAt > asOf) {
          stop = true;
          break;
        }
        const projected = event as unknown as ProjectedEvent;
        for (let i = 0; i < states.length; i++) states[i] = applyEvent(PROJECTIONS[i]!, states[i], projected);
        position = event.position;
        recordedAt = event.recordedAt;
        folded += 1;
      }
      if (performance.now() - sliceStarted >= SLICE_MS) {
        await nextTurn();
        sliceStarted = performance.now();
      }
    }
    if (folded >= SNAPSHOT_AFTER_EVENTS && position !== null && recordedAt !== null)
      await this.snapshots.save(position, recordedAt, states, version);
    return { states: ledgerStatesOf(states), position, asOf };
  }

  /** `each`'s pass: as `fold`, answering each moment on the way instead of only the last. */
  private async foldThrough<T>(
    moments: readonly string[],
    answer: (result: PointInTimeResult) => T,
    answers: T[],
  ): Promise<void> {
    const version = await this.version();
    const start = await this.snapshots.nearest(moments[0], version).catch(() => null);
    const states: unknown[] = start ? start.states : PROJECTIONS.map((p) => p.initialState());
    let position: bigint | null = start?.position ?? null;
    let recordedAt: string | null = start?.recordedAt ?? null;
    let folded = 0;
    let next = 0;
    const answerNext = () => {
      answers[next] = answer({ states: ledgerStatesOf(states), position, asOf: moments[next] });
      next += 1;
    };
    let sliceStarted = performance.now();
    reading: for (;;) {
      const events = await this.store.readAll({ after: position, maxCount: SLICE });
      for (const event of events) {
        while (event.recordedAt > moments[next]) {
          answerNext();
          if (next === moments.length) break reading;
          await nextTurn();
          sliceStarted = performance.now();
        }
        const projected = event as unknown as ProjectedEvent;
        for (let i = 0; i < states.length; i++) states[i] = applyEvent(PROJECTIONS[i]!, states[i], projected);
        position = event.position;
        recordedAt = event.recordedAt;
        folded += 1;
      }
      if (events.length < SLICE) break;
      if (performance.now() - sliceStarted >= SLICE_MS) {
        await nextTurn();
        sliceStarted = performance.now();
      }
    }
    while (next < moments.length) {
      answerNext();
      if (next < moments.length) await nextTurn();
    }
    if (folded >= SNAPSHOT_AFTER_EVENTS && position !== null && recordedAt !== null)
      await this.snapshots.save(position, recordedAt, states, version);
  }
}

const ledgerStatesOf = (states: readonly unknown[]): LedgerStates => ({
  profiles: states[0] as ProfilesReadModel,
  subscriptions: states[1] as SubscriptionsReadModel,
  catalogs: states[2] as TenantCatalogReadModel,
  environments: states[3] as EnvironmentsReadModel,
});
