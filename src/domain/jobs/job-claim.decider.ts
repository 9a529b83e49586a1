import { conflict } from '../../shared/domain-error';
import { assertNever, type Decider } from '../decider';
import type { JobEvent, JobName, JobTrigger } from './job.events';

export interface Claim {
  readonly runId: string;
  readonly instanceId: string;
  readonly claimedAt: string;
  readonly slot: string | null;
}

/** One profile job: at most one run at a time; each scheduled slot (a UTC day) runs once. */
export interface JobClaimState {
  readonly current: Claim | null;
  readonly lastSlot: string | null;
}

type ClaimEvent = Extract<JobEvent, { type: 'JobRunClaimed' | 'JobRunReleased' }>;

export type JobClaimCommand =
  | {
      type: 'ClaimJobRun';
      data: {
        runId: string;
        profileId: string;
        job: JobName;
        trigger: JobTrigger;
        slot: string | null;
        instanceId: string;
        at: string;
      };
    }
  | {
      type: 'ReleaseJobRun';
      data: { runId: string; profileId: string; job: JobName; outcome: 'succeeded' | 'failed'; at: string };
    };

export const jobClaimDecider: Decider<JobClaimCommand, ClaimEvent, JobClaimState> = {
  initialState: () => ({ current: null, lastSlot: null }),

  evolve(state, event) {
    switch (event.type) {
      case 'JobRunClaimed': {
        const { runId, instanceId, claimedAt, slot } = event.data;
        return { current: { runId, instanceId, claimedAt, slot }, lastSlot: slot ?? state.lastSlot };
      }
      case 'JobRunReleased':
        return state.current?.runId === event.data.runId ? { ...state, current: null } : state;
      default:
        return assertNever(event);
    }
  },

  decide(command, state) {
    switch (command.type) {
      case 'ClaimJobRun': {
        const { runId, profileId, job, trigger, slot, instanceId, at } = command.data;
        if (state.current)
          throw conflict('job-already-running', `${job} already runs for this profile (run ${state.current.runId})`);
        if (slot !== null && state.lastSlot !== null && slot <= state.lastSlot) {
          throw conflict('job-slot-taken', `the scheduled ${job} run for ${slot} has already been claimed`);
        }
        return [{ type: 'JobRunClaimed', data: { runId, profileId, job, trigger, slot, instanceId, claimedAt: at } }];
      }
      case 'ReleaseJobRun': {
        const { runId, profileId, job, outcome, at } = command.data;
        if (state.current?.runId !== runId) return [];
        return [{ type: 'JobRunReleased', data: { runId, profileId, job, outcome, releasedAt: at } }];
      }
      default:
        return assertNever(command);
    }
  },
};
