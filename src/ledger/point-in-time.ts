import { Inject, Injectable } from '@nestjs/common';
import { deserialize, serialize } from 'node:v8';
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
import { SQLITE } from '../core/tokens';
import { EVENT_STORE, type EventStore } from '../eventstore/event-store.port';
import { ProjectionRunner } from '../projection-runner/projection-runner';
import type { SqliteDatabase } from '../storage/sqlite-database';

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
const VERSION = PROJECTIONS.map((p) => `${p.name}@${p.version}`).join(',');
const BATCH = 5_000;
/** A fold that had to apply this many events leaves a snapshot behind for the next question. */
const SNAPSHOT_AFTER_EVENTS = 50_000;
const MAX_SNAPSHOTS = 24;

/**
 * "What was it on date X": folds the events recorded up to X through the same projection
 * definitions the live read models use. Snapshots of the folded states (by position and
 * recording time, in the local SQLite file) let the next question start near its moment
 * instead of at position 0; their count is capped, oldest-first thinning.
 */
@Injectable()
export class PointInTime {
  private readonly cache = new Map<string, PointInTimeResult>();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SQLITE) private readonly db: SqliteDatabase,
    private readonly runner: ProjectionRunner,
  ) {
    db.exec(`CREATE TABLE IF NOT EXISTS ledger_snapshots (
      position TEXT NOT NULL, recorded_at TEXT NOT NULL, version TEXT NOT NULL, states BLOB NOT NULL, PRIMARY KEY (version, position)
    )`);
  }

  /** The live states when `asOf` is at or after the last event folded, else a fold. */
  async at(asOf: Date): Promise<PointInTimeResult> {
    const iso = asOf.toISOString();
    const head = await this.store.headPosition();
    const live = this.runner.currentPosition();
    const lastRecorded = this.runner.lastRecordedAt();
    const liveAnswers =
      head === null || (live !== null && live >= head && lastRecorded !== null && lastRecorded <= iso);
    if (!liveAnswers) return this.fold(iso, head);
    return { states: this.liveStates(), position: live, asOf: iso };
  }

  /**
   * What `at` answers for each of `moments` (ascending ISO times), from one forward pass over
   * the history instead of one fold per moment: the fold starts at the snapshot nearest the
   * first moment and, each time it is about to apply an event recorded after the next moment,
   * hands the states as they are to `answer`. Moments the live read models can answer (as in
   * `at`) are asked of `at` itself. `answer` runs synchronously on states the fold goes on to
   * change: it must compute from them, never keep them. Each answer over a large tenant takes
   * a few hundred milliseconds, so the loop is given back between answers.
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
    if (firstLive > 0) await this.foldThrough(moments.slice(0, firstLive), answer, answers);
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

  private async foldThrough<T>(
    moments: readonly string[],
    answer: (result: PointInTimeResult) => T,
    answers: T[],
  ): Promise<void> {
    const version = await this.snapshotVersion();
    const start = this.nearestSnapshot(moments[0], version);
    let states: unknown[] = start ? start.states : PROJECTIONS.map((p) => p.initialState());
    let position: bigint | null = start?.position ?? null;
    let recordedAt: string | null = start?.recordedAt ?? null;
    let folded = 0;
    let next = 0;
    const answerNext = () => {
      answers[next] = answer({ states: ledgerStatesOf(states), position, asOf: moments[next] });
      next += 1;
    };
    reading: for (;;) {
      const events = await this.store.readAll({ after: position, maxCount: BATCH });
      for (const event of events) {
        while (event.recordedAt > moments[next]) {
          answerNext();
          if (next === moments.length) break reading;
          await nextTurn();
        }
        const projected = event as unknown as ProjectedEvent;
        states = states.map((s, i) => applyEvent(PROJECTIONS[i], s, projected));
        position = event.position;
        recordedAt = event.recordedAt;
        folded += 1;
      }
      if (events.length < BATCH) break;
    }
    while (next < moments.length) {
      answerNext();
      if (next < moments.length) await nextTurn();
    }
    if (folded >= SNAPSHOT_AFTER_EVENTS && position !== null && recordedAt !== null)
      this.saveSnapshot(position, recordedAt, states, version);
  }

  /** A snapshot belongs to the store it was folded from (a switched or wiped store must not reuse it). */
  private async snapshotVersion(): Promise<string> {
    return `${VERSION}|${await this.store.identity()}`;
  }

  private async fold(asOf: string, head: bigint | null): Promise<PointInTimeResult> {
    const key = `${asOf}@${head}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const version = await this.snapshotVersion();
    const start = this.nearestSnapshot(asOf, version);
    let states: unknown[] = start ? start.states : PROJECTIONS.map((p) => p.initialState());
    let position: bigint | null = start?.position ?? null;
    let recordedAt: string | null = start?.recordedAt ?? null;
    let folded = 0;
    for (;;) {
      const events = await this.store.readAll({ after: position, maxCount: BATCH });
      let stop = events.length < BATCH;
      for (const event of events) {
        if (event.recordedAt > asOf) {
          stop = true;
          break;
        }
        const projected = event as unknown as ProjectedEvent;
        states = states.map((s, i) => applyEvent(PROJECTIONS[i], s, projected));
        position = event.position;
        recordedAt = event.recordedAt;
        folded += 1;
      }
      if (stop) break;
    }
    if (folded >= SNAPSHOT_AFTER_EVENTS && position !== null && recordedAt !== null)
      this.saveSnapshot(position, recordedAt, states, version);
    const result: PointInTimeResult = { states: ledgerStatesOf(states), position, asOf };
    this.cache.set(key, result);
    if (this.cache.size > 8) this.cache.delete(this.cache.keys().next().value!);
    return result;
  }

  private nearestSnapshot(
    asOf: string,
    version: string,
  ): { position: bigint; recordedAt: string; states: unknown[] } | null {
    const row = this.db
      .prepare(
        'SELECT position, recorded_at, states FROM ledger_snapshots WHERE version = ? AND recorded_at <= ? ORDER BY recorded_at DESC LIMIT 1',
      )
      .get(version, asOf) as { position: string; recorded_at: string; states: Buffer } | undefined;
    return row
      ? { position: BigInt(row.position), recordedAt: row.recorded_at, states: deserialize(row.states) }
      : null;
  }

  private saveSnapshot(position: bigint, recordedAt: string, states: unknown[], version: string): void {
    this.db
      .prepare('INSERT OR REPLACE INTO ledger_snapshots (position, recorded_at, version, states) VALUES (?, ?, ?, ?)')
      .run(position.toString(), recordedAt, version, serialize(states));
    const count = (
      this.db.prepare('SELECT COUNT(*) AS n FROM ledger_snapshots WHERE version = ?').get(version) as { n: number }
    ).n;
    if (count > MAX_SNAPSHOTS) {
      // Thin the middle, keep the newest and the oldest: questions tend to be about recent dates.
      this.db
        .prepare(
          'DELETE FROM ledger_snapshots WHERE rowid = (SELECT rowid FROM ledger_snapshots WHERE version = ? ORDER BY recorded_at LIMIT 1 OFFSET 1)',
        )
        .run(version);
    }
  }
}

const ledgerStatesOf = (states: readonly unknown[]): LedgerStates => ({
  profiles: states[0] as ProfilesReadModel,
  subscriptions: states[1] as SubscriptionsReadModel,
  catalogs: states[2] as TenantCatalogReadModel,
  environments: states[3] as EnvironmentsReadModel,
});

/** Lets the event loop serve other requests (a macrotask turn, not only microtasks). */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
