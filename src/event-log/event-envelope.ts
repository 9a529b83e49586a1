import type { RecordedEvent } from '../eventstore/event-store.port';
import type { JsonObject } from '../shared/json';

/** The public shape of an event, in /events, the SSE stream and history endpoints. */
export interface EventEnvelope {
  /** The event's own id (a UUID): stable across re-reads, so consumers may deduplicate by it. */
  readonly id: string;
  readonly position: string;
  readonly streamId: string;
  readonly type: string;
  readonly recordedAt: string;
  readonly data: JsonObject;
  readonly metadata: JsonObject;
}

export function toEnvelope(event: RecordedEvent): EventEnvelope {
  return {
    id: event.id,
    position: event.position.toString(),
    streamId: event.streamId,
    type: event.type,
    recordedAt: event.recordedAt,
    data: event.data,
    metadata: event.metadata as unknown as JsonObject,
  };
}
