import { conflict } from '../../shared/domain-error';
import { assertNever, type Decider } from '../decider';
import type { JobEvent, JobFailure, JobName, JobTrigger } from './job.events';

type RunEvent = Exclude<JobEvent, { type: 'JobRunClaimed' | 'JobRunReleased' }>;

export type JobRunState =
  | { readonly status: 'none' }
  | {
      readonly status: 'running' | 'succeeded' | 'failed';
      readonly runId: string;
      readonly profileId: string;
      readonly job: JobName;
    };

export type JobRunCommand =
  | {
      type: 'StartJobRun';
      data: { runId: string; profileId: string; job: JobName; trigger: JobTrigger; instanceId: string; at: string };
    }
  | { type: 'RecordJobProgress'; data: { phase: string; done: number; total: number | null; at: string } }
  | { type: 'CompleteJobRun'; data: { summary: Record<string, number | string | null>; at: string } }
  | {
      type: 'FailJobRun';
      data: { error: JobFailure; interrupted: boolean; at: string; profileId: string; job: JobName; runId: string };
    };

/** A run's life: started, progress, then exactly one of succeeded or failed. */
export const jobRunDecider: Decider<JobRunCommand, RunEvent, JobRunState> = {
  initialState: () => ({ status: 'none' }),

  evolve(state, event) {
    switch (event.type) {
      case 'JobRunStarted':
        return { status: 'running', runId: event.data.runId, profileId: event.data.profileId, job: event.data.job };
      case 'JobRunProgressed':
        return state;
      case 'JobRunSucceeded':
        return state.status === 'none' ? state : { ...state, status: 'succeeded' };
      case 'JobRunFailed':
        return { status: 'failed', runId: event.data.runId, profileId: event.data.profileId, job: event.data.job };
      default:
        return assertNever(event);
    }
  },

  decide(command, state) {
    switch (command.type) {
      case 'StartJobRun': {
        if (state.status !== 'none') throw conflict('job-run-exists', `run ${command.data.runId} already started`);
        const { at, ...started } = command.data;
        return [{ type: 'JobRunStarted', data: { ...started, startedAt: at } }];
      }
      case 'RecordJobProgress':
        if (state.status !== 'running') return [];
        return [
          { type: 'JobRunProgressed', data: { runId: state.runId, profileId: state.profileId, ...command.data } },
        ];
      case 'CompleteJobRun':
        if (state.status !== 'running') throw conflict('job-run-not-running', 'only a running job can complete');
        return [
          {
            type: 'JobRunSucceeded',
            data: {
              runId: state.runId,
              profileId: state.profileId,
              job: state.job,
              summary: command.data.summary,
              finishedAt: command.data.at,
            },
          },
        ];
      case 'FailJobRun': {
        if (state.status === 'succeeded' || state.status === 'failed') return [];
        const { runId, profileId, job, error, interrupted, at } = command.data;
        return [{ type: 'JobRunFailed', data: { runId, profileId, job, error, interrupted, finishedAt: at } }];
      }
      default:
        return assertNever(command);
    }
  },
};
