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
