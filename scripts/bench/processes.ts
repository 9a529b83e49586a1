import { fork, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { SandboxInfo } from './sandbox-process';
import { freePort } from '../support/free-port';

export const BENCH_KEYS = {
  admin: 'bench-admin-key-0123456789abcdef',
  auditor: 'bench-auditor-key-0123456789abcdef',
} as const;

/** dist/scripts/bench -> dist/src/main.js: the service exactly as `npm start` runs it. */
const MAIN_JS = join(__dirname, '..', '..', 'src', 'main.js');

export interface SandboxProcess {
  readonly info: SandboxInfo;
  readonly caPem: string;
  stop(): Promise<void>;
}

export async function startSandboxProcess(options: {
  users: number;
  seed: number;
  caFile: string;
  cpuProfileDir?: string | null;
}): Promise<SandboxProcess> {
  const profiling = options.cpuProfileDir
    ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProfileDir, '--cpu-prof-name', 'sandbox.cpuprofile']
    : [];
  const child = fork(
    join(__dirname, 'sandbox-process.js'),
    [String(options.users), String(options.seed), options.caFile],
    {
      execArgv: ['--max-old-space-size=4096', ...profiling],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  const info = await new Promise<SandboxInfo>((resolve, reject) => {
    child.once('message', (message) => resolve(message as SandboxInfo));
    child.once('exit', (code) => reject(new Error(`the sandbox process exited with ${code} before listening`)));
  });
  return { info, caPem: readFileSync(options.caFile, 'utf8'), stop: () => stopChild(child, () => child.disconnect()) };
}

export interface ServiceOptions {
  readonly name: string;
  readonly sqlitePath: string;
  readonly logFile: string;
  readonly caFile?: string;
  /** Write a .cpuprofile of this process into the directory (on stop). */
  readonly cpuProfileDir?: string | null;
  readonly nodeOptions?: string | null;
}

export interface ServiceProcess {
  readonly name: string;
  readonly url: string;
  readonly pid: number;
  readonly spawnedAt: number;
  /** Where its .cpuprofile goes (--cpu-prof), or null. */
  readonly cpuProfileDir: string | null;
  /** ms from spawn until /health/ready first answered 200. */
  ready(timeoutMs?: number): Promise<number>;
  /** Highest resident set the process reached so far (VmHWM), in bytes. */
  peakRss(): number;
  /** Resident set now (VmRSS), in bytes. */
  rss(): number;
  /** SIGTERM (the service saves its read models), then wait for exit; returns the final peak RSS. */
  stop(): Promise<number>;
}

/** `node dist/src/main.js` on a SQLite file, configured only through the environment. */
export async function startService(options: ServiceOptions): Promise<ServiceProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const profiling = options.cpuProfileDir ? ['--require', join(__dirname, 'cpu-profile-preload.js')] : [];
  const memoryLog = options.cpuProfileDir
    ? { BENCH_MEMORY_LOG: join(options.cpuProfileDir, `${options.name}.memory.jsonl`) }
    : {};
  const log = createWriteStream(options.logFile, { flags: 'a' });
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, [...profiling, MAIN_JS], {
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      HOST: '127.0.0.1',
      SAM_SQLITE_PATH: options.sqlitePath,
      SAM_API_KEYS: `admin:${BENCH_KEYS.admin},auditor:${BENCH_KEYS.auditor}`,
      SAM_ALLOWED_ENDPOINT_HOSTS: '127.0.0.1',
      SAM_SCHEDULER: 'off',
      SAM_LOG_LEVEL: 'warn',
      ...(options.caFile ? { NODE_EXTRA_CA_CERTS: options.caFile } : {}),
      ...(options.nodeOptions ? { NODE_OPTIONS: options.nodeOptions } : {}),
      ...(options.cpuProfileDir
        ? { BENCH_CPU_PROFILE: join(options.cpuProfileDir, `${options.name}.cpuprofile`), ...memoryLog }
        : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  const pid = child.pid!;
  let peak = 0;
  const sample = (): void => {
    peak = Math.max(peak, vmHwm(pid));
  };
  const sampler = setInterval(sample, 100);
  let exited = false;
  child.once('exit', () => {
    exited = true;
    clearInterval(sampler);
  });

  return {
    name: options.name,
    url,
    pid,
    spawnedAt,
    cpuProfileDir: options.cpuProfileDir ?? null,
    async ready(timeoutMs = 600_000) {
      const deadline = spawnedAt + timeoutMs;
      for (;;) {
        if (exited) throw new Error(`${options.name} exited before it was ready; see ${options.logFile}`);
        try {
          const response = await fetch(`${url}/health/ready`);
          await response.arrayBuffer();
          if (response.status === 200) return performance.now() - spawnedAt;
        } catch {
          // not listening yet
        }
        if (performance.now() > deadline) throw new Error(`${options.name} not ready within ${timeoutMs} ms`);
        await sleep(10);
      }
    },
    peakRss() {
      sample();
      return peak;
    },
    rss: () => procStatus(pid, 'VmRSS'),
    async stop() {
      sample();
      if (options.cpuProfileDir && !exited)
        await writeProfile(child, join(options.cpuProfileDir, `${options.name}.cpuprofile`));
      await stopChild(
        child,
        () => child.kill('SIGTERM'),
        () => sample(),
      );
      log.end();
      return peak;
    },
  };
}

/** The preload writes the profile on SIGUSR2 (Nest's own SIGTERM handling exits before --cpu-prof could). */
async function writeProfile(child: ChildProcess, file: string): Promise<void> {
  rmSync(`${file}.done`, { force: true });
  child.kill('SIGUSR2');
  const deadline = performance.now() + 60_000;
  while (!existsSync(`${file}.done`) && performance.now() < deadline) await sleep(50);
}

function stopChild(child: ChildProcess, ask: () => void, onTick: () => void = () => undefined): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const tick = setInterval(onTick, 50);
    const kill = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.once('exit', () => {
      clearInterval(tick);
      clearTimeout(kill);
      resolve();
    });
    ask();
  });
}

/** Peak resident set size of a live process (Linux /proc); 0 when it cannot be read. */
export const vmHwm = (pid: number): number => procStatus(pid, 'VmHWM');

function procStatus(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export { freePort };
