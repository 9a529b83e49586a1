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
import { deserializeInSteps, serializeInSteps } from './chunked-snapshot';

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
const MAX_SNAPSHOTS = 24;
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
  private readonly folding = new Map<string, Promise<PointInTimeResult>>();
  /** Positions whose snapshot this process is writing. */
  private readonly saving = new Set<string>();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SQLITE) private readonly db: SqliteDatabase,
    @Inject(CONFIG) private readonly config: Config,
    private readonly runner: ProjectionRunner,
  ) {
    // Snapshots are a cache: the single-blob table of earlier versions is dropped, not converted.
    db.exec(`DROP TABLE IF EXISTS ledger_snapshots;
      CREATE TABLE IF NOT EXISTS asof_snapshots (
        version TEXT NOT NULL, position TEXT NOT NULL, recorded_at TEXT NOT NULL, parts INTEGER NOT NULL,
        PRIMARY KEY (version, position));
      CREATE TABLE IF NOT EXISTS asof_snapshot_parts (
        version TEXT NOT NULL, position TEXT NOT NULL, seq INTEGER NOT NULL, part BLOB NOT NULL,
        PRIMARY KEY (version, position, seq));`);
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
    return {
      states: {
        profiles: this.runner.state(profilesProjection),
        subscriptions: this.runner.state(subscriptionsProjection),
        catalogs: this.runner.state(tenantCatalogProjection),
        environments: this.runner.state(environmentsProjection),
      },
      position: live,
      asOf: iso,
    };
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
    const running = this.folding.get(key);
    if (running) return running;
    if (this.folding.size >= this.config.asOfMaxConcurrent) {
      throw askAgainIn(
        new DomainError(
          'unavailable',
          'as-of-busy',
          `${this.folding.size} questions about past moments are being answered from the event log; ask again shortly`,
        ),
        BUSY_RETRY_AFTER_SECONDS,
      );
    }
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
    // A snapshot that cannot be read (thinned away while being read, say) only costs a longer fold.
    const start = await this.nearestSnapshot(asOf).catch(() => null);
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
      await this.saveSnapshot(position, recordedAt, states);
    return {
      states: {
        profiles: states[0] as ProfilesReadModel,
        subscriptions: states[1] as SubscriptionsReadModel,
        catalogs: states[2] as TenantCatalogReadModel,
        environments: states[3] as EnvironmentsReadModel,
      },
      position,
      asOf,
    };
  }

  private async nearestSnapshot(
    asOf: string,
  ): Promise<{ position: bigint; recordedAt: string; states: unknown[] } | null> {
    const row = this.db
      .prepare(
        'SELECT position, recorded_at FROM asof_snapshots WHERE version = ? AND recorded_at <= ? ORDER BY recorded_at DESC LIMIT 1',
      )
      .get(VERSION, asOf) as { position: string; recorded_at: string } | undefined;
    if (!row) return null;
    const part = this.db.prepare('SELECT part FROM asof_snapshot_parts WHERE version = ? AND position = ? AND seq = ?');
    const states = (await deserializeInSteps((seq) => {
      const found = part.get(VERSION, row.position, seq) as { part: Buffer } | undefined;
      if (!found) throw new Error(`as-of snapshot at ${row.position} lacks part ${seq}`);
      return found.part;
    })) as unknown[];
    return { position: BigInt(row.position), recordedAt: row.recorded_at, states };
  }

  /** Parts first, one per turn, then the row that makes the snapshot visible (a crash leaves only parts, removed at the next save). */
  private async saveSnapshot(position: bigint, recordedAt: string, states: unknown[]): Promise<void> {
    const at = position.toString();
    if (this.saving.has(at)) return;
    this.saving.add(at);
    try {
      this.db.prepare('DELETE FROM asof_snapshot_parts WHERE version = ? AND position = ?').run(VERSION, at);
      const insert = this.db.prepare(
        'INSERT INTO asof_snapshot_parts (version, position, seq, part) VALUES (?, ?, ?, ?)',
      );
      let seq = 0;
      const parts = await serializeInSteps(states, (part) => insert.run(VERSION, at, seq++, part));
      this.db
        .prepare('INSERT OR REPLACE INTO asof_snapshots (version, position, recorded_at, parts) VALUES (?, ?, ?, ?)')
        .run(VERSION, at, recordedAt, parts);
      this.thin();
    } finally {
      this.saving.delete(at);
    }
  }

  /** Snapshots of another format or of older projections go; past MAX_SNAPSHOTS, the second oldest. */
  private thin(): void {
    const remove = (version: string, position: string) => {
      this.db.prepare('DELETE FROM asof_snapshots WHERE version = ? AND position = ?').run(version, position);
      this.db.prepare('DELETE FROM asof_snapshot_parts WHERE version = ? AND position = ?').run(version, position);
    };
    const stale = this.db.prepare('SELECT DISTINCT version, position FROM asof_snapshot_parts WHERE version <> ?');
    for (const r of stale.all(VERSION) as { version: string; position: string }[]) remove(r.version, r.position);
    const kept = this.db
      .prepare('SELECT position FROM asof_snapshots WHERE version = ? ORDER BY recorded_at')
      .all(VERSION) as { position: string }[];
    // Thin the middle, keep the newest and the oldest: questions tend to be about recent dates.
    for (let i = 1; kept.length - (i - 1) > MAX_SNAPSHOTS; i++) remove(VERSION, kept[i]!.position);
  }
}
