import type { NewEvent } from '../../src/eventstore/event-store.port';
import type { JsonObject } from '../../src/shared/json';
import { newId } from '../../src/shared/ids';

export function testEvent(type: string, data: JsonObject = {}, id: string = newId()): NewEvent {
  return {
    id,
    type,
    data,
    metadata: {
      actor: { kind: 'system', id: 'test' },
      correlationId: 'test-correlation',
      causationId: null,
      schemaVersion: 1,
    },
  };
}

export async function collect<T>(iterable: AsyncIterable<T>, count: number, timeoutMs = 20_000): Promise<T[]> {
  const out: T[] = [];
  const iterator = iterable[Symbol.asyncIterator]();
  const deadline = Date.now() + timeoutMs;
  while (out.length < count) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new Error(`collected ${out.length} of ${count} before the deadline`);
    let timer: NodeJS.Timeout | undefined;
    const next = await Promise.race([
      iterator.next(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`collected ${out.length} of ${count}`)), remaining);
      }),
    ]).finally(() => clearTimeout(timer));
    if (next.done) break;
    out.push(next.value);
  }
  await iterator.return?.();
  return out;
}

/** A domain event as the write path would append it: the current schema version of its type, with this context. */
export function recordable(
  event: { type: string; data: unknown },
  context: { actor: NewEvent['metadata']['actor']; correlationId: string; causationId: string | null },
  registry: { get(type: string): { schemaVersion: number } | undefined },
  id: string = newId(),
): NewEvent {
  const definition = registry.get(event.type);
  if (!definition) throw new Error(`event type ${event.type} is not registered`);
  return {
    id,
    type: event.type,
    data: event.data as JsonObject,
    metadata: { ...context, schemaVersion: definition.schemaVersion },
  };
}
