import type { EventSubscription, RecordedEvent } from '../event-store.port';
import { SubscriptionFailedError } from '../errors';
import { toEsdbError, type WireRecord, type WireSubscription } from './esdb-client';
import { backoff, type RetryPolicy } from './esdb-calls';

export interface SubscriptionHooks {
  /** A transient drop: we resubscribe after `retryInMs`. */
  readonly onDrop?: (error: unknown, retryInMs: number) => void;
  /** A permanent failure: the subscription has ended and will not resume. */
  readonly onFatal?: (error: SubscriptionFailedError) => void;
}

/** Resubscription backoff: starts quick, never gives up on transient drops, never waits long. */
const RESUBSCRIBE: RetryPolicy = { attempts: Infinity, firstDelayMs: 100, maxDelayMs: 5_000 };

/**
 * A catch-up subscription to $all that survives drops. The client never resubscribes by
 * itself (reference/eventstore-and-nest.md, section 3), so after a transient error or an end
 * we open a new subscription from the last position delivered, with backoff; `open` asks
 * the adapter for its current connection, so a reset client is picked up. Start positions
 * are exclusive on the server, and anything at or below the last delivered position is
 * dropped too, so a resubscription never duplicates. A permanent error (access denied,
 * $all not found, a request the server rejects) ends the iteration with a
 * SubscriptionFailedError, sets `failed` and calls `onFatal`: retrying would only hide it.
 */
export class EsdbSubscription implements EventSubscription {
  failed: SubscriptionFailedError | null = null;
  private closed = false;
  private current: WireSubscription | null = null;
  private wake: (() => void) | null = null;

  constructor(
    private readonly open: (after: bigint | null) => WireSubscription,
    private readonly convert: (record: WireRecord) => RecordedEvent | null,
    private after: bigint | null,
    private readonly hooks: SubscriptionHooks = {},
  ) {}

  async *[Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    let attempt = 0;
    while (!this.closed) {
      const subscription = this.open(this.after);
      this.current = subscription;
      let failure: unknown = new Error('the server ended the subscription');
      try {
        for await (const record of subscription) {
          attempt = 0;
          const event = this.convert(record);
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
      if (toEsdbError(failure).kind === 'permanent') {
        this.failed = new SubscriptionFailedError(
          `EventStoreDB refused the $all subscription: ${messageOf(failure)}`,
          failure,
        );
        this.hooks.onFatal?.(this.failed);
        throw this.failed;
      }
      attempt += 1;
      const delay = backoff(RESUBSCRIBE, attempt);
      this.hooks.onDrop?.(failure, delay);
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

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
