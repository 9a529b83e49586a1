import { Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  type JobRunsReadModel,
  type JobRunView,
  jobRunsProjection,
} from '../../projections/job-runs/job-runs.projection';
import type { CommandContext } from '../application/command-context';
import type { Config } from '../config/config';
import { CONFIG } from '../core/tokens';
import { JOB_NAMES, type JobName } from '../domain/jobs/job.events';
import { AllowAccess } from '../http/access';
import { Caller } from '../http/command-context.decorator';
import { PageQuery, compareKeys, pageByKey } from '../http/pagination';
import { ProjectionRunner } from '../projection-runner/projection-runner';
import { ProfileId } from '../profiles/profiles.controller';
import { ProfileQueries } from '../profiles/profile.queries';
import { CLOCK, type Clock } from '../shared/clock';
import { invalid, notFound } from '../shared/domain-error';
import { JobRunner } from './job-runner';
import { jobsOf, nextDailyRun } from './jobs-of-profile';

const jobName = (value: string): JobName => {
  if (!JOB_NAMES.includes(value as JobName)) throw notFound('job', value);
  return value as JobName;
};

export function jobRunView(run: JobRunView) {
  const { runId, profileId, job, trigger, status, queuedAt, startedAt, finishedAt, progress, summary, error } = run;
  return { runId, profileId, job, trigger, status, queuedAt, startedAt, finishedAt, progress, summary, error };
}

@ApiTags('jobs')
@ApiBearerAuth()
@Controller()
export class JobsController {
  constructor(
    private readonly runner: JobRunner,
    private readonly projections: ProjectionRunner,
    private readonly profiles: ProfileQueries,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('profiles/:id/jobs')
  @AllowAccess('read')
  @ApiOperation({ summary: "The profile's scheduled jobs: subscriptions always, activity while downloadActivity" })
  jobs(@ProfileId() id: string) {
    const profile = this.profiles.get(id);
    const runs = this.runs();
    const { hour, minute } = this.config.scheduler.dailyAtUtc;
    const items = jobsOf(profile).map((job) => {
      const key = `${id}.${job}`;
      const scheduled = this.config.scheduler.enabled && profile.status === 'published';
      const last =
        [...(runs.byProfile.get(id) ?? [])]
          .reverse()
          .map((r) => runs.runs.get(r)!)
          .find((r) => r.job === job) ?? null;
      return {
        job,
        schedule: `daily at ${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')} UTC`,
        enabled: scheduled,
        nextRunAt: scheduled
          ? nextDailyRun(this.clock.now(), { hour, minute }, runs.claimStreams.get(key)?.lastSlot ?? null).toISOString()
          : null,
        runningRunId: runs.claims.get(key)?.runId ?? null,
        lastRun: last ? jobRunView(last) : null,
      };
    });
    return { items, nextCursor: null };
  }

  @Post('profiles/:id/jobs/:job/runs')
  @HttpCode(202)
  @AllowAccess('command')
  @ApiOperation({
    summary: 'Run a job now: 202 with the runId; 409 when the profile is not published or the job already runs',
  })
  run(@ProfileId() id: string, @Param('job') job: string, @Caller() caller: CommandContext) {
    return this.runner.request(id, jobName(job), 'manual', caller);
  }

  @Get('job-runs/:runId')
  @AllowAccess('read')
  jobRun(
    @Param(
      'runId',
      new ParseUUIDPipe({
        exceptionFactory: () =>
          invalid('invalid-run-id', 'the run id is not a UUID', [{ field: 'runId', problem: 'must be a UUID' }]),
      }),
    )
    runId: string,
  ) {
    const run = this.runs().runs.get(runId);
    if (!run) throw notFound('job-run', runId);
    return jobRunView(run);
  }

  @Get('profiles/:id/job-runs')
  @AllowAccess('read')
  @ApiOperation({ summary: "The profile's job results, newest first" })
  jobRuns(@ProfileId() id: string, @Query() query: PageQuery) {
    this.profiles.get(id);
    const runs = this.runs();
    const list = (runs.byProfile.get(id) ?? []).map((r) => runs.runs.get(r)!);
    // Newest first: key by the inverse of the claim order, which is the order of byProfile.
    const keyed = list
      .map((run, i) => ({ run, key: String(Number.MAX_SAFE_INTEGER - i).padStart(16, '0') }))
      .sort((a, b) => compareKeys(a.key, b.key));
    const page = pageByKey(keyed, (k) => k.key, query);
    return { items: page.items.map((k) => jobRunView(k.run)), nextCursor: page.nextCursor };
  }

  private runs(): JobRunsReadModel {
    return this.projections.state(jobRunsProjection);
  }
}
