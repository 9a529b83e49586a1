import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { LOGGER } from '../core/tokens';
import type { Logger } from '../logging/logger';
import { ProjectionRunner } from '../projection-runner/projection-runner';
import { JobRunner } from './job-runner';
import { JobScheduler } from './job-scheduler';

/** Once the read models have caught up: settle runs a crash left behind, then start the timer. */
@Injectable()
export class JobsLifecycle implements OnApplicationBootstrap {
  private started: Promise<void> | null = null;

  constructor(
    private readonly projections: ProjectionRunner,
    private readonly runner: JobRunner,
    private readonly scheduler: JobScheduler,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.started = (async () => {
      if (!(await this.projections.whenCaughtUp())) return;
      try {
        await this.runner.recoverInterrupted();
      } catch (error) {
        this.logger.error('could not settle interrupted job runs', { error });
      }
      this.scheduler.start();
    })();
  }

  /** For tests and the demo: resolves when recovery has run and the scheduler started. */
  ready(): Promise<void> {
    return this.started ?? Promise.resolve();
  }
}
