import { dataverseError } from './dataverse/dataverse-http';
import { graphThrottled } from './graph/graph-http';
import { header, queryParam, type Reply, type SandboxRequest } from './http/reply';
import type { RouteFamily } from './http/route';

/**
 * Microsoft's documented service protection limits, as the sandbox enforces them when asked to
 * (`--throttling`; off by default). Both are "subject to change" on Learn.
 *
 * Graph, identity and access (users, subscribedSkus, ...), learn.microsoft.com/graph/throttling-limits
 * "Identity and access service limits": a token bucket per application+tenant pair of S 3,500 /
 * M 5,000 / L 8,000 resource units per 10 seconds (S under 50 users, M 50-500, L above 500), and
 * 3,000 writes per 2 minutes 30 seconds. Base costs: `GET users` 2, `GET subscribedSkus` 3,
 * `GET users/{id}/licenseDetails` 2, anything not listed 1; `$select` -1, `$top` under 20 -1,
 * `$expand` +1, never below 1. (The per-app limits across tenants, 150,000 RU per 20 s and the global
 * 130,000 requests per 10 s, cannot be reached by one tenant's app below its pair limit.)
 *
 * Dataverse, learn.microsoft.com/power-apps/developer/data-platform/api-limits: per user, in a
 * 300-second sliding window, 6,000 requests and 1,200,000 ms of combined execution time, and 52
 * concurrent requests; 429 with `Retry-After` and error codes 0x80072322, 0x80072321, 0x80072326.
 */
export interface ServiceProtectionLimits {
  readonly graph: {
    /** Resource units per 10 s of the app+tenant bucket; default by tenant size. */
    readonly resourceUnitsPer10s: number;
    readonly writesPer150s: number;
  };
  readonly dataverse: {
    readonly requests: number;
    readonly executionMs: number;
    readonly concurrent: number;
    readonly windowMs: number;
  };
}

export type ServiceProtectionOverrides = {
  readonly graph?: Partial<ServiceProtectionLimits['graph']>;
  readonly dataverse?: Partial<ServiceProtectionLimits['dataverse']>;
};

export const DATAVERSE_SERVICE_PROTECTION: ServiceProtectionLimits['dataverse'] = {
  requests: 6_000,
  executionMs: 1_200_000,
  concurrent: 52,
  windowMs: 300_000,
};

export const GRAPH_WRITES_PER_150S = 3_000;
const GRAPH_BUCKET_MS = 10_000;
const GRAPH_WRITE_BUCKET_MS = 150_000;

/** The app+tenant pair's resource units per 10 s for a tenant of this many users (S, M, L). */
export function graphResourceUnitQuota(users: number): number {
  return users < 50 ? 3_500 : users <= 500 ? 5_000 : 8_000;
}

export function serviceProtectionLimits(
  users: number,
  overrides: ServiceProtectionOverrides = {},
): ServiceProtectionLimits {
  return {
    graph: {
      resourceUnitsPer10s: graphResourceUnitQuota(users),
      writesPer150s: GRAPH_WRITES_PER_150S,
      ...overrides.graph,
    },
    dataverse: { ...DATAVERSE_SERVICE_PROTECTION, ...overrides.dataverse },
  };
}

/** The resource units a Graph request costs (throttling-limits, base cost table and modifiers). */
export function graphRequestCost(request: SandboxRequest): number {
  const path = request.path.replace(/^\/graph\/(v1\.0|beta)/, '').replace(/\/$/, '');
  const get = request.method === 'GET';
  let base = 1;
  if (get && path === '/users') base = 2;
  else if (get && path === '/subscribedSkus') base = 3;
  else if (get && /^\/(users\/[^/]+|me)\/licenseDetails$/.test(path)) base = 2;
  let cost = base;
  if (queryParam(request, '$select') !== undefined) cost -= 1;
  const top = Number(queryParam(request, '$top'));
  if (Number.isFinite(top) && top > 0 && top < 20) cost -= 1;
  if (queryParam(request, '$expand') !== undefined) cost += 1;
  return Math.max(1, cost);
}

/** What `admit` decided: a 429 to send, or a slot to give back (with the time it was held) when answered. */
export interface Admission {
  readonly reply?: Reply;
  release(): void;
}

export interface ThrottleCounts {
  readonly graph: number;
  readonly graphWrites: number;
  readonly dataverseRequests: number;
  readonly dataverseExecutionTime: number;
  readonly dataverseConcurrency: number;
}

const ADMITTED: Admission = { release: () => undefined };

class TokenBucket {
  private tokens: number;
  private at: number;
  constructor(
    private readonly capacity: number,
    private readonly refillMs: number,
    now: number,
  ) {
    this.tokens = capacity;
    this.at = now;
  }

  /** Takes `cost` or says how many seconds until it could. */
  take(cost: number, now: number): number | null {
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.at) * this.capacity) / this.refillMs);
    this.at = now;
    if (this.tokens >= cost) {
      this.tokens -= cost;
      return null;
    }
    return Math.max(1, Math.ceil(((cost - this.tokens) * this.refillMs) / this.capacity / 1000));
  }
}

