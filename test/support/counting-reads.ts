import type { EventStore } from '../../src/eventstore/event-store.port';

/** The store with a count of the events its readers took from readAll, and an error to throw instead when set. */
export function countingReads(store: EventStore) {
  const read = { events: 0, fail: null as Error | null };
  const counted = new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'readAll')
        return async (options: Parameters<EventStore['readAll']>[0]) => {
          if (read.fail) throw read.fail;
          const events = await target.readAll(options);
          read.events += events.length;
          return events;
        };
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { store: counted, read };
}
