import type { CommandContext } from '../application/command-context';
import type { JobName, JobTrigger } from '../domain/jobs/job.events';
import type { ExistingProfile } from '../profiles/profile.view';

export interface JobContext {
  readonly runId: string;
  readonly profile: ExistingProfile;
  readonly trigger: JobTrigger;
  /** Actor and correlation (the run id) for every event the job appends. */
  readonly context: CommandContext;
  /** Aborted when the service shuts down: stop at the next page. */
  readonly signal: AbortSignal;
  /** Reports progress; recorded on the run's stream at most every 2 s and at each new phase. */
  progress(phase: string, done: number, total?: number | null): void;
}

/** One kind of job's work. Throwing fails the run with the error's cause; the summary is recorded. */
export interface JobImplementation {
  readonly job: JobName;
  run(context: JobContext): Promise<Record<string, number | string | null>>;
}

export const JOB_IMPLEMENTATIONS = Symbol('JobImplementations');
