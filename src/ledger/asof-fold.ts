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
import type { EventStore } from '../eventstore/event-store.port';

export interface LedgerStates {
  readonly profiles: ProfilesReadModel;
  readonly subscriptions: SubscriptionsReadModel;
  readonly catalogs: TenantCatalogReadModel;
  readonly environments: EnvironmentsReadModel;
}

export const PROJECTIONS: readonly Projection<any, any>[] = [
  profilesProjection,
  subscriptionsProjection,
  tenantCatalogProjection,
  environmentsProjection,
];
/** The snapshot format is part of the version: blobs of another format are never read. */
export const FOLD_VERSION = ['chunked-1', ...PROJECTIONS.map((p) => `${p.name}@${p.version}`)].join(',');
/** Events read per slice: reading and folding one holds the loop for a few milliseconds. */
const SLICE = 500;
/** A fold yields the event loop once it has held it this long. */
const SLICE_MS = 10;
/** A fold that had to apply this many events leaves a snapshot behind for the next question. */
const SNAPSHOT_AFTER_EVENTS = 50_000;

/** Where a fold reads the log: the event store itself, or (in the as-of worker) a reader of it. */
export type EventReader = Pick<EventStore, 'readAll'>;

/** Where a fold finds the snapshot to start from and leaves one behind. */
export interface SnapshotStore {
  nearest(asOf: string, version: string): Promise<{ position: bigint; recordedAt: string; states: unknown[] } | null>;
  save(position: bigint, recordedAt: string, states: unknown[], version: string): Promise<void>;
}

export interface Folded {
  readonly states: LedgerStates;
  /** The last event folded: the answer is reproducible from the log up to this position. */
  readonly position: bigint | null;
}

/**
 * The states as of `asOf`: the log folded, through the same projection definitions the live
 * read models use, from the nearest snapshot (or position 0) in slices of SLICE events,
 * giving the loop back every SLICE_MS; a fold of SNAPSHOT_AFTER_EVENTS or more leaves a
 * snapshot. The same code runs in the service (PointInTime.at) and in the as-of worker.
 */
export async function foldTo(
  asOf: string,
  version: string,
  store: EventReader,
  snapshots: SnapshotStore,
): Promise<Folded> {
  // A snapshot that cannot be read (thinned away while being read, say) only costs a longer fold.
  const start = await snapshots.nearest(asOf, version).catch(() => null);
  const states: unknown[] = start ? start.states : PROJECTIONS.map((p) => p.initialState());
  let position: bigint | null = start?.position ?? null;
  let recordedAt: string | null = start?.recordedAt ?? null;
  let folded = 0;
  let sliceStarted = performance.now();
  for (let stop = false; !stop;) {
    const events = await store.readAll({ after: position, maxCount: SLICE });
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
    await snapshots.save(position, recordedAt, states, version);
  return { states: ledgerStatesOf(states), position };
}

/**
 * As `foldTo`, answering each of `moments` (ascending ISO times) on the way: each time the
 * fold is about to apply an event recorded after the next moment, `answer` gets the states as
 * they are (it must compute from them, never keep them: the fold goes on to change them), and
 * the loop is given back between answers.
 */
export async function foldThrough(
  moments: readonly string[],
  version: string,
  store: EventReader,
  snapshots: SnapshotStore,
  answer: (folded: Folded, asOf: string, index: number) => void,
): Promise<void> {
  const start = await snapshots.nearest(moments[0], version).catch(() => null);
  const states: unknown[] = start ? start.states : PROJECTIONS.map((p) => p.initialState());
  let position: bigint | null = start?.position ?? null;
  let recordedAt: string | null = start?.recordedAt ?? null;
  let folded = 0;
  let next = 0;
  const answerNext = () => {
    answer({ states: ledgerStatesOf(states), position }, moments[next], next);
    next += 1;
  };
  let sliceStarted = performance.now();
  reading: for (;;) {
    const events = await store.readAll({ after: position, maxCount: SLICE });
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
    await snapshots.save(position, recordedAt, states, version);
}

export const ledgerStatesOf = (states: readonly unknown[]): LedgerStates => ({
  profiles: states[0] as ProfilesReadModel,
  subscriptions: states[1] as SubscriptionsReadModel,
  catalogs: states[2] as TenantCatalogReadModel,
  environments: states[3] as EnvironmentsReadModel,
});
