import type { ProjectedEvent, Projection } from '../../projections/projection';
import type { EventStore, RecordedEvent } from '../eventstore/event-store.port';
import type { Logger } from '../logging/logger';
import type { ReadModelStore } from './read-model.store';

interface Slot {
  readonly projection: Projection<unknown, any>;
  /** The projection's handlers by event type, looked up once per event instead of through applyEvent. */
  readonly handlers: Readonly<Record<string, ((state: unknown, event: ProjectedEvent) => unknown) | undefined>>;
  state: unknown;
  position: bigint | null;
  dirty: boolean;
  faulted: string | null;
}

export interface RunnerOptions {
  /**
   * Least time between two saves of changed read models with their checkpoints. A save waits
   * for a quiet moment (no event applied for QUIET_MS) unless changes have waited MAX_DEFER_MS;
   * a burst of BURST_SAVE_EVENTS or more (a job's bulk append) is saved at its first quiet
   * moment. Each save writes one read model per turn of the event loop.
   */
  readonly persistEveryMs?: number;
  readonly catchUpBatch?: number;
}

export interface ProjectionStatus {
  readonly name: string;
  readonly version: number;
  readonly position: string | null;
  readonly faulted: string | null;
}

const RETRY_MS = [100, 250, 500, 1000, 2000, 5000];
/**
 * Serialising a 250,000-subscription read model blocks the event loop for about a second, so
 * a periodic save is put off while events are still arriving (a job's bulk append is folded
 * first) — but never for longer than MAX_DEFER_MS, which bounds what a crash makes replay.
 */
const QUIET_MS = 2_000;
const QUIET_CHECK_MS = 1_000;
const BURST_SAVE_EVENTS = 10_000;
/** Live events this close together, this many in a row, are a backlog better read in batches. */
const BURST_GAP_MS = 5;
const BURST_EVENTS = 1_000;
const MAX_DEFER_MS = 5 * 60_000;

/**
 * Feeds the pure projections from the store: catch-up in batches from the lowest
 * checkpoint, then the live subscription. Each projection applies an event once (a
 * position at or below its checkpoint is skipped), and read models are saved with their
 * checkpoints, so a restart resumes instead of replaying everything.
 */
export class ProjectionRunner {
  private readonly slots = new Map<string, Slot>();
  private readonly slotList: Slot[] = [];
  private readonly handlersByType = new Map<string, readonly (Slot['handlers'][string] | undefined)[]>();
  private lastAppliedAt = 0;
  /** The highest checkpoint of any read model: events above it are new to all of them. */
  private highestCheckpoint: bigint | null = null;
  private changedSince: number | null = null;
  private appliedSinceSave = 0;
  private lastSavedAt = 0;
  private persisting = false;
  private position: bigint | null = null;
  /** Head of the store when the runner started; undefined until the store has answered. */
  private target: bigint | null | undefined = undefined;
  private caughtUp = false;
  private stopped = true;
  private restartRequested = false;
  private loop: Promise<void> | null = null;
  private subscription: { close(): Promise<void> } | null = null;
  private persistTimer: NodeJS.Timeout | null = null;
  private waiters: { position: bigint; resolve: () => void }[] = [];
  private caughtUpWaiters: ((caughtUp: boolean) => void)[] = [];
  private lastRecorded: string | null = null;
  private readonly listeners = new Set<(event: RecordedEvent) => void>();

  constructor(
    private readonly store: EventStore,
    private readonly readModels: ReadModelStore,
    projections: readonly Projection<any, any>[],
    private readonly logger: Logger,
    private readonly options: RunnerOptions = {},
  ) {
    for (const projection of projections) {
      const slot: Slot = {
        projection,
        handlers: projection.handlers as Slot['handlers'],
        state: projection.initialState(),
        position: null,
        dirty: false,
        faulted: null,
      };
      this.slots.set(projection.name, slot);
      this.slotList.push(slot);
    }
  }

