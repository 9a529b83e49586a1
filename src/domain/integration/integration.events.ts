import { dateTime, defineEvent, int, nullable, object, str, uuid, type EventsOf } from '../event-definition';

/**
 * What an integration did in people's names, on `integration-{profileId}.{systemUserId}`: an
 * audit row whose calling user is set and is not the user itself was written by the caller
 * (DESIGN.md, "Whose activity"), so it is recorded here instead of as the user's activity.
 */
export const INTEGRATION_EVENTS = [
  defineEvent({
    type: 'IntegrationActivityRecorded',
    category: 'integration',
    schemaVersion: 1,
    description:
      'A refresh found audit rows an identity wrote while impersonating users (the calling user differs from the user): how many, for how many users, and the latest.',
    data: object({
      profileId: uuid,
      runId: uuid,
      environmentUrl: str({ minLength: 1 }),
      systemUserId: str({ minLength: 1 }),
      name: nullable(str()),
      applicationId: nullable(str()),
      rows: int({ minimum: 1 }),
      usersActedFor: int({ minimum: 0 }),
      lastActivityAt: dateTime,
    }),
  }),
] as const;

export type IntegrationEvent = EventsOf<typeof INTEGRATION_EVENTS>;

/** One integration's activity in one refresh of one environment. */
export type RecordIntegrationActivity = {
  readonly type: 'RecordIntegrationActivity';
  readonly data: IntegrationEvent['data'];
};
