import { Inject, Injectable, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Config } from '../config/config';
import { CONFIG, METRICS } from '../core/tokens';
import { EVENT_STORE, type EventStore } from '../eventstore/event-store.port';
import { ProjectionRunner } from '../projection-runner/projection-runner';
import { JobMetrics } from './job-metrics';
import { MetricsController } from './metrics.controller';
import type { Metrics } from './metrics';
import { stopTracing } from './tracing';

/** Feeds the metrics that are read off the event log and the read models. */
@Injectable()
class ObservabilityLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private unsubscribe: (() => void) | null = null;

  constructor(
    @Inject(METRICS) private readonly metrics: Metrics,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly runner: ProjectionRunner,
  ) {}

  onApplicationBootstrap(): void {
    const jobs = new JobMetrics(this.metrics, this.config.instanceId);
    this.unsubscribe = this.runner.onEvent((event) => jobs.observe(event));
    this.metrics.watchReadModels({
      caughtUp: () => this.runner.isCaughtUp(),
      lag: async () => {
        const head = await this.store.headPosition();
        if (head === null) return 0;
        const applied = this.runner.currentPosition() ?? 0n;
        return Number(logOffset(this.store, head) - logOffset(this.store, applied));
      },
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.unsubscribe?.();
    await stopTracing(); // flushes the last spans before the process ends
  }
}

/**
 * Positions are row numbers in SQLite; the EventStoreDB adapter packs (commit, prepare) as
 * commit·2^64 + prepare, and the commit position is a byte offset in the server's log.
 */
const logOffset = (store: EventStore, position: bigint): bigint => (store.kind === 'esdb' ? position >> 64n : position);

@Module({ controllers: [MetricsController], providers: [ObservabilityLifecycle] })
export class ObservabilityModule {}
