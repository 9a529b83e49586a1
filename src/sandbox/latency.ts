import { mulberry32, type Rng } from './random';

/** Per-request latency: uniform in [meanMs - jitterMs, meanMs + jitterMs]. */
export interface LatencySpec {
  readonly meanMs: number;
  readonly jitterMs: number;
}

/** `80±40`, `80+-40` or `80` (ms); jitter at most the mean, so no delay is negative. */
export function parseLatency(text: string): LatencySpec {
  const match = /^(\d+(?:\.\d+)?)(?:\s*(?:±|\+-|\+\/-)\s*(\d+(?:\.\d+)?))?$/.exec(text.trim());
  if (!match) throw new Error(`--latency takes MEAN or MEAN±JITTER in ms (e.g. 80±40), got '${text}'`);
  const meanMs = Number(match[1]);
  const jitterMs = match[2] === undefined ? 0 : Number(match[2]);
  if (jitterMs > meanMs) throw new Error(`--latency jitter ${jitterMs} exceeds the mean ${meanMs}`);
  return { meanMs, jitterMs };
}

export const formatLatency = (spec: LatencySpec): string =>
  spec.jitterMs > 0 ? `${spec.meanMs}±${spec.jitterMs} ms` : `${spec.meanMs} ms`;

/** A salt so that the delays do not repeat the tenant generator's draws for the same seed. */
const LATENCY_SALT = 0x1a7e_9c3d;

/**
 * The delay of each request in arrival order: the n-th request of a sandbox with a given seed always
 * waits the same time (which request is n-th depends on the client's own order). Keeps the sum and
 * count of what it handed out, for benchmarks that compare a wall time with its floor.
 */
export class LatencyModel {
  private readonly rng: Rng;
  private count = 0;
  private totalMs = 0;

  constructor(
    readonly spec: LatencySpec,
    seed: number,
  ) {
    this.rng = mulberry32((seed ^ LATENCY_SALT) >>> 0);
  }

  next(): number {
    const ms = this.spec.meanMs + this.spec.jitterMs * (2 * this.rng() - 1);
    this.count += 1;
    this.totalMs += ms;
    return ms;
  }

  stats(): { readonly requests: number; readonly totalMs: number } {
    return { requests: this.count, totalMs: this.totalMs };
  }
}
