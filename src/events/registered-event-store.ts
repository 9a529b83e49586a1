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
import type { EventRegistry } from './event-registry';

/**
 * Wraps an adapter so that nothing off-contract enters the log (every appended event is
 * checked against its JSON Schema) and every reader sees current schema versions
 * (older events are upcast on the way out).
 */
export class RegisteredEventStore implements EventStore {
  readonly kind: EventStore['kind'];

  constructor(private readonly inner: EventStore, private readonly registry: EventRegistry) {
    this.kind = inner.kind;
  }

  append(streamId: string, events: readonly NewEvent[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    events.forEach((e) => this.registry.check(e));
    return this.inner.append(streamId, events, expectedRevision);
  }

  appendMany(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    for (const a of appends) a.events.forEach((e) => this.registry.check(e));
    return this.inner.appendMany(appends);
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return (await this.inner.readStream(streamId, options)).map((e) => this.registry.upcast(e));
  }

  async readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return (await this.inner.readAll(options)).map((e) => this.registry.upcast(e));
  }

  async readAt(positions: readonly bigint[]): Promise<RecordedEvent[]> {
    return (await this.inner.readAt(positions)).map((e) => this.registry.upcast(e));
  }

  subscribeAll(after?: bigint | null): EventSubscription {
    const inner = this.inner.subscribeAll(after);
    const registry = this.registry;
    return {
      close: () => inner.close(),
      async *[Symbol.asyncIterator]() {
        for await (const event of inner) yield registry.upcast(event);
      },
    };
  }

  headPosition(): Promise<bigint | null> {
    return this.inner.headPosition();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
