import { join } from 'node:path';
import { ApiClient } from '../../src/demo/api-client';
import { formatLatency, type LatencySpec } from '../../src/sandbox';
import { BareClient, type BareFetch } from './bare-client';
import { runJob, seconds, type ExtraSection, type TimedRun } from './extra-report';
import { startLoadSandbox, type LoadSandbox } from './load-sandbox';
import type { LoadSandboxStats } from './load-sandbox-process';
import { BENCH_KEYS, sleep, startService } from './processes';

export interface LatencyStepOptions {
  readonly users: number;
  readonly seed: number;
  readonly latency: LatencySpec;
  readonly dir: string;
  readonly nodeOptions: string | null;
}

interface Measured {
  readonly what: string;
  readonly ms: number;
  /** Requests the sandbox received meanwhile (pages, tokens, look-ups). */
  readonly requests: number;
  /** The sum of the delays those requests were given: the floor of one sequential chain. */
  readonly latencyMs: number;
  readonly throttled: number;
  /** Requests per sandbox route meanwhile. */
  readonly routes: Record<string, number>;
  readonly summary?: Record<string, unknown>;
}

/**
 * Issue 14 item 3: a nightly run (download-subscriptions, then refresh-activity) of the service
 * against the sandbox with `--latency` and `--throttling`, twice: the first night (everything is
 * new) and the next (unchanged re-sync, activity since the last pull). Beside each job its floor:
 * every page of a chain needs the previous page's nextLink, so a chain cannot finish before the
 * sum of its requests' delays. The sandbox reports exactly which delays it handed out while the
 * job ran, so the floor is that sum, not an estimate; pages × mean is shown too. The bare client
 * reading the same pages at the same latency shows what is left above the floor for any client.
 */
export async function benchLatency(options: LatencyStepOptions, log: (line: string) => void): Promise<ExtraSection> {
  const caFile = join(options.dir, 'latency-ca.pem');
  const sandbox = await startLoadSandbox({
    users: options.users,
    seed: options.seed,
    caFile,
    latency: options.latency,
    throttling: true,
  });
  const s = sandbox.info;
  log(
    `  ${s.users} users, ${s.assignments} assignments, ${s.auditRows} audit rows; latency ${formatLatency(options.latency)}, Microsoft's throttling on`,
  );
  const service = await startService({
    name: 'service-latency',
    sqlitePath: join(options.dir, 'latency.sqlite'),
    caFile,
    logFile: join(options.dir, 'service-latency.log'),
    nodeOptions: options.nodeOptions,
  });
  const bare = new BareClient(s, sandbox.caPem);
  const rows: Measured[] = [];
  try {
    await service.ready();
    const admin = new ApiClient(service.url, BENCH_KEYS.admin);
    const { id: profileId } = await admin.post('/profiles', s.profileBody);
    const validation = await admin.post(`/profiles/${profileId}/validate`);
    if (!validation.valid) throw new Error(`profile validation failed: ${JSON.stringify(validation.checks)}`);
    await admin.post(`/profiles/${profileId}/publish`);

    const from = `${s.profileBody.analyzeActivityFrom}T00:00:00.000Z`;
    rows.push(
      await measure(sandbox, 'bare Graph read (subscribedSkus + every users page)', () => bare.graphDownload()),
    );
    rows.push(
      await measure(sandbox, 'bare Dataverse read (systemusers + audit window)', () =>
        bare.dataverseDownload(from, new Date().toISOString()),
      ),
    );
    for (const night of ['first night', 'next night'] as const) {
      for (const job of ['download-subscriptions', 'refresh-activity']) {
        log(`  ${night}: ${job}...`);
        const row = await measure(sandbox, `${night}: ${job}`, () => runJob(admin, profileId, job));
        log(
          `    ${seconds(row.ms)}, ${row.requests} requests, floor ${seconds(row.latencyMs)} (${(row.ms / row.latencyMs).toFixed(2)}×), ${row.throttled} throttled`,
        );
        rows.push(row);
        await sleep(5_000);
      }
    }
  } finally {
    bare.close();
    await service.stop();
    await sandbox.stop();
  }
  return section(options, s.users, rows);
}

async function measure(
  sandbox: LoadSandbox,
  what: string,
  work: () => Promise<BareFetch | TimedRun>,
): Promise<Measured> {
  const before = await sandbox.stats();
  // Timed here, around everything the sandbox counted (the bare client's token request included).
  const started = performance.now();
  const result = await work();
  const ms = performance.now() - started;
  const after = await sandbox.stats();
  return {
    what,
    ms,
    requests: after.requests - before.requests,
    latencyMs: (after.latency?.totalMs ?? 0) - (before.latency?.totalMs ?? 0),
    throttled: throttledCount(after) - throttledCount(before),
    routes: Object.fromEntries(
      Object.entries(after.routes)
        .map(([route, n]) => [route, n - (before.routes[route] ?? 0)] as const)
        .filter(([, n]) => n > 0),
    ),
    ...('summary' in result ? { summary: result.summary } : {}),
  };
}

const throttledCount = (stats: LoadSandboxStats): number =>
  stats.throttled ? Object.values(stats.throttled).reduce((sum, n) => sum + n, 0) : 0;

function section(options: LatencyStepOptions, users: number, rows: readonly Measured[]): ExtraSection {
  const mean = options.latency.meanMs;
  const line = (row: Measured): string =>
    `| ${row.what} | ${seconds(row.ms)} | ${row.requests} | ${seconds(row.requests * mean)} | ${seconds(row.latencyMs)} | ${(row.ms / row.latencyMs).toFixed(2)}× | ${seconds(row.ms - row.latencyMs)} | ${row.throttled} |`;
  const nights = ['first night', 'next night'].map((night) => {
    const jobs = rows.filter((row) => row.what.startsWith(night));
    const ms = jobs.reduce((sum, row) => sum + row.ms, 0);
    const floor = jobs.reduce((sum, row) => sum + row.latencyMs, 0);
    const requests = jobs.reduce((sum, row) => sum + row.requests, 0);
    return `| **${night}: nightly run (both jobs)** | **${seconds(ms)}** | ${requests} | ${seconds(requests * mean)} | ${seconds(floor)} | **${(ms / floor).toFixed(2)}×** | ${seconds(ms - floor)} | ${jobs.reduce((sum, row) => sum + row.throttled, 0)} |`;
  });
  const markdown = [
    `${users.toLocaleString('en-US')} users, latency ${formatLatency(options.latency)} per request, Microsoft's throttling on (\`--throttling\`).`,
    '',
    `| run | wall time | requests | requests × ${mean} ms | floor: Σ delays of its requests | wall ÷ floor | above the floor | 429s |`,
    '|---|---|---|---|---|---|---|---|',
    ...rows.map(line),
    ...nights,
    '',
    'Requests by route:',
    '',
    ...rows.map(
      (row) =>
        `- ${row.what}: ${Object.entries(row.routes)
          .map(([route, n]) => `${n} \`${route}\``)
          .join(', ')}`,
    ),
  ].join('\n');
  return {
    id: 'latency',
    title: `Nightly run at ${formatLatency(options.latency)} per request`,
    markdown,
    data: { latency: options.latency, users, rows },
  };
}
