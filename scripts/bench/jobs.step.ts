import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiClient } from '../../src/demo/api-client';
import type { BareClient, BareFetch } from './bare-client';
import { mib, timeRatio, type Figure } from './figures';
import { BENCH_KEYS, sleep, type SandboxProcess, type ServiceProcess } from './processes';

export interface JobsOutcome {
  readonly figures: Figure[];
  readonly profileId: string;
  readonly subscriptions: number;
}

interface TimedRun {
  readonly ms: number;
  readonly summary: Record<string, unknown>;
  /** From command to succeeded on the monotonic clock V8's profiles use (µs), for flame-graph.ts. */
  readonly window: { readonly job: string; readonly fromUs: number; readonly toUs: number };
  readonly serviceCpuS: number;
}

/**
 * Figures 1–3: each job from its command (POST …/runs) until its run reads `succeeded`, against
 * the bare client reading the same pages from the same sandbox. The bare figure is the median
 * of three reads (after one warm-up read), taken before and after the job so that neither side
 * gets the sandbox's cold start.
 */
export async function benchJobs(
  sandbox: SandboxProcess,
  service: ServiceProcess,
  bare: BareClient,
  log: (line: string) => void,
): Promise<JobsOutcome> {
  const admin = new ApiClient(service.url, BENCH_KEYS.admin);
  const { id: profileId } = await admin.post('/profiles', sandbox.info.profileBody);
  const validation = await admin.post(`/profiles/${profileId}/validate`);
  if (!validation.valid) throw new Error(`profile validation failed: ${JSON.stringify(validation.checks)}`);
  await admin.post(`/profiles/${profileId}/publish`);

  log('  bare Graph read (warm-up + 2)...');
  const graph = [await bare.graphDownload(), await bare.graphDownload(), await bare.graphDownload()].slice(1);
  log(`    ${graph.map(show).join(', ')}`);
  log('  download-subscriptions (first)...');
  const first = await runJob(admin, profileId, 'download-subscriptions', service.pid);
  log(`    ${first.ms.toFixed(0)} ms, service CPU ${first.serviceCpuS} s ${JSON.stringify(first.summary)}`);
  await settle(service, log);
  log('  download-subscriptions (unchanged re-sync)...');
  const again = await runJob(admin, profileId, 'download-subscriptions', service.pid);
  log(`    ${again.ms.toFixed(0)} ms, service CPU ${again.serviceCpuS} s ${JSON.stringify(again.summary)}`);
  await settle(service, log);
  graph.push(await bare.graphDownload());
  const bareGraph = median(graph.map((g) => g.ms));

  const from = `${sandbox.info.profileBody.analyzeActivityFrom}T00:00:00.000Z`;
  log('  bare Dataverse read (warm-up + 2)...');
  const dataverse = [
    await bare.dataverseDownload(from, now()),
    await bare.dataverseDownload(from, now()),
    await bare.dataverseDownload(from, now()),
  ].slice(1);
  log(`    ${dataverse.map(show).join(', ')}`);
  log('  refresh-activity (first)...');
  const activity = await runJob(admin, profileId, 'refresh-activity', service.pid);
  log(`    ${activity.ms.toFixed(0)} ms, service CPU ${activity.serviceCpuS} s ${JSON.stringify(activity.summary)}`);
  await settle(service, log);
  dataverse.push(await bare.dataverseDownload(from, now()));
  const bareDataverse = median(dataverse.map((d) => d.ms));

  if (service.cpuProfileDir) {
    // The jobs' windows in the service's .cpuprofile: scripts/bench/flame-graph.ts --windows.
    const windows = [first, again, activity].map((r, i) => ({
      ...r.window,
      name: ['first-download', 'resync', 'refresh-activity'][i],
    }));
    writeFileSync(join(service.cpuProfileDir, `${service.name}.jobs.json`), JSON.stringify(windows, null, 2));
  }
  const pages = { pages: graph[0].pages, items: graph[0].items, bytes: graph[0].bytes };
  return {
    profileId,
    subscriptions: Number(first.summary.subscriptions ?? 0),
    figures: [
      timeRatio(
        'first-download',
        'First download-subscriptions (command → succeeded) vs bare Graph read',
        first.ms,
        bareGraph,
        2,
        { ...pages, bareRunsMs: graph.map((g) => g.ms), serviceCpuS: first.serviceCpuS, summary: first.summary },
      ),
      timeRatio(
        'resync',
        'Unchanged re-sync (appends only the summary) vs bare Graph read',
        again.ms,
        bareGraph,
        1.25,
        {
          ...pages,
          summary: again.summary,
        },
      ),
      timeRatio(
        'refresh-activity',
        'refresh-activity (command → succeeded) vs bare audit + systemusers read',
        activity.ms,
        bareDataverse,
        2,
        {
          pages: dataverse[0].pages,
          items: dataverse[0].items,
          bytes: dataverse[0].bytes,
          bareRunsMs: dataverse.map((d) => d.ms),
          serviceCpuS: activity.serviceCpuS,
          summary: activity.summary,
        },
      ),
    ],
  };
}

/**
 * After a job the service saves its read models and checkpoints the WAL once it has been quiet
 * for a moment (as it would between scheduled runs); the next measurement starts after that.
 */
const SETTLE_MS = 5_000;

export async function settle(service: ServiceProcess, log: (line: string) => void): Promise<void> {
  await sleep(SETTLE_MS);
  log(`    service RSS ${mib(service.rss())}, peak so far ${mib(service.peakRss())}`);
}

/** CPU seconds (user + system) a process has used so far, from /proc (0 where there is none). */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

async function runJob(api: ApiClient, profileId: string, job: string, servicePid: number): Promise<TimedRun> {
  const started = performance.now();
  const cpuBefore = cpuSeconds(servicePid);
  const fromUs = Number(process.hrtime.bigint() / 1000n);
  const { runId } = await api.post(`/profiles/${profileId}/jobs/${job}/runs`);
  for (let failures = 0; ;) {
    let run;
    try {
      run = await api.get(`/job-runs/${runId}`);
      failures = 0;
    } catch (error) {
      // A poll can lose its keep-alive socket while the service's event loop is busy; the run goes on.
      if (++failures > 5)
        throw new Error(
          `polling ${job} failed: ${(error as Error).message} (${String((error as { cause?: unknown }).cause)})`,
          { cause: error },
        );
      await sleep(200);
      continue;
    }
    if (run.status === 'succeeded') {
      const window = { job, fromUs, toUs: Number(process.hrtime.bigint() / 1000n) };
      // The service's own CPU time over the job: steadier than wall time when other processes share the machine.
      const serviceCpuS = Math.round((cpuSeconds(servicePid) - cpuBefore) * 100) / 100;
      return { ms: performance.now() - started, summary: run.summary, window, serviceCpuS };
    }
    if (run.status === 'failed') throw new Error(`${job} failed: ${JSON.stringify(run.error)}`);
    await sleep(20);
  }
}

const now = (): string => new Date().toISOString();
const show = (f: BareFetch): string =>
  `${f.ms.toFixed(0)} ms (${f.pages} pages, ${f.items} items, ${(f.bytes / 2 ** 20).toFixed(0)} MiB)`;

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
