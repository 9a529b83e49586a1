import { Inject, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { jobRunsProjection } from '../../projections/job-runs/job-runs.projection';
import type { CommandContext } from '../application/command-context';
import { CommandExecutor } from '../application/command-executor';
import type { Config } from '../config/config';
import type { AppOptions } from '../core/app-options';
import { APP_OPTIONS, CONFIG, LOGGER } from '../core/tokens';
import { jobClaimDecider } from '../domain/jobs/job-claim.decider';
import { jobRunDecider, type JobRunCommand } from '../domain/jobs/job-run.decider';
import { instanceLeaseDecider } from '../domain/instance/instance-lease.decider';
import { type JobFailure, type JobName, type JobTrigger } from '../domain/jobs/job.events';
import { profileDecider } from '../domain/profile/profile.decider';
import { ConcurrencyError, StoreUnavailableError } from '../eventstore/errors';
import type { Logger } from '../logging/logger';
import type { ExistingProfile } from '../profiles/profile.view';
import { CLOCK, type Clock } from '../shared/clock';
import { DomainError, conflict, notFound } from '../shared/domain-error';
import { newId } from '../shared/ids';
import { JOB_IMPLEMENTATIONS, type JobContext, type JobImplementation } from './job-implementation';
import { jobsOf } from './jobs-of-profile';
import { streamIds } from '../domain/stream-names';

const PROGRESS_EVERY_MS = 2_000;
const HEARTBEAT_EVERY_MS = 30_000;

interface Running {
  readonly runId: string;
  readonly abort: AbortController;
  readonly done: Promise<void>;
}

/**
 * Runs profile jobs: claims the single run slot by appending to `job-{profile}.{job}`
 * with the revision it read (so of two instances only one wins), records the run's life
 * on `jobrun-{runId}`, and releases the claim at the end. A claim left by a crashed
 * process is marked failed (interrupted) and released at the next start.
 */
@Injectable()
export class JobRunner implements BeforeApplicationShutdown {
  private readonly running = new Map<string, Running>();
  /** Ends of runs the store refused to record (read-only, full), by `profile.job`: recorded before that job is claimed again. */
  private readonly unrecorded = new Map<string, () => Promise<void>>();
  private readonly implementations: ReadonlyMap<JobName, JobImplementation>;

  constructor(
    private readonly commands: CommandExecutor,
    @Inject(JOB_IMPLEMENTATIONS) implementations: JobImplementation[],
    @Inject(CONFIG) private readonly config: Config,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(APP_OPTIONS) private readonly options: AppOptions,
  ) {
    this.implementations = new Map(implementations.map((i) => [i.job, i]));
  }

  /** Claims and starts a run; 409 when the profile is not published or the job already runs. */
  async request(
    profileId: string,
    job: JobName,
    trigger: JobTrigger,
    context: CommandContext,
    slot: string | null = null,
  ) {
    const { state: profile } = await this.commands.load(streamIds.profile(profileId), profileDecider);
    if (profile.status === 'none') throw notFound('profile', profileId);
    if (!jobsOf(profile).includes(job)) throw notFound('job', `${job} of profile ${profileId}`);
    if (profile.status !== 'published')
      throw conflict('profile-not-published', 'publish the profile before running its jobs');
    const implementation = this.implementations.get(job);
    if (!implementation) throw notFound('job', job);
    await this.recordUnrecorded(`${profileId}.${job}`);
    const runId = newId();
    const runContext: CommandContext = { ...context, correlationId: runId };
    const claim = () =>
      this.commands.execute(
        streamIds.jobClaims(profileId, job),
        jobClaimDecider,
        {
          type: 'ClaimJobRun',
          data: { runId, profileId, job, trigger, slot, instanceId: this.config.instanceId, at: this.now() },
        },
        runContext,
      );
    try {
      await claim().catch(async (error: unknown) => {
        // Held by an instance that has died (its lease lapsed): settle that run, then claim once more.
        const held = error instanceof DomainError && error.code === 'job-already-running';
        if (!held || (await this.recoverInterrupted({ includeOwn: false, key: `${profileId}.${job}` })) === 0)
          throw error;
        await claim();
      });
    } catch (error) {
      if (error instanceof ConcurrencyError)
        throw conflict('job-already-running', `${job} was just claimed by another request or instance`);
      throw error;
    }
    const abort = new AbortController();
    const done = this.execute(implementation, profile, runId, trigger, runContext, abort.signal).finally(() =>
      this.running.delete(runId),
    );
    this.running.set(runId, { runId, abort, done });
    return { runId, status: 'queued' as const };
  }

  /**
   * Marks runs that died with their process as failed (interrupted) and frees their claims.
   * Another instance's run is dead when that instance no longer holds its lease (released,
   * or lapsed: killed without a shutdown) or the run has been silent for staleJobAfterMs.
   * This instance's own claims that it is not running count as dead only at start
   * (`includeOwn`): later, one may be a claim it has just appended and not yet started.
   */
  async recoverInterrupted(options: { includeOwn?: boolean; key?: string } = {}): Promise<number> {
    const includeOwn = options.includeOwn ?? true;
    const state = this.commands.runner.state(jobRunsProjection);
    const staleBefore = new Date(
      this.clock.now().getTime() - (this.options.staleJobAfterMs ?? 15 * 60_000),
    ).toISOString();
    let recovered = 0;
    for (const [key, claim] of [...state.claims]) {
      if (this.running.has(claim.runId) || (options.key !== undefined && key !== options.key)) continue;
      const run = state.runs.get(claim.runId);
      const mine = claim.instanceId === this.config.instanceId;
      if (mine && !includeOwn) continue;
      if (!mine && run && run.lastSeenAt > staleBefore && (await this.leaseHeld(claim.instanceId))) continue;
      const [profileId, job] = [key.slice(0, key.indexOf('.')), key.slice(key.indexOf('.') + 1) as JobName];
      const context: CommandContext = {
        actor: { kind: 'system', id: this.config.instanceId },
        correlationId: claim.runId,
        causationId: null,
      };
      const message = mine
        ? 'the service stopped while this run was in progress; nothing partial was recorded; run it again'
        : `instance ${claim.instanceId} stopped (its lease lapsed or the run went silent); the run is presumed dead`;
      await this.finish(profileId, job, claim.runId, context, { cause: 'interrupted', message }, true);
      recovered += 1;
      this.logger.warn('marked an interrupted job run as failed', { runId: claim.runId, profileId, job });
    }
    return recovered;
  }

  /** Whether an instance still holds its lease (src/instance): a process killed without a shutdown lets it lapse. */
  private async leaseHeld(instanceId: string): Promise<boolean> {
    const { state } = await this.commands.load(streamIds.instance(instanceId), instanceLeaseDecider);
    return state.status === 'held' && state.expiresAt > this.now();
  }

  isRunning(runId: string): boolean {
    return this.running.has(runId);
  }

  /**
   * Records the end of runs whose failure the store refused to take, so their claims do not
   * block the job until a restart; throws (503) while the store still refuses. Without a
   * key, every such run, errors logged (the scheduler calls it on each tick).
   */
  async recordUnrecorded(key?: string): Promise<void> {
    for (const [k, record] of [...this.unrecorded]) {
      if (key !== undefined && k !== key) continue;
      try {
        await record();
        this.unrecorded.delete(k);
      } catch (error) {
        if (key !== undefined) throw error;
        this.logger.warn('still cannot record the end of a job run', { job: k, error });
      }
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    for (const run of this.running.values()) run.abort.abort(new Error('the service is shutting down'));
    await Promise.race([
      Promise.allSettled([...this.running.values()].map((r) => r.done)),
      new Promise((r) => setTimeout(r, 10_000).unref()),
    ]);
  }

  private async execute(
    implementation: JobImplementation,
    profile: ExistingProfile,
    runId: string,
    trigger: JobTrigger,
    context: CommandContext,
    signal: AbortSignal,
  ): Promise<void> {
    const { profileId } = profile;
    const job = implementation.job;
    const stream = streamIds.jobRun(runId);
    // Every write to the run's stream waits for the one before: a progress write still in flight
    // when the run ends would otherwise race the final write for the same revision, and the
    // loser (the "completed" write) would turn a successful run into a failed one ("conflict").
    let lastWrite: Promise<unknown> = Promise.resolve();
    const record = (command: JobRunCommand) => {
      const write = lastWrite.then(() => this.commands.execute(stream, jobRunDecider, command, context));
      lastWrite = write.catch(() => undefined);
      return write;
    };
    let lastProgress = { phase: 'starting', done: 0, total: null as number | null };
    let lastProgressAt = 0;
    const heartbeat = setInterval(
      () =>
        void record({ type: 'RecordJobProgress', data: { ...lastProgress, at: this.now() } }).catch(() => undefined),
      HEARTBEAT_EVERY_MS,
    );
    heartbeat.unref();
    try {
      await record({
        type: 'StartJobRun',
        data: { runId, profileId, job, trigger, instanceId: this.config.instanceId, at: this.now() },
      });
      const ctx: JobContext = {
        runId,
        profile,
        trigger,
        context,
        signal,
        progress: (phase, done, total = null) => {
          const phaseChanged = phase !== lastProgress.phase;
          lastProgress = { phase, done, total };
          if (!phaseChanged && Date.now() - lastProgressAt < PROGRESS_EVERY_MS) return;
          lastProgressAt = Date.now();
          void record({ type: 'RecordJobProgress', data: { phase, done, total, at: this.now() } }).catch(
            () => undefined,
          );
        },
      };
      const summary = await implementation.run(ctx);
      clearInterval(heartbeat);
      await record({ type: 'CompleteJobRun', data: { summary, at: this.now() } });
      await this.release(profileId, job, runId, context, 'succeeded');
      this.logger.info('job run succeeded', { runId, profileId, job, summary });
    } catch (error) {
      clearInterval(heartbeat);
      const failure = failureOf(error, signal);
      this.logger.error('job run failed', { runId, profileId, job, cause: failure.cause, error });
      const recordFailure = async () => {
        await lastWrite;
        await this.finish(profileId, job, runId, context, failure, signal.aborted);
      };
      await recordFailure().catch((e) => {
        this.unrecorded.set(`${profileId}.${job}`, recordFailure);
        this.logger.error(
          'could not record a job failure; it is recorded before the job runs again (or marked interrupted at the next start)',
          { runId, error: e },
        );
      });
    }
  }

  private async finish(
    profileId: string,
    job: JobName,
    runId: string,
    context: CommandContext,
    error: JobFailure,
    interrupted: boolean,
  ): Promise<void> {
    await this.commands.execute(
      streamIds.jobRun(runId),
      jobRunDecider,
      { type: 'FailJobRun', data: { runId, profileId, job, error, interrupted, at: this.now() } },
      context,
    );
    await this.release(profileId, job, runId, context, 'failed');
  }

  private async release(
    profileId: string,
    job: JobName,
    runId: string,
    context: CommandContext,
    outcome: 'succeeded' | 'failed',
  ): Promise<void> {
    await this.commands.execute(
      streamIds.jobClaims(profileId, job),
      jobClaimDecider,
      { type: 'ReleaseJobRun', data: { runId, profileId, job, outcome, at: this.now() } },
      context,
    );
  }

  private now(): string {
    return this.clock.now().toISOString();
  }
}

function failureOf(error: unknown, signal: AbortSignal): JobFailure {
  if (signal.aborted)
    return {
      cause: 'interrupted',
      message: 'the service was shut down during the run; nothing partial was recorded; run it again',
    };
  if (error instanceof ConcurrencyError) {
    return {
      cause: 'conflict',
      message:
        'the ledger changed while the run was deciding (another writer); nothing partial was recorded; run it again',
    };
  }
  if (error instanceof StoreUnavailableError) {
    return {
      cause: 'store-unavailable',
      message:
        'the event store refused the write (read-only or full?); nothing partial was recorded; run it again once it takes writes',
    };
  }
  if (error instanceof DomainError) {
    const cause = (error as { cause?: unknown }).cause;
    return { cause: typeof cause === 'string' ? cause : error.code, message: error.message };
  }
  return { cause: 'internal', message: `unexpected error: ${(error as Error)?.message ?? String(error)}` };
}
