import type { EventEmitter } from 'node:events';
import type { EventSubscription, RecordedEvent } from '../event-store.port';

const BATCH = 1000;

/**
 * Catch-up then live over a store that can only be read: reads forward from the last
 * delivered position until empty, then waits for an in-process append signal or a poll
 * tick (another process may share the file). Because it only ever asks for "after the
 * last position delivered", the switch from history to live has no gap and no duplicate.
 */
export class PollingSubscription implements EventSubscription {
  private closed = false;
  private pending = false;
  private wake: (() => void) | null = null;

  constructor(
    private readonly read: (after: bigint | null, max: number) => RecordedEvent[],
    private readonly signal: EventEmitter,
    private after: bigint | null,
    private readonly pollIntervalMs: number,
  ) {}

  async *[Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    // Woken in the next turn, not at once: the writer's own continuation runs first and hands
    // what it wrote to the read models (ProjectionRunner.applyWritten), so this need not read it.
    const onAppend = () => {
      this.pending = true;
      setImmediate(() => this.wake?.());
    };
    const onClosed = () => void this.close();
    this.signal.on('appended', onAppend);
    this.signal.on('closed', onClosed);
    try {
      while (!this.closed) {
        this.pending = false;
        const batch = this.read(this.after, BATCH);
        for (const event of batch) {
          if (this.closed) return;
          this.after = event.position;
          yield event;
        }
        if (batch.length === BATCH || this.pending) continue;
        await this.sleep();
      }
    } finally {
      this.signal.off('appended', onAppend);
      this.signal.off('closed', onClosed);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wake?.();
  }

  private sleep(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, this.pollIntervalMs);
      this.wake = done;
    });
  }
}
