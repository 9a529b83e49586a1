/** JSON-safe values: what an event's data and metadata may hold (no Date, no bigint, no undefined). */
export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };
