import type { JsonObject } from '../shared/json';

/**
 * The one event-store port. Two adapters implement it (SQLite, the embedded default, and
 * EventStoreDB) and one contract suite (test/eventstore) holds both to the same behaviour.
 *
 * Global positions are bigint inside the process and decimal strings outside it.
 * Stream revisions start at 0 for a stream's first event.
 */
export type ExpectedRevision = 'no-stream' | 'exists' | 'any' | number;

export interface EventMetadata {
  /** Who caused the event: an API key (role and key id), the scheduler, or the system. */
  readonly actor: Actor;
  readonly correlationId: string;
  readonly causationId: string | null;
  readonly schemaVersion: number;
  /** When the store committed the event (ISO). Adapters set it; callers never do. */
  readonly recordedAt: string;
  readonly [key: string]: unknown;
}

export interface Actor {
  readonly kind: 'api-key' | 'scheduler' | 'system' | 'user';
  /** A stable, non-secret identifier: a key fingerprint, an instance id, a user id. */
  readonly id: string;
  readonly role?: string;
}

export interface NewEvent {
  /** Unique per event; re-appending the same ids is a no-op that returns the first result. */
  readonly id: string;
  readonly type: string;
  readonly data: JsonObject;
  readonly metadata: Omit<EventMetadata, 'recordedAt'>;
}

export interface RecordedEvent {
  readonly id: string;
  readonly streamId: string;
  readonly revision: number;
  readonly position: bigint;
  readonly type: string;
  readonly data: JsonObject;
  readonly metadata: EventMetadata;
  readonly recordedAt: string;
}

export interface AppendResult {
  /** The revision of the last event now in the stream: the expected revision for the next append. */
  readonly nextExpectedRevision: number;
  /** The global position of the last event written. */
  readonly position: bigint;
  /**
   * Set only by an adapter that has just written this append's events itself, at consecutive
   * global positions from `firstPosition` to `position`, all recorded at `recordedAt` (SQLite).
   * Absent for a repeated append (nothing written) and on EventStoreDB. The write path then
   * hands the events to the read models instead of their reading them back (docs/ARCHITECTURE.md).
   */
  readonly written?: { readonly firstPosition: bigint; readonly recordedAt: string };
}

export interface StreamAppend {
  readonly streamId: string;
  readonly events: readonly NewEvent[];
  readonly expectedRevision: ExpectedRevision;
}

export interface ReadAllOptions {
  /** Exclusive: events strictly after this position. Omit to start at the beginning. */
  readonly after?: bigint | null;
  readonly maxCount?: number;
  /** Only events of these types (the scan still advances past others). */
  readonly types?: readonly string[];
}

export interface ReadStreamOptions {
  /** Inclusive. */
  readonly fromRevision?: number;
  readonly maxCount?: number;
}

/** Committed history, then live events, in global order, without gap or duplicate. */
export interface EventSubscription extends AsyncIterable<RecordedEvent> {
  close(): Promise<void>;
  /**
   * Set when the subscription ended for good (SubscriptionFailedError: the store refused it
   * and retrying cannot help); the iteration then throws that same error. Transient drops
   * never set it: the adapter resubscribes by itself. Absent or null: not failed.
   */
  readonly failed?: Error | null;
}

export interface EventStore {
  readonly kind: 'sqlite' | 'esdb';
  append(streamId: string, events: readonly NewEvent[], expectedRevision: ExpectedRevision): Promise<AppendResult>;
  /**
   * Bulk ingestion across many streams, written in the order given. SQLite writes it in one
   * transaction (all or nothing), and so does KurrentDB 25.1+ (its multi-stream append) for
   * every batch it takes in one. Otherwise EventStoreDB writes stream by stream (each
   * stream's append is atomic), the last stream only once every other one is written, then a
   * completion marker; a failure can leave part of the batch written, and because callers use
   * deterministic event ids, calling again with the same appends completes it without
   * duplicates (docs/ARCHITECTURE.md, "Bulk appends on EventStoreDB").
   */
  appendMany(appends: readonly StreamAppend[]): Promise<AppendResult[]>;
  /** A missing stream reads as empty. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /** The events at these global positions, in the order given (an index's look-up; unknown positions are skipped). */
  readAt(positions: readonly bigint[]): Promise<RecordedEvent[]>;
  /** Exclusive start position; null or omitted = from the first event. */
  subscribeAll(after?: bigint | null): EventSubscription;
  /** Position of the last event in the store, or null when empty. */
  headPosition(): Promise<bigint | null>;
  /**
   * The store's identity: a random id written on first use, the same for every instance that
   * shares the store. A new database (a wiped volume, another file, another stream prefix)
   * has a new one: read-model checkpoints record it, so they are never applied to another store.
   */
  identity(): Promise<string>;
  /**
   * Readiness: proves, now, that the store answers a read and accepts a write, without
   * adding an event. Throws StoreUnavailableError (or the store's own error) otherwise.
   */
  probe(): Promise<void>;
  close(): Promise<void>;
}

export const EVENT_STORE = Symbol('EventStore');