  async start(): Promise<void> {
    for (const slot of this.slots.values()) {
      const stored = this.readModels.load(slot.projection.name);
      if (stored && stored.version === slot.projection.version) {
        slot.state = stored.state;
        slot.position = stored.position;
      } else if (stored) {
        this.logger.info('read model definition changed: rebuilding', {
          projection: slot.projection.name,
          from: stored.version,
          to: slot.projection.version,
        });
      }
    }
    this.position = this.lowestCheckpoint();
    this.highestCheckpoint = this.slotList.reduce<bigint | null>(
      (max, s) => (s.position !== null && (max === null || s.position > max) ? s.position : max),
      null,
    );
    this.stopped = false;
    this.loop = this.run();
    this.lastSavedAt = Date.now();
    this.persistTimer = setInterval(
      () => this.persistWhenQuiet(),
      Math.min(QUIET_CHECK_MS, this.options.persistEveryMs ?? 30_000),
    );
    this.persistTimer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.persistTimer) clearInterval(this.persistTimer);
    await this.subscription?.close();
    await this.loop;
    this.persist();
    for (const w of this.waiters) w.resolve();
    this.waiters = [];
    this.caughtUpWaiters.splice(0).forEach((resolve) => resolve(false));
  }

  /** Ready once every read model has folded everything that was in the store at start. */
  isCaughtUp(): boolean {
    return this.caughtUp;
  }

  /** Resolves when caught up (at once if already); false if the runner stopped first. */
  whenCaughtUp(): Promise<boolean> {
    if (this.caughtUp) return Promise.resolve(true);
    return new Promise((resolve) => this.caughtUpWaiters.push(resolve));
  }

  /** The live state of a read model, named by its definition: `runner.state(subscriptionsProjection)`. */
  state<S>(projection: Projection<S, any>): S {
    const slot = this.slots.get(projection.name);
    if (!slot) throw new Error(`no projection named ${projection.name}`);
    return slot.state as S;
  }

  status(): ProjectionStatus[] {
    return [...this.slots.values()].map((s) => ({
      name: s.projection.name,
      version: s.projection.version,
      position: s.position === null ? null : s.position.toString(),
      faulted: s.faulted,
    }));
  }

  currentPosition(): bigint | null {
    return this.position;
  }

  /** When the last event applied was recorded (null until one is applied). */
  lastRecordedAt(): string | null {
    return this.lastRecorded;
  }

  /** Resolves once every read model has applied the event at `position` (read-your-writes). */
  waitFor(position: bigint, timeoutMs = 10_000): Promise<boolean> {
    if (this.position !== null && this.position >= position) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(false);
      }, timeoutMs);
      const waiter = { position, resolve: () => (clearTimeout(timer), resolve(true)) };
      this.waiters.push(waiter);
    });
  }

  /** Called for every event after the read models have applied it (process managers). */
  onEvent(listener: (event: RecordedEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Drops a read model and folds it again from position 0; the others are untouched. */
  async rebuild(name: string): Promise<void> {
    const slot = this.slots.get(name);
    if (!slot) throw new Error(`no projection named ${name}`);
    // First the stored copy: if the file refuses the write, the read model keeps serving as it was.
    this.readModels.delete(name);
    slot.state = slot.projection.initialState();
    slot.position = null;
    slot.faulted = null;
    slot.dirty = true;
    this.restartRequested = true;
    await this.subscription?.close();
    const head = await this.store.headPosition();
    if (head !== null) await this.waitForSlot(slot, head);
  }

  persist(): void {
    const dirty = this.slotList.filter((s) => s.dirty && !s.faulted);
    if (dirty.length === 0) return;
    try {
      this.readModels.save(
        dirty.map((s) => ({
          name: s.projection.name,
          version: s.projection.version,
          position: s.position,
          state: s.state,
        })),
      );
      dirty.forEach((s) => (s.dirty = false));
      this.changedSince = null;
      this.appliedSinceSave = 0;
      this.lastSavedAt = Date.now();
    } catch (error) {
      this.logger.warn('could not save read models; will retry', { error });
    }
  }

  /** The periodic save: after a quiet moment, one read model per event-loop turn so requests are served in between. */
  private persistWhenQuiet(): void {
    if (this.persisting || this.changedSince === null) return;
    const now = Date.now();
    const quiet = now - this.lastAppliedAt >= QUIET_MS;
    const due =
      this.appliedSinceSave >= BURST_SAVE_EVENTS || now - this.lastSavedAt >= (this.options.persistEveryMs ?? 30_000);
    if ((quiet && due) || now - this.changedSince >= MAX_DEFER_MS) this.persistInSteps();
  }

  private persistInSteps(): void {
    if (this.persisting) return;
    this.persisting = true;
    this.changedSince = null;
    this.appliedSinceSave = 0;
    this.lastSavedAt = Date.now();
    const next = (i: number): void => {
      const slot = this.slotList.slice(i).find((s) => s.dirty && !s.faulted);
      if (!slot || this.stopped) {
        this.persisting = false;
        return;
      }
      try {
        // State and checkpoint are taken together, synchronously: the save is consistent even if events arrive between turns.
        this.readModels.save([
          { name: slot.projection.name, version: slot.projection.version, position: slot.position, state: slot.state },
        ]);
        slot.dirty = false;
      } catch (error) {
        this.changedSince ??= Date.now();
        this.logger.warn('could not save read models; will retry', { error });
      }
      setImmediate(() => next(this.slotList.indexOf(slot) + 1));
    };
    next(0);
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      this.restartRequested = false;
      try {
        if (this.target === undefined) {
          this.target = await this.store.headPosition();
          this.markCaughtUpIfThere();
        }
        await this.catchUp();
        if (this.stopped || this.restartRequested) continue;
        const subscription = this.store.subscribeAll(this.lowestCheckpoint());
        this.subscription = subscription;
        let burst = 0;
        let previousAt = 0;
        for await (const event of subscription) {
          this.apply(event);
          failures = 0;
          if (this.stopped || this.restartRequested) break;
          // A job's bulk append arrives as one long burst: read it in batches (catchUp) rather
          // than one awaited event at a time, then follow live again.
          burst = this.lastAppliedAt - previousAt <= BURST_GAP_MS ? burst + 1 : 1;
          previousAt = this.lastAppliedAt;
          if (burst >= BURST_EVENTS) break;
        }
      } catch (error) {
        if (this.stopped) break;
        const delay = RETRY_MS[Math.min(failures++, RETRY_MS.length - 1)];
        this.logger.warn('projection feed interrupted; resuming from the last checkpoint', { error, retryInMs: delay });
        await new Promise((r) => setTimeout(r, delay));
      } finally {
        await this.subscription?.close();
        this.subscription = null;
      }
    }
  }

  /** History in batches (no per-event async hop), until the head seen at start. */
  private async catchUp(): Promise<void> {
    const batch = this.options.catchUpBatch ?? 5_000;
    for (;;) {
      if (this.stopped || this.restartRequested) return;
      const events = await this.store.readAll({ after: this.lowestCheckpoint(), maxCount: batch });
      for (const event of events) this.apply(event);
      if (events.length < batch) return;
    }
  }

  private apply(event: RecordedEvent): void {
    const projected = event as unknown as ProjectedEvent;
    const { type, position } = event;
    // Past every checkpoint (the usual case) no slot needs its own comparison: bigint compares add up over a million events.
    const past = this.highestCheckpoint === null || position > this.highestCheckpoint;
    const handlers = this.handlersOf(type);
    for (let i = 0; i < this.slotList.length; i++) {
      const slot = this.slotList[i];
      if (slot.faulted || (!past && slot.position !== null && position <= slot.position)) continue;
      const handler = handlers[i];
      try {
        if (handler) slot.state = handler(slot.state, projected);
      } catch (error) {
        slot.faulted = `event ${event.type} at ${event.position}: ${(error as Error).message}`;
        this.logger.error('projection failed on an event; it is frozen until rebuilt', {
          projection: slot.projection.name,
          error,
          position: event.position,
        });
        continue;
      }
      slot.position = position;
      slot.dirty = true;
    }
    if (past) this.highestCheckpoint = position;
    this.lastAppliedAt = Date.now();
    this.changedSince ??= this.lastAppliedAt;
    this.appliedSinceSave += 1;
    if (this.position === null || event.position > this.position) {
      this.position = event.position;
      this.lastRecorded = event.recordedAt;
    }
    this.markCaughtUpIfThere();
    if (this.waiters.length > 0) this.releaseWaiters();
    for (const listener of this.listeners) listener(event);
  }

  /**
   * Each slot's handler for an event type, found once per type: a type read from the store is
   * a fresh string, and looking it up as a property of six handler objects per event re-hashes it six times.
   */
  private handlersOf(type: string): readonly (Slot['handlers'][string] | undefined)[] {
    let handlers = this.handlersByType.get(type);
    if (!handlers) this.handlersByType.set(type, (handlers = this.slotList.map((slot) => slot.handlers[type])));
    return handlers;
  }

  private markCaughtUpIfThere(): void {
    if (this.caughtUp || this.target === undefined) return;
    if (
      this.target === null ||
      (this.position !== null && this.position >= this.target) ||
      this.lowestCheckpointAtLeast(this.target)
    ) {
      this.caughtUp = true;
      this.logger.info('read models caught up', { position: this.position });
      // Saved right away, but one read model per turn: readiness and requests need not wait for ~100 MB of serialising.
      this.persistInSteps();
      this.caughtUpWaiters.splice(0).forEach((resolve) => resolve(true));
    }
  }

  private releaseWaiters(): void {
    const ready = this.waiters.filter((w) => this.position !== null && this.position >= w.position);
    this.waiters = this.waiters.filter((w) => !ready.includes(w));
    ready.forEach((w) => w.resolve());
  }

  private waitForSlot(slot: Slot, position: bigint): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (this.stopped || slot.faulted || (slot.position !== null && slot.position >= position)) return resolve();
        setTimeout(check, 10);
      };
      check();
    });
  }

  private lowestCheckpoint(): bigint | null {
    let lowest: bigint | undefined;
    for (const slot of this.slots.values()) {
      if (slot.faulted) continue;
      if (slot.position === null) return null;
      if (lowest === undefined || slot.position < lowest) lowest = slot.position;
    }
    return lowest ?? null;
  }

  private lowestCheckpointAtLeast(target: bigint): boolean {
    const lowest = this.lowestCheckpoint();
    return lowest !== null && lowest >= target;
  }
}
