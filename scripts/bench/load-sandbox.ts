import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadSandboxInfo, LoadSandboxOptions, LoadSandboxStats } from './load-sandbox-process';

export interface LoadSandbox {
  readonly info: LoadSandboxInfo;
  readonly caPem: string;
  /** What the sandbox's latency and throttling did so far (cumulative). */
  stats(): Promise<LoadSandboxStats>;
  stop(): Promise<void>;
}

/** The sandbox of load-sandbox-process.ts in its own process, so nobody shares its event loop. */
export async function startLoadSandbox(options: LoadSandboxOptions): Promise<LoadSandbox> {
  const child = fork(join(__dirname, 'load-sandbox-process.js'), [JSON.stringify(options)], {
    execArgv: ['--max-old-space-size=4096'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const info = await new Promise<LoadSandboxInfo>((resolve, reject) => {
    const onMessage = (message: { type?: string; info?: LoadSandboxInfo }) => {
      if (message.type !== 'info') return;
      child.off('message', onMessage);
      resolve(message.info!);
    };
    child.on('message', onMessage);
    child.once('exit', (code) => reject(new Error(`the sandbox process exited with ${code} before listening`)));
  });
  return {
    info,
    caPem: readFileSync(options.caFile, 'utf8'),
    stats: () => ask(child),
    stop: () => stop(child),
  };
}

function ask(child: ChildProcess): Promise<LoadSandboxStats> {
  return new Promise((resolve) => {
    const onMessage = (message: { type?: string; stats?: LoadSandboxStats }) => {
      if (message.type !== 'stats') return;
      child.off('message', onMessage);
      resolve(message.stats!);
    };
    child.on('message', onMessage);
    child.send({ type: 'stats' });
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.disconnect();
  });
}
