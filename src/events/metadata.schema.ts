import { dateTime, integer, nullable, object, oneOfValues, string } from './json-schema';

/** Metadata on every event. recordedAt is set by the store on commit, so it is optional on append. */
export const METADATA_SCHEMA = object(
  {
    actor: object(
      { kind: oneOfValues('api-key', 'scheduler', 'system', 'user'), id: string({ minLength: 1 }), role: string() },
      ['kind', 'id'],
    ),
    correlationId: string({ minLength: 1 }),
    causationId: nullable(string()),
    schemaVersion: integer({ minimum: 1 }),
    recordedAt: dateTime,
  },
  ['actor', 'correlationId', 'causationId', 'schemaVersion'],
);
