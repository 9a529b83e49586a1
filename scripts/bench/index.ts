import 'reflect-metadata';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { benchAppend } from './append.step';
import { parseArgs, runs, USAGE, type BenchArgs } from './args';
import { BareClient } from './bare-client';
import { withCpuProfile } from './cpu-profile';
import { generateStore } from './event-store-file';
import { atMost, mib, type Figure } from './figures';
import { benchJobs } from './jobs.step';
import { benchExtras } from './extra-steps';
import { writeSections, type ExtraSection } from './extra-report';
import { firstEvents, LedgerHistory } from './ledger-history';
import { benchLoopBlockInOwnProcess } from './loop-block';
import { benchLowUsage } from './low-usage.step';
import { contentionMeter, describeMachine } from './machine';
import { startSandboxProcess, startService } from './processes';
import { benchRebuild } from './rebuild.step';
import { markdownResults, ordered, textTable, writeMarkdown, type BenchReport } from './report';
import { benchRestart } from './restart.step';

const GIB = 2 ** 30;

/**
 * `npm run bench`: the eight figures of the "Scale, speed and resilience" issue in one run,
 * each against a bare baseline measured in the same run, printed as a table and JSON and
 * written into BENCHMARKS.md.
 */
async function main(): Promise<void> {
  let args: BenchArgs;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
  const started = performance.now();
  const machine = describeMachine();
  const meter = contentionMeter();
  const dir = mkdtempSync(join(tmpdir(), 'll-bench-'));
  const profiles = args.cpuProfileDir ? resolve(args.cpuProfileDir) : null;
  if (profiles) mkdirSync(profiles, { recursive: true });
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;
  log(
    `License Ledger bench: ${machine.cpu}, ${machine.cores} cores, ${machine.ramGiB} GiB, Node ${machine.node}; files in ${dir}`,
  );

  const figures: Figure[] = [];
  const peaks: { name: string; bytes: number }[] = [];
  const extras: ExtraSection[] = [];
  try {
    if (runs(args, 'jobs') || runs(args, 'low-usage')) {
      log(`[${elapsed()}] sandbox tenant: ${args.users} users (own process)...`);
      const caFile = join(dir, 'sandbox-ca.pem');
      const sandbox = await startSandboxProcess({
        users: args.users,
        seed: args.seed,
        caFile,
        cpuProfileDir: profiles,
      });
      const s = sandbox.info;
      log(
        `  ${s.users} users, ${s.assignments} assignments, ${s.systemUsers} systemusers, ${s.auditRows} audit rows, generated in ${(s.generateMs / 1000).toFixed(1)} s`,
      );
      const service = await startService({
        name: 'service-jobs',
        sqlitePath: join(dir, 'jobs.sqlite'),
        caFile,
        logFile: join(dir, 'service-jobs.log'),
        cpuProfileDir: profiles,
        nodeOptions: args.serviceNodeOptions,
      });
      await service.ready();
      const bare = new BareClient(s, sandbox.caPem);
      try {
        log(`[${elapsed()}] jobs against the sandbox (figures 1-3)...`);
        const jobs = await benchJobs(sandbox, service, bare, log);
        figures.push(...jobs.figures);
        if (runs(args, 'low-usage')) {
          log(`[${elapsed()}] low-usage under ${args.connections} clients for ${args.seconds} s (figure 7)...`);
          figures.push(...(await benchLowUsage(service, jobs.profileId, jobs.subscriptions, args)));
        }
      } finally {
        bare.close();
        peaks.push({ name: 'jobs and queries against the sandbox', bytes: await service.stop() });
        await sandbox.stop();
      }
    }

    if (runs(args, 'append')) {
      log(`[${elapsed()}] append throughput (figure 4)...`);
      const first = new LedgerHistory(args.users, args.seed).next();
      const appends = args.appendEvents > 0 ? firstEvents(first, args.appendEvents) : first;
      figures.push(...(await withCpuProfile(profiles, 'bench-append', () => benchAppend(dir, appends, log))));
    }

    if (runs(args, 'rebuild') || runs(args, 'restart')) {
      log(`[${elapsed()}] generating ${args.events} events of a ${args.users}-user tenant through the port...`);
      const store = await generateStore(join(dir, 'store.sqlite'), args.users, args.events, args.seed);
      log(`  ${store.events} events from ${store.jobs} jobs in ${(store.ms / 1000).toFixed(1)} s`);
      if (runs(args, 'rebuild')) {
        log(`[${elapsed()}] rebuild all projections (figure 5)...`);
        figures.push(...(await withCpuProfile(profiles, 'bench-rebuild', () => benchRebuild(store, log))));
      }
      if (runs(args, 'restart')) {
        log(`[${elapsed()}] service start and restart on the store (figure 6)...`);
        const restart = await benchRestart(
          store,
          dir,
          { cpuProfileDir: profiles, nodeOptions: args.serviceNodeOptions },
          log,
        );
        figures.push(...restart.figures);
        peaks.push(...restart.peakRss);
      }
    }

    if (runs(args, 'loop-block')) {
      log(`[${elapsed()}] event-loop delay under hostile request bodies (issue 13)...`);
      figures.push(...(await benchLoopBlockInOwnProcess(log)));
    }

    extras.push(...(await benchExtras(args, dir, log, elapsed)));

    if (peaks.length > 0) {
      const top = peaks.reduce((a, b) => (b.bytes > a.bytes ? b : a));
      figures.push({
        ...atMost(
          'peak-rss',
          `Peak RSS of the service (highest of: ${peaks.map((p) => p.name).join('; ')})`,
          top.bytes,
          GIB,
          mib,
          { processes: peaks },
        ),
        measured: `${mib(top.bytes)} (${top.name})`,
      });
    }
  } finally {
    if (!args.keepFiles) rmSync(dir, { recursive: true, force: true });
  }

  const contention = meter.stop();
  const report: BenchReport = {
    machine,
    contention,
    command: process.argv.length > 2 ? `npm run bench -- ${process.argv.slice(2).join(' ')}` : 'npm run bench',
    sizes: {
      users: args.users,
      events: args.events,
      connections: args.connections,
      seconds: args.seconds,
      ...(args.serviceNodeOptions ? { serviceNodeOptions: args.serviceNodeOptions } : {}),
    },
    figures: ordered(figures),
    wallMs: performance.now() - started,
  };
  log(`\n${textTable(report)}\n`);
  if (contention && contention.othersShareOfMachine > 0.05) {
    log(
      `note: other processes used ${contention.othersCoreSeconds} core-seconds (${Math.round(contention.othersShareOfMachine * 100)}% of the machine) during this run; ratios are noisier than on a quiet machine`,
    );
  }
  const json = { ...report, extras: extras.map((e) => ({ id: e.id, title: e.title, ...e.data })) };
  log(JSON.stringify(json, null, 2));
  if (args.json) writeFileSync(args.json, JSON.stringify(json, null, 2));
  for (const extra of extras) log(`\n### ${extra.title}\n\n${extra.markdown}`);
  // A run of only the report-only steps leaves the figures table as it was.
  if (args.markdown && report.figures.length > 0) {
    writeMarkdown(args.markdown, report);
    log(`\nwrote ${args.markdown}`);
  } else if (report.figures.length > 0) log(`\n${markdownResults(report)}`);
  if (args.markdown && extras.length > 0) {
    writeSections(args.markdown, extras, extrasHeader(report));
    log(`wrote ${extras.map((e) => e.id).join(', ')} into ${args.markdown}`);
  }
}

/** The machine, command and contention of the run, above each report-only table. */
function extrasHeader(report: BenchReport): string {
  const m = report.machine;
  const c = report.contention;
  return [
    `Measured ${m.date.slice(0, 16).replace('T', ' ')} UTC on ${m.cpu}, ${m.cores} cores, ${m.ramGiB} GiB RAM, ${m.os}, Node ${m.node};`,
    `\`${report.command}\`, ${Math.round(report.wallMs / 1000)} s wall time for the whole run.`,
    ...(c
      ? [
          `Other processes used ${Math.round(c.othersShareOfMachine * 100)}% of the machine's CPU during the run (${c.othersCoreSeconds} of ${c.machineBusyCoreSeconds} busy core-seconds).`,
        ]
      : []),
  ].join('\n');
}

main().catch((error) => {
  process.stderr.write(`bench failed: ${(error as Error).stack}\n`);
  process.exit(1);
});
