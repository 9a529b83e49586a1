import type { JsonObject } from '../shared/json';
import type { JsonSchema } from './json-schema';

/**
 * One public event type: its stream category, current schema version, the JSON Schema of
 * its data, and how to upcast data written under older versions (applied on read; stored
 * events are never rewritten).
 */
export interface EventDefinition {
  readonly type: string;
  readonly category: string;
  readonly schemaVersion: number;
  readonly description: string;
  readonly data: JsonSchema;
  /** upcasters[v] turns version v data into version v + 1. */
  readonly upcasters?: Readonly<Record<number, (data: JsonObject) => JsonObject>>;
}

export const defineEvent = (definition: EventDefinition): EventDefinition => definition;
