import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Logger } from '../logging/logger';
import { serializeInSteps } from '../storage/chunked-serialization';
import type { ReadModelStore } from './read-model.store';
import type { Slot } from './slot';

/**
 * Serialising a 250,000-subscription read model blocks the event loop for about a second, so
 * a periodic save is put off while events are still arriving (a job's bulk append is folded
 * first), but never for longer than MAX_DEFER_MS, which bounds what a crash makes replay.
 */
const QUIET_MS = 2_000;
const QUIET_CHECK_MS = 1_000;
const BURST_SAVE_EVENTS = 10_000;
const MAX_DEFER_MS = 5 * 60_000;

/**
 * When read models are saved with their checkpoints (state and position in one row, so they
 * commit together): after catching up, at the first quiet moment after a burst, otherwise at
 * most every `everyMs` once events have paused, and on shutdown. A save in steps writes one
 * read model per turn of the event loop, so requests are served in between; a read model
 * defined `saveInParts` (the 100 MB `subscriptions`) is itself serialised and written in parts,
 * a turn each, while the runner holds its events back (`holding`), so that the parts are
 * one consistent state at one checkpoint.
 */
export class ReadModelSaver {
  private lastAppliedAt = 0;
  private changedSince: number | null = null;
  private appliedSinceSave = 0;
  private lastSavedAt = 0;
  private saving = false;
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;
  /** Moves at every saveAll: a save in parts begun before it is stale and is dropped, not committed. */
  private epoch = 0;
  private hold: Promise<void> | null = null;

  constructor(
    private readonly slots: readonly Slot[],
    private readonly store: ReadModelStore,
    private readonly logger: Logger,
    private readonly everyMs: number,
    /** The store the checkpoints belong to (EventStore.identity), saved with each of them. */
    private readonly storeId: () => string | null,
  ) {}

  start(): void {
    this.stopped = false;
    this.lastSavedAt = Date.now();
    this.timer = setInterval(() => this.saveWhenQuiet(), Math.min(QUIET_CHECK_MS, this.everyMs));
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
  }

  /** An event was applied at `now` (ms). */
  applied(now: number): void {
    this.lastAppliedAt = now;
    this.changedSince ??= now;
    this.appliedSinceSave += 1;
  }

  /** While a read model is saved in parts: the runner applies no event until this resolves. */
  get holding(): Promise<void> | null {
    return this.hold;
  }

  /** Everything dirty, at once (shutdown). */
  saveAll(): void {
    this.epoch += 1;
    const dirty = this.slots.filter((s) => s.dirty && !s.faulted);
    if (dirty.length === 0) return;
    try {
      const full = dirty.filter((s) => !this.savePosition(s));
      this.store.save(full.map((s) => this.stored(s)));
      dirty.forEach((s) => (s.dirty = s.changed = false));
      this.changedSince = null;
      this.appliedSinceSave = 0;
      this.lastSavedAt = Date.now();
    } catch (error) {
      this.logger.warn('could not save read models; will retry', { error });
    }
  }

  /** One read model per event-loop turn (a large one over many). */
  saveInSteps(): void {
    if (this.saving) return;
    this.saving = true;
    this.changedSince = null;
    this.appliedSinceSave = 0;
    this.lastSavedAt = Date.now();
    void this.saveEachInTurn().finally(() => (this.saving = false));
  }

  private async saveEachInTurn(): Promise<void> {
    for (const slot of this.slots) {
      // Each read model in a turn of its own, never inside a batch the runner is applying.
      await nextTurn();
      if (this.stopped) return;
      if (!slot.dirty || slot.faulted) continue;
      try {
        // State and checkpoint are taken together, synchronously (or held still while saved in
        // parts): the save is consistent even if events arrive between turns.
        if (this.savePosition(slot)) slot.dirty = false;
        else if (!slot.projection.saveInParts) {
          this.store.save([this.stored(slot)]);
          slot.dirty = slot.changed = false;
        } else await this.saveInParts(slot);
      } catch (error) {
        this.changedSince ??= Date.now();
        this.logger.warn('could not save read models; will retry', { error });
      }
    }
  }

  private async saveInParts(slot: Slot): Promise<void> {
    const { state, ...model } = this.stored(slot);
    const epoch = this.epoch;
    const writer = this.store.saveInParts(model);
    let release = () => {};
    this.hold = new Promise<void>((resolve) => (release = resolve));
    try {
      await serializeInSteps(state, (part) => {
        if (this.stopped || epoch !== this.epoch) throw new SaveOvertaken();
        return writer.write(part);
      });
      if (this.stopped || epoch !== this.epoch) throw new SaveOvertaken();
      if (!writer.commit())
        throw new Error('its parts were removed while it was saved (a rebuild, or another process saving it)');
      // A rebuild may have replaced the state meanwhile: that one is still to be saved.
      if (slot.state === state && slot.position === model.position) slot.dirty = slot.changed = false;
    } catch (error) {
      try {
        writer.abort();
      } catch {
        // The file refused the delete too: the next save drops these parts.
      }
      if (!(error instanceof SaveOvertaken)) throw error;
    } finally {
      this.hold = null;
      release();
    }
  }

  /**
   * A read model whose state no event changed since its last save (an unchanged re-sync moves
   * the 90 MB subscriptions model's checkpoint only) gets its checkpoint moved, not its state
   * serialised again. False when it must be written whole.
   */
  private savePosition(slot: Slot): boolean {
    if (slot.changed) return false;
    const { state: _state, ...model } = this.stored(slot);
    return this.store.savePosition(model);
  }

  private stored(slot: Slot) {
    return {
      name: slot.projection.name,
      version: slot.projection.version,
      position: slot.position,
      storeId: this.storeId(),
      state: slot.state,
    };
  }

  private saveWhenQuiet(): void {
    if (this.saving || this.changedSince === null) return;
    const now = Date.now();
    const quiet = now - this.lastAppliedAt >= QUIET_MS;
    const due = this.appliedSinceSave >= BURST_SAVE_EVENTS || now - this.lastSavedAt >= this.everyMs;
    if ((quiet && due) || now - this.changedSince >= MAX_DEFER_MS) this.saveInSteps();
  }
}

/** Stopped, or everything saved at once meanwhile: the parts written are dropped. */
class SaveOvertaken extends Error {}