interface DataverseUser {
  /** Start and execution time of each request admitted in the window, oldest first. */
  readonly done: { at: number; ms: number }[];
  inFlight: number;
}

/**
 * Enforces the limits above on the clock it is given (tests pass a fake one). Graph is keyed by the
 * token's app (`appid`), Dataverse by its user (`oid`: the application user for app-only tokens);
 * neither verifies the token, the routes do that after admission.
 */
export class ServiceProtection {
  private readonly graphBuckets = new Map<string, { units: TokenBucket; writes: TokenBucket }>();
  private readonly dataverseUsers = new Map<string, DataverseUser>();
  private readonly counts = {
    graph: 0,
    graphWrites: 0,
    dataverseRequests: 0,
    dataverseExecutionTime: 0,
    dataverseConcurrency: 0,
  };

  constructor(
    readonly limits: ServiceProtectionLimits,
    private readonly clock: () => number,
  ) {}

  admit(family: RouteFamily, request: SandboxRequest): Admission {
    if (family === 'graph') return this.admitGraph(request);
    if (family === 'dataverse') return this.admitDataverse(request);
    return ADMITTED;
  }

  throttled(): ThrottleCounts {
    return { ...this.counts };
  }

  private admitGraph(request: SandboxRequest): Admission {
    const now = this.clock();
    const app = claimsOf(request)?.appid ?? 'anonymous';
    let buckets = this.graphBuckets.get(app);
    if (!buckets) {
      const { resourceUnitsPer10s, writesPer150s } = this.limits.graph;
      buckets = {
        units: new TokenBucket(resourceUnitsPer10s, GRAPH_BUCKET_MS, now),
        writes: new TokenBucket(writesPer150s, GRAPH_WRITE_BUCKET_MS, now),
      };
      this.graphBuckets.set(app, buckets);
    }
    const write = request.method !== 'GET';
    const waitWrites = write ? buckets.writes.take(1, now) : null;
    if (waitWrites !== null) {
      this.counts.graphWrites += 1;
      return { reply: graphThrottled(request, waitWrites), release: () => undefined };
    }
    const wait = buckets.units.take(graphRequestCost(request), now);
    if (wait !== null) {
      this.counts.graph += 1;
      return { reply: graphThrottled(request, wait), release: () => undefined };
    }
    return ADMITTED;
  }

  private admitDataverse(request: SandboxRequest): Admission {
    const now = this.clock();
    const limits = this.limits.dataverse;
    const key = claimsOf(request)?.oid ?? 'anonymous';
    let user = this.dataverseUsers.get(key);
    if (!user) {
      user = { done: [], inFlight: 0 };
      this.dataverseUsers.set(key, user);
    }
    while (user.done.length > 0 && user.done[0]!.at <= now - limits.windowMs) user.done.shift();
    const untilOldestLeaves = (): number =>
      Math.max(1, Math.ceil(((user.done[0]?.at ?? now) + limits.windowMs - now) / 1000));
    if (user.done.length >= limits.requests) {
      this.counts.dataverseRequests += 1;
      return throttledBy(
        '0x80072322',
        `Number of requests exceeded the limit of ${limits.requests} over time window of ${limits.windowMs / 1000} seconds.`,
        untilOldestLeaves(),
      );
    }
    const executed = user.done.reduce((sum, entry) => sum + entry.ms, 0);
    if (executed >= limits.executionMs) {
      this.counts.dataverseExecutionTime += 1;
      return throttledBy(
        '0x80072321',
        `Combined execution time of incoming requests exceeded limit of ${limits.executionMs.toLocaleString('en-US')} milliseconds over time window of ${limits.windowMs / 1000} seconds. Decrease number of concurrent requests or reduce the duration of requests and try again later.`,
        untilOldestLeaves(),
      );
    }
    if (user.inFlight >= limits.concurrent) {
      this.counts.dataverseConcurrency += 1;
      // Learn documents Retry-After on every service protection 429 but no value for this limit.
      return throttledBy('0x80072326', `Number of concurrent requests exceeded the limit of ${limits.concurrent}.`, 1);
    }
    const entry = { at: now, ms: 0 };
    user.done.push(entry);
    user.inFlight += 1;
    const holder = user;
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        holder.inFlight -= 1;
        entry.ms = this.clock() - now;
      },
    };
  }
}

function throttledBy(code: string, message: string, retryAfterSeconds: number): Admission {
  return {
    reply: dataverseError(429, code, message, { 'retry-after': String(retryAfterSeconds) }),
    release: () => undefined,
  };
}

/** The payload of a bearer token, unverified: only to tell callers apart. */
function claimsOf(request: SandboxRequest): { appid?: string; oid?: string } | undefined {
  const auth = header(request, 'authorization');
  const token = auth?.startsWith('Bearer ') ? auth.slice(7) : undefined;
  const payload = token?.split('.')[1];
  if (!payload) return undefined;
  try {
    return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { appid?: string; oid?: string };
  } catch {
    return undefined;
  }
}
