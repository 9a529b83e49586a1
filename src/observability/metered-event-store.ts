import type {
  AppendResult,
  EventStore,
  EventSubscription,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamAppend,
} from '../eventstore/event-store.port';
import type { Metrics } from './metrics';

/** The event store, counting what this instance appends (by type) once an append has landed. */
export class MeteredEventStore implements EventStore {
  constructor(
    private readonly store: EventStore,
    private readonly metrics: Metrics,
  ) {}

  get kind(): EventStore['kind'] {
    return this.store.kind;
  }

  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    const result = await this.store.append(streamId, events, expected);
    this.count(events);
    return result;
  }

  async appendMany(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    const results = await this.store.appendMany(appends);
    for (const append of appends) this.count(append.events);
    return results;
  }

  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return this.store.readStream(streamId, options);
  }

  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.store.readAll(options);
  }

  readAt(positions: readonly bigint[]): Promise<RecordedEvent[]> {
    return this.store.readAt(positions);
  }

  subscribeAll(after?: bigint | null): EventSubscription {
    return this.store.subscribeAll(after);
  }

  headPosition(): Promise<bigint | null> {
    return this.store.headPosition();
  }

  identity(): Promise<string> {
    return this.store.identity();
  }

  probe(): Promise<void> {
    return this.store.probe();
  }

  close(): Promise<void> {
    return this.store.close();
  }

  private count(events: readonly NewEvent[]): void {
    for (const event of events) this.metrics.eventsAppended.inc({ type: event.type });
  }
}
