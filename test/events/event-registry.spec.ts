import { defineEvent } from '../../src/domain/event-definition';
import { EventRegistry, EventSchemaError } from '../../src/events/event-registry';
import { ALL_EVENT_DEFINITIONS } from '../../src/domain/all-events';
import { object, str, uuid } from '../../src/domain/event-definition';
import type { RecordedEvent } from '../../src/eventstore/event-store.port';

const metadata = {
  actor: { kind: 'system' as const, id: 'test' },
  correlationId: 'c',
  causationId: null,
  schemaVersion: 2,
};

const renamed = defineEvent({
  type: 'ThingRenamed',
  category: 'thing',
  schemaVersion: 2,
  description: 'v1 had `name`; v2 splits it into `displayName`',
  data: object({ thingId: uuid, displayName: str({ minLength: 1 }) }),
  upcasters: { 1: ({ name, ...rest }) => ({ ...rest, displayName: name }) },
});

describe('event registry', () => {
  const registry = new EventRegistry([renamed]);

  it('accepts an event that matches its schema', () => {
    expect(() =>
      registry.check({
        type: 'ThingRenamed',
        data: { thingId: '0f7c4f1e-9d4b-4a8f-a2a1-3a6f1c2b9d10', displayName: 'x' },
        metadata,
      }),
    ).not.toThrow();
  });

  it('refuses unknown types, bad data, bad metadata and a wrong schema version, naming each problem', () => {
    expect(() => registry.check({ type: 'Nope', data: {}, metadata })).toThrow(EventSchemaError);
    const error = (() => {
      try {
        registry.check({
          type: 'ThingRenamed',
          data: { thingId: 'not-a-uuid' },
          metadata: { ...metadata, schemaVersion: 1, correlationId: '' },
        });
      } catch (e) {
        return e as EventSchemaError;
      }
    })()!;
    expect(error.problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('data/thingId must match format "uuid"'),
        expect.stringContaining("data must have required property 'displayName'"),
        expect.stringContaining('metadata/correlationId'),
        'metadata.schemaVersion must be 2',
      ]),
    );
  });

  it('upcasts older versions on read and leaves current ones alone', () => {
    const old = {
      id: 'e',
      streamId: 'thing-1',
      revision: 0,
      position: 1n,
      type: 'ThingRenamed',
      recordedAt: 't',
      data: { thingId: 't', name: 'Old' },
      metadata: { ...metadata, schemaVersion: 1, recordedAt: 't' },
    } as RecordedEvent;
    const upcast = registry.upcast(old);
    expect(upcast.data).toEqual({ thingId: 't', displayName: 'Old' });
    expect(upcast.metadata).toMatchObject({ schemaVersion: 2, upcastFrom: 1 });
    const current = {
      ...old,
      data: { thingId: 't', displayName: 'New' },
      metadata: { ...old.metadata, schemaVersion: 2 },
    } as RecordedEvent;
    expect(registry.upcast(current)).toBe(current);
  });

  it('the product registry compiles every public schema and publishes it', () => {
    const product = new EventRegistry(ALL_EVENT_DEFINITIONS);
    const schemas = product.schemas();
    expect(Object.keys(schemas).sort()).toEqual(ALL_EVENT_DEFINITIONS.map((d) => d.type).sort());
    for (const d of ALL_EVENT_DEFINITIONS) expect(d.description.length).toBeGreaterThan(10);
  });
});
