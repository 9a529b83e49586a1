import type { RecordedEvent } from '../eventstore/event-store.port';
import type { Metrics } from './metrics';

const RUN_END = new Set(['JobRunSucceeded', 'JobRunFailed']);

/**
 * Job runs this instance finished and how long they took, read off the event log as the
 * read models apply it: a run counts when this instance started it after the process
 * began, so a replay of history at start, or another instance's runs, count nothing here.
 */
export class JobMetrics {
  private readonly started = new Map<string, { job: string; at: number }>();
  private readonly since = new Date().toISOString();

  constructor(
    private readonly metrics: Metrics,
    private readonly instanceId: string,
  ) {}

  observe(event: RecordedEvent): void {
    const data = event.data as Record<string, unknown>;
    if (event.type === 'JobRunStarted') {
      if (data.instanceId === this.instanceId && event.recordedAt >= this.since)
        this.started.set(String(data.runId), { job: String(data.job), at: Date.parse(String(data.startedAt)) });
      return;
    }
    if (!RUN_END.has(event.type)) return;
    const run = this.started.get(String(data.runId));
    if (!run) return;
    this.started.delete(String(data.runId));
    const outcome = event.type === 'JobRunSucceeded' ? 'succeeded' : 'failed';
    const seconds = Math.max(0, (Date.parse(String(data.finishedAt)) - run.at) / 1000);
    this.metrics.jobRuns.inc({ job: run.job, outcome });
    this.metrics.jobDuration.observe({ job: run.job, outcome }, seconds);
  }
}
