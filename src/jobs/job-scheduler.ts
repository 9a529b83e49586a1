import { Inject, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { jobRunsProjection } from '../../projections/job-runs/job-runs.projection';
import type { Config } from '../config/config';
import { CONFIG, LOGGER } from '../core/tokens';
import type { Logger } from '../logging/logger';
import { ProjectionRunner } from '../projection-runner/projection-runner';
import { ProfileQueries } from '../profiles/profile.queries';
import { CLOCK, type Clock } from '../shared/clock';
import { DomainError } from '../shared/domain-error';
import { JobRunner } from './job-runner';
import { jobsOf } from './jobs-of-profile';

const TICK_MS = 60_000;

/**
 * Daily jobs for published profiles (SAM_SCHEDULER, SAM_SCHEDULE_TIME in UTC). Each day
 * is a slot; every instance may try to claim it, the claim's expected revision lets
 * exactly one through, and a taken slot is not tried again. A missed time (the service
 * was down) runs at the next tick.
 */
@Injectable()
export class JobScheduler implements BeforeApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly runner: JobRunner,
    private readonly projections: ProjectionRunner,
    private readonly profiles: ProfileQueries,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  start(): void {
    if (!this.config.scheduler.enabled || this.timer) return;
    this.timer = setInterval(() => void this.tick(), TICK_MS);
    this.timer.unref();
    void this.tick();
  }

  async tick(): Promise<number> {
    if (!this.projections.isCaughtUp()) return 0;
    // A run whose end the store refused to record still holds its claim: record it first.
    await this.runner.recordUnrecorded();
    // A run of another instance that has died (killed, its lease lapsed) holds its claim too: settle it.
    await this.runner.recoverInterrupted({ includeOwn: false }).catch((error: unknown) => {
      this.logger.warn('could not settle job runs of stopped instances', { error });
    });
    const now = this.clock.now();
    const { hour, minute } = this.config.scheduler.dailyAtUtc;
    if (now.getUTCHours() * 60 + now.getUTCMinutes() < hour * 60 + minute) return 0;
    const slot = now.toISOString().slice(0, 10);
    const runs = this.projections.state(jobRunsProjection);
    let started = 0;
    for (const profile of this.profiles.all()) {
      if (profile.status !== 'published') continue;
      for (const job of jobsOf(profile)) {
        const key = `${profile.profileId}.${job}`;
        if ((runs.claimStreams.get(key)?.lastSlot ?? '') >= slot || runs.claims.has(key)) continue;
        try {
          await this.runner.request(
            profile.profileId,
            job,
            'schedule',
            { actor: { kind: 'scheduler', id: this.config.instanceId }, correlationId: slot, causationId: null },
            slot,
          );
          started += 1;
        } catch (error) {
          if (error instanceof DomainError && error.kind === 'conflict') continue; // another instance won the slot
          this.logger.warn('scheduled job could not start', { profileId: profile.profileId, job, error });
        }
      }
    }
    return started;
  }

  beforeApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
