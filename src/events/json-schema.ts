/**
 * Small builders for the JSON Schemas (draft 2020-12) that describe every public event.
 * Objects allow additional properties: event data may gain fields, never lose or rename them.
 */
export type JsonSchema = { readonly [key: string]: unknown };

export const string = (extra: JsonSchema = {}): JsonSchema => ({ type: 'string', ...extra });
export const uuid: JsonSchema = { type: 'string', format: 'uuid' };
export const dateTime: JsonSchema = { type: 'string', format: 'date-time' };
export const date: JsonSchema = { type: 'string', format: 'date' };
export const integer = (extra: JsonSchema = {}): JsonSchema => ({ type: 'integer', ...extra });
export const number = (extra: JsonSchema = {}): JsonSchema => ({ type: 'number', ...extra });
export const boolean: JsonSchema = { type: 'boolean' };
export const nullable = (schema: JsonSchema): JsonSchema => ({ anyOf: [schema, { type: 'null' }] });
export const array = (items: JsonSchema, extra: JsonSchema = {}): JsonSchema => ({ type: 'array', items, ...extra });
export const oneOfValues = (...values: readonly (string | number | boolean | null)[]): JsonSchema => ({ enum: values });
export const object = (
  properties: Record<string, JsonSchema>,
  required: readonly string[] = Object.keys(properties),
): JsonSchema => ({ type: 'object', properties, required, additionalProperties: true });
