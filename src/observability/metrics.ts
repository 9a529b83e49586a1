import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** What the read-model gauges are computed from at each scrape. */
export interface ReadModelProbe {
  /** How far the read models are behind the store's head; null when the store does not answer. */
  lag(): Promise<number | null>;
  caughtUp(): boolean;
}

let processMetrics: Registry | null = null;

/**
 * Process metrics (CPU, memory, event-loop lag, GC) belong to the process, not to one
 * application, and their collectors (an event-loop monitor, a GC observer) cannot be stopped:
 * collected once per process, however many applications a test run starts.
 */
function processRegistry(): Registry {
  if (!processMetrics) {
    processMetrics = new Registry();
    collectDefaultMetrics({ register: processMetrics });
  }
  return processMetrics;
}

/**
 * The service's Prometheus metrics, one registry per application (tests run several in one
 * process). Labels are bounded sets (route templates, job names, event types, outcomes):
 * never a profile, user, path or anything else that belongs to a tenant.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly httpRequests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly jobRuns = new Counter({
    name: 'license_ledger_job_runs_total',
    help: 'Job runs this instance finished, by job and outcome',
    labelNames: ['job', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly jobDuration = new Histogram({
    name: 'license_ledger_job_run_duration_seconds',
    help: 'How long the job runs this instance finished took, by job and outcome',
    labelNames: ['job', 'outcome'] as const,
    buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200],
    registers: [this.registry],
  });
  readonly eventsAppended = new Counter({
    name: 'license_ledger_events_appended_total',
    help: 'Events this instance appended to the event store, by type',
    labelNames: ['type'] as const,
    registers: [this.registry],
  });
  readonly sseConnections = new Gauge({
    name: 'license_ledger_sse_connections',
    help: 'Open /events/stream connections',
    registers: [this.registry],
  });
  readonly sseRefused = new Counter({
    name: 'license_ledger_sse_connections_refused_total',
    help: 'Event stream connections refused because the cap was reached',
    registers: [this.registry],
  });
  readonly authFailures = new Counter({
    name: 'license_ledger_auth_failures_total',
    help: 'Requests that presented a wrong API key, and those refused with 429 for it',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  /** The read-model gauges, computed when Prometheus scrapes. */
  watchReadModels(probe: ReadModelProbe): void {
    new Gauge({
      name: 'license_ledger_read_model_lag',
      help: 'How far the read models are behind the event store head (events with the embedded store; log bytes with EventStoreDB)',
      registers: [this.registry],
      async collect() {
        const lag = await probe.lag().catch(() => null);
        if (lag !== null) this.set(lag);
      },
    });
    new Gauge({
      name: 'license_ledger_read_models_caught_up',
      help: '1 once the read models have folded what the store held at start, else 0',
      registers: [this.registry],
      collect() {
        this.set(probe.caughtUp() ? 1 : 0);
      },
    });
  }

  /** This application's metrics and the process's, in one exposition. */
  text(): Promise<string> {
    return Registry.merge([processRegistry(), this.registry]).metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
