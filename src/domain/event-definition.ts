import { Type, type Static, type TProperties, type TSchema, type TUnsafe } from '@sinclair/typebox';
import type { JsonObject } from '../shared/json';
import type { DomainEvent } from './decider';

/**
 * One public event type, defined once: its JSON Schema (TypeBox builds it, and the data's
 * TypeScript type is derived from it, so the two cannot drift), its stream category, its
 * schema version, and how to upcast data stored under older versions (applied on read;
 * stored events are never rewritten).
 */
export interface EventDefinition<Type extends string = string, Data extends TSchema = TSchema> {
  readonly type: Type;
  readonly category: string;
  readonly schemaVersion: number;
  readonly description: string;
  readonly data: Data;
  /** upcasters[v] turns version v data into version v + 1; it may read when the event was recorded. */
  readonly upcasters?: Readonly<Record<number, Upcaster>>;
}

export type Upcaster = (data: JsonObject, recorded: { readonly recordedAt: string }) => JsonObject;

export const defineEvent = <const Type extends string, Data extends TSchema>(
  definition: EventDefinition<Type, Data>,
): EventDefinition<Type, Data> => definition;

/** The domain event a definition describes: `{ type, data }` with the data's type derived from its schema. */
export type EventOf<Definition> =
  Definition extends EventDefinition<infer Type, infer Data> ? DomainEvent<Type, Static<Data>> : never;

/** The union of the events a list of definitions describes. */
export type EventsOf<Definitions extends readonly EventDefinition[]> = EventOf<Definitions[number]>;

// Schema builders for event data (JSON Schema draft 2020-12). Objects allow additional
// properties: event data may gain fields, never lose or rename them.
export const str = (options: { minLength?: number; maxLength?: number } = {}) => Type.String(options);
export const uuid = Type.String({ format: 'uuid' });
export const dateTime = Type.String({ format: 'date-time' });
export const date = Type.String({ format: 'date' });
export const int = (options: { minimum?: number; maximum?: number } = {}) => Type.Integer(options);
export const num = (options: { minimum?: number } = {}) => Type.Number(options);
export const bool = Type.Boolean();
export const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
export const optional = Type.Optional;
export const array = <T extends TSchema>(items: T) => Type.Array(items);
export const object = <T extends TProperties>(properties: T) => Type.Object(properties, { additionalProperties: true });
/** A closed set of values, published as `enum`. */
export const oneOf = <const Values extends readonly (string | null)[]>(...values: Values): TUnsafe<Values[number]> =>
  Type.Unsafe<Values[number]>({ enum: [...values] });
/** An object whose keys are not known in advance (counts, summaries). */
export const record = <T extends TSchema>(values: T) => Type.Record(Type.String(), values);
