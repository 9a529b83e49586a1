import { Type } from '@sinclair/typebox';

/** Metadata on every event. recordedAt is set by the store on commit, so it is optional on append. */
export const METADATA_SCHEMA = Type.Object(
  {
    actor: Type.Object(
      {
        kind: Type.Unsafe<string>({ enum: ['api-key', 'scheduler', 'system', 'user'] }),
        id: Type.String({ minLength: 1 }),
        role: Type.Optional(Type.String()),
      },
      { additionalProperties: true },
    ),
    correlationId: Type.String({ minLength: 1 }),
    causationId: Type.Union([Type.String(), Type.Null()]),
    schemaVersion: Type.Integer({ minimum: 1 }),
    recordedAt: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: true },
);
