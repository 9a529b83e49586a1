import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { profilesProjection } from '../../projections/profiles/profiles.projection';
import { reclamationsProjection } from '../../projections/reclamations/reclamations.projection';
import { ProjectionRunner } from '../projection-runner/projection-runner';
import type { Config } from '../config/config';
import { CONFIG, LOGGER } from '../core/tokens';
import type { Logger } from '../logging/logger';
import { Reclaimer } from './reclaimer';

/**
 * Settles reclamations a crash left waiting for Graph (API.md: "settled within 60 s of
 * restart ... never left in progress"): once the read models have caught up after start, and
 * every SAM_RECLAIM_SWEEP_SECONDS after, each reclamation still `requested` whose process is
 * gone is settled by reading the user back from Graph (Reclaimer.settleIfAbandoned). One whose
 * process is alive is left to it. A sweep that cannot reach Graph tries again at the next.
 */
@Injectable()
export class ReclamationSweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private stopped = false;

  constructor(
    private readonly runner: ProjectionRunner,
    private readonly reclaimer: Reclaimer,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    void this.runner.whenCaughtUp().then((caughtUp) => {
      if (!caughtUp || this.stopped) return;
      void this.sweep();
      this.timer = setInterval(() => void this.sweep(), this.config.reclaimSweepMs);
      this.timer.unref();
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** One pass; overlapping calls share it. Resolves with how many reclamations it settled. */
  sweep(): Promise<number> {
    this.running ??= this.pass().finally(() => (this.running = null));
    return this.running;
  }

  private async pass(): Promise<number> {
    const waiting = [...this.runner.state(reclamationsProjection).byId.values()].filter((r) => r.removing);
    const profiles = this.runner.state(profilesProjection);
    let settled = 0;
    for (const r of waiting) {
      if (this.stopped) break;
      const profile = profiles.get(r.profileId);
      if (!profile) continue;
      try {
        if (await this.reclaimer.settleIfAbandoned(profile, r.userId, r.id)) settled += 1;
      } catch (error) {
        this.logger.warn('could not settle a reclaim cut short; will try again', {
          profileId: r.profileId,
          reclamationId: r.id,
          error,
        });
      }
    }
    return settled;
  }
}
