import type { JobEvent, JobFailure, JobName, JobTrigger } from '../../src/domain/jobs/job.events';
import { defineProjection } from '../projection';

export type JobRunStatus = 'queued' | 'running' | 'succeeded' | 'failed';

export interface JobRunView {
  readonly runId: string;
  readonly profileId: string;
  readonly job: JobName;
  trigger: JobTrigger;
  status: JobRunStatus;
  instanceId: string;
  queuedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** Last heartbeat: a claim whose run has been silent long enough is presumed dead. */
  lastSeenAt: string;
  progress: { phase: string; done: number; total: number | null } | null;
  summary: Record<string, number | string | null> | null;
  error: (JobFailure & { interrupted: boolean }) | null;
}

export interface JobRunsReadModel {
  readonly runs: Map<string, JobRunView>;
  /** Run ids per profile, in claim order. */
  readonly byProfile: Map<string, string[]>;
  /** `${profileId}.${job}` -> the run holding the claim. */
  readonly claims: Map<string, { runId: string; instanceId: string; claimedAt: string; revision: number }>;
  /** `${profileId}.${job}` -> revision of the claim stream and the last scheduled slot. */
  readonly claimStreams: Map<string, { revision: number; lastSlot: string | null }>;
}

const runOf = (state: JobRunsReadModel, runId: string) => state.runs.get(runId);

/** The brief's "scheduled job results": every run of every profile job, and who holds each claim. */
export const jobRunsProjection = defineProjection<JobRunsReadModel, JobEvent>({
  name: 'job-runs',
  version: 1,
  initialState: () => ({ runs: new Map(), byProfile: new Map(), claims: new Map(), claimStreams: new Map() }),
  handlers: {
    JobRunClaimed: (state, e) => {
      const d = e.data;
      const key = `${d.profileId}.${d.job}`;
      state.claims.set(key, { runId: d.runId, instanceId: d.instanceId, claimedAt: d.claimedAt, revision: e.revision });
      const stream = state.claimStreams.get(key);
      state.claimStreams.set(key, { revision: e.revision, lastSlot: d.slot ?? stream?.lastSlot ?? null });
      if (!state.runs.has(d.runId)) {
        state.runs.set(d.runId, {
          runId: d.runId,
          profileId: d.profileId,
          job: d.job,
          trigger: d.trigger,
          status: 'queued',
          instanceId: d.instanceId,
          queuedAt: d.claimedAt,
          startedAt: null,
          finishedAt: null,
          lastSeenAt: d.claimedAt,
          progress: null,
          summary: null,
          error: null,
        });
        const list = state.byProfile.get(d.profileId) ?? [];
        list.push(d.runId);
        state.byProfile.set(d.profileId, list);
      }
      return state;
    },
    JobRunReleased: (state, e) => {
      const key = `${e.data.profileId}.${e.data.job}`;
      if (state.claims.get(key)?.runId === e.data.runId) state.claims.delete(key);
      const stream = state.claimStreams.get(key);
      state.claimStreams.set(key, { revision: e.revision, lastSlot: stream?.lastSlot ?? null });
      return state;
    },
    JobRunStarted: (state, e) => {
      const run = runOf(state, e.data.runId);
      if (run) {
        run.status = 'running';
        run.startedAt = e.data.startedAt;
        run.lastSeenAt = e.data.startedAt;
        run.instanceId = e.data.instanceId;
      }
      return state;
    },
    JobRunProgressed: (state, e) => {
      const run = runOf(state, e.data.runId);
      if (run) {
        run.progress = { phase: e.data.phase, done: e.data.done, total: e.data.total };
        run.lastSeenAt = e.data.at;
      }
      return state;
    },
    JobRunSucceeded: (state, e) => {
      const run = runOf(state, e.data.runId);
      if (run) {
        run.status = 'succeeded';
        run.finishedAt = e.data.finishedAt;
        run.lastSeenAt = e.data.finishedAt;
        run.summary = e.data.summary;
      }
      return state;
    },
    JobRunFailed: (state, e) => {
      const run = runOf(state, e.data.runId);
      if (run) {
        run.status = 'failed';
        run.finishedAt = e.data.finishedAt;
        run.lastSeenAt = e.data.finishedAt;
        run.error = { ...e.data.error, interrupted: e.data.interrupted };
      }
      return state;
    },
  },
});
