import type { DomainEvent } from '../decider';
import { defineEvent } from '../../events/event-definition';
import { boolean, dateTime, integer, nullable, object, oneOfValues, string, uuid } from '../../events/json-schema';

export type JobName = 'download-subscriptions' | 'refresh-activity';
export const JOB_NAMES: readonly JobName[] = ['download-subscriptions', 'refresh-activity'];
export type JobTrigger = 'manual' | 'schedule';

export interface JobFailure {
  /** authentication | permission | not-found | throttled | unavailable | invalid-response | network | interrupted | conflict | internal ... */
  readonly cause: string;
  readonly message: string;
}

export type JobEvent =
  /** On `job-{profileId}.{job}`: who holds the one run a profile's job may have at a time. */
  | DomainEvent<
      'JobRunClaimed',
      {
        runId: string;
        profileId: string;
        job: JobName;
        trigger: JobTrigger;
        slot: string | null;
        instanceId: string;
        claimedAt: string;
      }
    >
  | DomainEvent<
      'JobRunReleased',
      { runId: string; profileId: string; job: JobName; outcome: 'succeeded' | 'failed'; releasedAt: string }
    >
  /** On `jobrun-{runId}`: the run's own history, the brief's "scheduled job result". */
  | DomainEvent<
      'JobRunStarted',
      { runId: string; profileId: string; job: JobName; trigger: JobTrigger; instanceId: string; startedAt: string }
    >
  | DomainEvent<
      'JobRunProgressed',
      { runId: string; profileId: string; phase: string; done: number; total: number | null; at: string }
    >
  | DomainEvent<
      'JobRunSucceeded',
      {
        runId: string;
        profileId: string;
        job: JobName;
        summary: Record<string, number | string | null>;
        finishedAt: string;
      }
    >
  | DomainEvent<
      'JobRunFailed',
      { runId: string; profileId: string; job: JobName; error: JobFailure; interrupted: boolean; finishedAt: string }
    >;

export const jobStreamId = (profileId: string, job: JobName): string => `job-${profileId}.${job}`;
export const jobRunStreamId = (runId: string): string => `jobrun-${runId}`;

const job = oneOfValues('download-subscriptions', 'refresh-activity');
const trigger = oneOfValues('manual', 'schedule');

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
      slot: nullable(string()),
      instanceId: string(),
      claimedAt: dateTime,
    }),
  }),
  defineEvent({
    type: 'JobRunReleased',
    category: 'job',
    schemaVersion: 1,
    description: 'The run finished and released the profile job for the next run.',
    data: object({
      runId: uuid,
      profileId: uuid,
      job,
      outcome: oneOfValues('succeeded', 'failed'),
      releasedAt: dateTime,
    }),
  }),
  defineEvent({
    type: 'JobRunStarted',
    category: 'jobrun',
    schemaVersion: 1,
    description: 'A job run began.',
    data: object({ runId: uuid, profileId: uuid, job, trigger, instanceId: string(), startedAt: dateTime }),
  }),
  defineEvent({
    type: 'JobRunProgressed',
    category: 'jobrun',
    schemaVersion: 1,
    description: 'Progress of a running job (also its heartbeat).',
    data: object({
      runId: uuid,
      profileId: uuid,
      phase: string(),
      done: integer({ minimum: 0 }),
      total: nullable(integer({ minimum: 0 })),
      at: dateTime,
    }),
  }),
  defineEvent({
    type: 'JobRunSucceeded',
    category: 'jobrun',
    schemaVersion: 1,
    description: 'A job run completed, with its summary counts.',
    data: object({ runId: uuid, profileId: uuid, job, summary: object({}, []), finishedAt: dateTime }),
  }),
  defineEvent({
    type: 'JobRunFailed',
    category: 'jobrun',
    schemaVersion: 1,
    description:
      'A job run failed with its cause; interrupted when the process died or stopped mid-run. Nothing partial was appended.',
    data: object({
      runId: uuid,
      profileId: uuid,
      job,
      error: object({ cause: string(), message: string() }),
      interrupted: boolean,
      finishedAt: dateTime,
    }),
  }),
];
