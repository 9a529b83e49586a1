import { Type } from '@sinclair/typebox';
import {
  bool,
  dateTime,
  defineEvent,
  int,
  nullable,
  object,
  oneOf,
  record,
  str,
  uuid,
  type EventsOf,
} from '../event-definition';

export const JOB_NAMES = ['download-subscriptions', 'refresh-activity'] as const;
export type JobName = (typeof JOB_NAMES)[number];
export const JOB_TRIGGERS = ['manual', 'schedule'] as const;
export type JobTrigger = (typeof JOB_TRIGGERS)[number];

/** authentication | permission | not-found | throttled | unavailable | invalid-response | network | interrupted | conflict | internal ... */
const failure = object({ cause: str(), message: str() });
export type JobFailure = { readonly cause: string; readonly message: string };

const job = oneOf(...JOB_NAMES);
const trigger = oneOf(...JOB_TRIGGERS);

/**
 * `JobRunClaimed`/`JobRunReleased` are on `job-{profileId}.{job}`: who holds the one run a
 * profile's job may have at a time. The rest are on `jobrun-{runId}`: the run's own
 * history, the brief's "scheduled job result".
 */
export const JOB_EVENTS = [
  defineEvent({
    type: 'JobRunClaimed',
    category: 'job',
    schemaVersion: 1,
    description:
      'An instance claimed the single run slot of a profile job (appended with an expected revision, so only one claim wins).',
    data: object({
      runId: uuid,
      profileId: uuid,
      job,
      trigger,
      slot: nullable(str()),
      instanceId: str(),
      claimedAt: dateTime,
    }),
  }),
  defineEvent({
    type: 'JobRunReleased',
    category: 'job',
    schemaVersion: 1,
    description: 'The run finished and released the profile job for the next run.',
    data: object({ runId: uuid, profileId: uuid, job, outcome: oneOf('succeeded', 'failed'), releasedAt: dateTime }),
  }),
  defineEvent({
    type: 'JobRunStarted',
    category: 'jobrun',
    schemaVersion: 1,
    description: 'A job run began.',
    data: object({ runId: uuid, profileId: uuid, job, trigger, instanceId: str(), startedAt: dateTime }),
  }),
  defineEvent({
    type: 'JobRunProgressed',
    category: 'jobrun',
    schemaVersion: 1,
    description: 'Progress of a running job (also its heartbeat).',
    data: object({
      runId: uuid,
      profileId: uuid,
      phase: str(),
      done: int({ minimum: 0 }),
      total: nullable(int({ minimum: 0 })),
      at: dateTime,
    }),
  }),
  defineEvent({
    type: 'JobRunSucceeded',
    category: 'jobrun',
    schemaVersion: 1,
    description: 'A job run completed, with its summary counts.',
    data: object({
      runId: uuid,
      profileId: uuid,
      job,
      summary: record(Type.Union([Type.Number(), Type.String(), Type.Null()])),
      finishedAt: dateTime,
    }),
  }),
  defineEvent({
    type: 'JobRunFailed',
    category: 'jobrun',
    schemaVersion: 1,
    description:
      'A job run failed with its cause; interrupted when the process died or stopped mid-run. What it recorded before is true and stays; a download records removals only after a complete read.',
    data: object({ runId: uuid, profileId: uuid, job, error: failure, interrupted: bool, finishedAt: dateTime }),
  }),
] as const;

export type JobEvent = EventsOf<typeof JOB_EVENTS>;
