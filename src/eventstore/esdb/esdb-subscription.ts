import type { AllStreamResolvedEvent, AllStreamSubscription } from '@eventstore/db-client';
import type { EventSubscription, RecordedEvent } from '../event-store.port';

const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 5_000;

/**
 * A catch-up subscription to $all that survives drops. The client never resubscribes by
 * itself (reference/eventstore-and-nest.md, section 3), so after an error or an end we
 * open a new subscription from the last position delivered, with exponential backoff.
 * Start positions are exclusive on the server; we also drop anything at or below the last
 * delivered position, so a resubscription can never duplicate.
 */
export class EsdbSubscription implements EventSubscription {
  private closed = false;
  private current: AllStreamSubscription | null = null;
  private wake: (() => void) | null = null;

  constructor(
    private readonly open: (after: bigint | null) => AllStreamSubscription,
    private readonly convert: (resolved: AllStreamResolvedEvent) => RecordedEvent | null,
    private after: bigint | null,
    private readonly onDrop?: (error: unknown, retryInMs: number) => void,
  ) {}

  async *[Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    let attempt = 0;
    while (!this.closed) {
      const subscription = this.open(this.after);
      this.current = subscription;
      let failure: unknown = new Error('subscription ended');
      try {
        for await (const resolved of subscription) {
          attempt = 0;
          const event = this.convert(resolved);
          if (!event || (this.after !== null && event.position <= this.after)) continue;
          this.after = event.position;
          yield event;
          if (this.closed) return;
        }
      } catch (error) {
        failure = error;
      } finally {
        this.current = null;
        await subscription.unsubscribe().catch(() => undefined);
      }
      if (this.closed) return;
      const delay = Math.min(FIRST_RETRY_MS * 1.5 ** attempt, MAX_RETRY_MS);
      attempt += 1;
      this.onDrop?.(failure, delay);
      await this.sleep(delay);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wake?.();
    await this.current?.unsubscribe().catch(() => undefined);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
