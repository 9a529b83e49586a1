// Longer than 300 lines: the catch-up, live-follow and apply loop with its checkpoints and waiters is one
// state machine; the save policy (read-model-saver.ts) and checkpoint restore (restore-checkpoints.ts) are apart.
import type { ProjectedEvent, Projection } from '../../projections/projection';
import { SubscriptionFailedError } from '../eventstore/errors';
import type { EventStore, RecordedEvent } from '../eventstore/event-store.port';
import type { Logger } from '../logging/logger';
import { PositionWaiters } from './position-waiters';
import { ReadModelSaver } from './read-model-saver';
import { restoreCheckpoints } from './restore-checkpoints';
import type { ReadModelStore } from './read-model.store';
import type { Slot } from './slot';

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
/** Live events this close together, this many in a row, are a backlog better read in batches. */
const BURST_GAP_MS = 5;
const BURST_EVENTS = 1_000;
/**
 * Events per catch-up read. Small enough that a batch and what it parses die young: at 5,000
 * a batch outlived the scavenges it triggered and was promoted, and reading a million events
 * took 5.4 s against 2.8 s at 500–1,000 (scripts/bench, BENCHMARKS.md figure 5).
 */
const CATCH_UP_BATCH = 1_000;

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
  private readonly saver: ReadModelSaver;
  private position: bigint | null = null;
  /** Head of the store when the runner started; undefined until the store has answered. */
  private target: bigint | null | undefined = undefined;
  private caughtUp = false;
  private stopped = true;
  private restartRequested = false;
  private loop: Promise<void> | null = null;
  private subscription: { close(): Promise<void> } | null = null;
  private readonly waiters = new PositionWaiters();
  private caughtUpWaiters: ((caughtUp: boolean) => void)[] = [];
  private lastRecorded: string | null = null;
  private readonly listeners = new Set<(event: RecordedEvent) => void>();
  /** The store's identity, recorded with every checkpoint. */
  private storeId: string | null = null;
  /** Set when the store refused the subscription for good: the read models stop following it. */
  private failure: SubscriptionFailedError | null = null;

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
        changed: true,
        faulted: null,
      };
      this.slots.set(projection.name, slot);
      this.slotList.push(slot);
    }
    this.saver = new ReadModelSaver(
      this.slotList,
      readModels,
      logger,
      options.persistEveryMs ?? 30_000,
      () => this.storeId,
    );
  }

  /** Restores saved read models (restore-checkpoints.ts says which), then folds from the lowest checkpoint. */
  async start(): Promise<void> {
    this.storeId = await this.store.identity();
    restoreCheckpoints(this.slotList, this.readModels, this.storeId, this.logger);
    this.position = this.lowestCheckpoint();
    this.highestCheckpoint = this.slotList.reduce<bigint | null>(
      (max, s) => (s.position !== null && (max === null || s.position > max) ? s.position : max),
      null,
    );
    this.stopped = false;
    this.loop = this.run();
    this.saver.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.saver.stop();
    await this.subscription?.close();
    await this.loop;
    this.persist();
    this.waiters.releaseAll();
    this.caughtUpWaiters.splice(0).forEach((resolve) => resolve(false));
  }

  /** Ready once every read model has folded everything that was in the store at start. */
  isCaughtUp(): boolean {
    return this.caughtUp;
  }

  /** The store refused the subscription for good (readiness fails with it); null while following. */
  failed(): SubscriptionFailedError | null {
    return this.failure;
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
    return this.waiters.wait(position, timeoutMs);
  }

  /**
   * Folds events this process has just written, handed over by the write path, instead of the
   * feed reading them back from the store. Only when they follow the last applied position
   * without a gap and every read model is at that position (caught up, none rebuilding or
   * behind): a position already applied (the feed got there first) is skipped, and at the
   * first gap (another writer, another process) it stops, leaving the rest to the feed. The
   * feed is then re-opened after the new position, so it does not read them back either.
   * Returns the last position applied here, or null when it applied nothing.
   */
  applyWritten(events: readonly RecordedEvent[]): bigint | null {
    if (this.stopped || this.restartRequested || this.failure || !this.caughtUp || this.position === null) return null;
    if (this.saver.holding) return null;
    if (this.highestCheckpoint !== this.position || this.lowestCheckpoint() !== this.position) return null;
    let applied: bigint | null = null;
    for (const event of events) {
      if (event.position <= this.position) continue;
      if (event.position !== this.position + 1n) break;
      this.apply(event);
      applied = event.position;
    }
    if (applied !== null) void this.subscription?.close();
    return applied;
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
    slot.changed = true;
    this.restartRequested = true;
    await this.subscription?.close();
    const head = await this.store.headPosition();
    if (head !== null) await this.waitForSlot(slot, head);
  }

  /** Saves every changed read model with its checkpoint now. */
  persist(): void {
    this.saver.saveAll();
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
          // A read model is being saved in parts: nothing is applied until its parts are one state.
          if (this.saver.holding) {
            await this.saver.holding;
            if (this.stopped || this.restartRequested) break;
          }
          // Handed over by the write path (applyWritten) before the feed read it: every read model has it.
          if (event.position <= (this.lowestCheckpoint() ?? -1n)) continue;
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
        if (error instanceof SubscriptionFailedError) {
          this.failure = error;
          this.logger.error(
            'the event store refused the read models’ subscription for good; they stop here and readiness fails until the store is fixed and the service restarted',
            { error, position: this.position },
          );
          break;
        }
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
    const batch = this.options.catchUpBatch ?? CATCH_UP_BATCH;
    for (;;) {
      if (this.stopped || this.restartRequested) return;
      const events = await this.store.readAll({ after: this.lowestCheckpoint(), maxCount: batch });
      await this.saver.holding;
      if (this.stopped || this.restartRequested) return;
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
        if (handler) {
          slot.state = handler(slot.state, projected);
          slot.changed = true;
        }
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
    this.saver.applied(this.lastAppliedAt);
    if (this.position === null || event.position > this.position) {
      this.position = event.position;
      this.lastRecorded = event.recordedAt;
    }
    this.markCaughtUpIfThere();
    if (this.position !== null) this.waiters.reached(this.position);
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
      this.saver.saveInSteps();
      this.caughtUpWaiters.splice(0).forEach((resolve) => resolve(true));
    }
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
