import { cpus, loadavg, totalmem, platform, release } from 'node:os';
import { readFileSync } from 'node:fs';

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly ramGiB: number;
  readonly os: string;
  readonly node: string;
  readonly date: string;
}

/** What the figures were measured on; `cores` is what this process may use (cgroup quota included). */
export function describeMachine(): Machine {
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: Math.min(list.length, cgroupCpuLimit() ?? Infinity),
    ramGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${platform()} ${release()}`,
    node: process.version,
    date: new Date().toISOString(),
  };
}

function cgroupCpuLimit(): number | null {
  try {
    const [quota, period] = readFileSync('/sys/fs/cgroup/cpu.max', 'utf8').trim().split(/\s+/);
    return quota === 'max' ? null : Math.max(1, Math.round(Number(quota) / Number(period)));
  } catch {
    return null;
  }
}

export interface Contention {
  /** CPU time the whole machine spent busy during the run, in core-seconds. */
  readonly machineBusyCoreSeconds: number;
  /** ... of which this bench and the processes it started (sandbox, services). */
  readonly benchCoreSeconds: number;
  /** What other processes took: a busy machine makes every ratio noisier. */
  readonly othersCoreSeconds: number;
  readonly othersShareOfMachine: number;
  readonly loadAverageAtStart: number;
  readonly loadAverageAtEnd: number;
}

/** Starts counting CPU time (Linux /proc); `stop()` after the children have exited. */
export function contentionMeter(): { stop(): Contention | null } {
  const machine0 = machineJiffies();
  const bench0 = benchJiffies();
  const load0 = loadavg()[0];
  const wall0 = performance.now();
  return {
    stop() {
      const machine1 = machineJiffies();
      const bench1 = benchJiffies();
      if (!machine0 || !machine1 || bench0 === null || bench1 === null) return null;
      const hz = 100;
      const busy = (machine1.busy - machine0.busy) / hz;
      const bench = (bench1 - bench0) / hz;
      const capacity = ((performance.now() - wall0) / 1000) * cpus().length;
      const others = Math.max(0, busy - bench);
      return {
        machineBusyCoreSeconds: round1(busy),
        benchCoreSeconds: round1(bench),
        othersCoreSeconds: round1(others),
        othersShareOfMachine: Math.round((others / capacity) * 1000) / 1000,
        loadAverageAtStart: load0,
        loadAverageAtEnd: loadavg()[0],
      };
    },
  };
}

function machineJiffies(): { busy: number } | null {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal
    const [user, nice, system, , , irq, softirq, steal] = cpu;
    return { busy: user + nice + system + irq + softirq + (steal ?? 0) };
  } catch {
    return null;
  }
}

/** This process plus its reaped children (utime, stime, cutime, cstime of /proc/self/stat). */
function benchJiffies(): number | null {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
  } catch {
    return null;
  }
}

const round1 = (n: number): number => Math.round(n * 10) / 10;
