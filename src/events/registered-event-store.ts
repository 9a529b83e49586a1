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

  constructor(
    private readonly inner: EventStore,
    private readonly registry: EventRegistry,
  ) {
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
    return upcastAll(await this.inner.readStream(streamId, options), this.registry);
  }

  async readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return upcastAll(await this.inner.readAll(options), this.registry);
  }

  async readAt(positions: readonly bigint[]): Promise<RecordedEvent[]> {
    return upcastAll(await this.inner.readAt(positions), this.registry);
  }

  subscribeAll(after?: bigint | null): EventSubscription {
    const inner = this.inner.subscribeAll(after);
    const registry = this.registry;
    return {
      close: () => inner.close(),
      get failed() {
        return inner.failed ?? null;
      },
      async *[Symbol.asyncIterator]() {
        for await (const event of inner) yield registry.upcast(event);
      },
    };
  }

  headPosition(): Promise<bigint | null> {
    return this.inner.headPosition();
  }

  identity(): Promise<string> {
    return this.inner.identity();
  }

  probe(): Promise<void> {
    return this.inner.probe();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

/** Upcasts in place: nearly every stored event is current, and a fold reads a million of them. */
function upcastAll(events: RecordedEvent[], registry: EventRegistry): RecordedEvent[] {
  for (let i = 0; i < events.length; i++) events[i] = registry.upcast(events[i]);
  return events;
}
