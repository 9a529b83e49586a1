import { DAY_MS } from '../../shared/time';
import { PULL_FRESHNESS_HOURS } from '../defaults';
import type { GapReason } from '../environment/environment.events';
import type { EnvironmentState, Gap } from '../environment/environment.state';

/** One environment's covered time as of T: what GET /activity-coverage answers. */
export interface EnvironmentCoverage {
  readonly environmentUrl: string;
  readonly auditEnabled: boolean | null;
  readonly userAccessAuditEnabled: boolean | null;
  /** The later of analyzeActivityFrom and T minus the audit retention. */
  readonly coveredFrom: string;
  /** The only uncovered time in [coveredFrom, T], oldest first. */
  readonly gaps: readonly Gap[];
  readonly unauditedTables: readonly string[];
}

const iso = (ms: number) => new Date(ms).toISOString();
const ms = (at: string) => Date.parse(at);

/**
 * The audit log shows activity only while auditing is on, so an absence of activity proves
 * nothing outside the covered time. From the environment's history as of T:
 * - `coveredFrom` is the later of analyzeActivityFrom and T minus the audit retention (older
 *   rows are gone); a read that began when rows of its window had already aged out leaves the
 *   time before them `log-deleted` too, as does an Audit Log Deletion row (111) at t for
 *   [coveredFrom, t];
 * - auditing off (rows 110 then 107, or a refresh that saw it off) is `audit-off`, user-access
 *   auditing off (113 then 112) `user-access-audit-off`;
 * - time no read covered is `not-connected`: before the first read, between reads, and after
 *   the last one once it is older than PULL_FRESHNESS_HOURS (the refresh runs daily).
 * Before its first known switch a setting is taken to have been as that switch left it
 * undone (a 110 means auditing was on before it; a 107 that it was off).
 */
export function coverageOf(env: EnvironmentState, analyzeActivityFrom: string, asOf: string): EnvironmentCoverage {
  const t = ms(asOf);
  const retention = env.settings?.auditRetentionDays ?? -1;
  const start = Math.max(
    ms(`${analyzeActivityFrom}T00:00:00.000Z`),
    retention > 0 ? t - retention * DAY_MS : -Infinity,
  );
  const gaps: Gap[] = [];
  const add = (from: number, to: number, reason: GapReason) => {
    const a = Math.max(from, start);
    const b = Math.min(to, t);
    if (b > a) gaps.push({ from: iso(a), to: iso(b), reason });
  };

  for (const c of env.changes) if (c.change === 'log-deleted') add(start, ms(c.at), 'log-deleted');
  if (retention > 0) {
    for (const read of env.reads) add(ms(read.from), ms(read.pulledAt) - retention * DAY_MS, 'log-deleted');
  }

  for (const [from, to] of offIntervals(env, 'audit', t)) add(from, to, 'audit-off');
  for (const [from, to] of offIntervals(env, 'userAccess', t)) add(from, to, 'user-access-audit-off');

  let cursor = start;
  for (const read of env.reads) {
    add(cursor, ms(read.from), 'not-connected');
    cursor = Math.max(cursor, ms(read.to));
  }
  const stale = t - cursor > PULL_FRESHNESS_HOURS * 3_600_000;
  if (env.reads.length === 0 || stale) add(cursor, t, 'not-connected');

  return {
    environmentUrl: env.environmentUrl,
    auditEnabled: env.settings?.auditEnabled ?? null,
    userAccessAuditEnabled: env.settings?.userAccessAuditEnabled ?? null,
    coveredFrom: iso(Math.min(start, t)),
    gaps: merge(gaps),
    unauditedTables: env.settings?.unauditedTables ?? [],
  };
}

/** When a setting was off, as [from, to) in ms, from its switch rows and the refreshes' observations. */
function offIntervals(env: EnvironmentState, which: 'audit' | 'userAccess', t: number): [number, number][] {
  const [onChange, offChange] =
    which === 'audit'
      ? ['audit-enabled', 'audit-disabled']
      : ['user-access-audit-started', 'user-access-audit-stopped'];
  const points: { at: number; on: boolean; switched: boolean }[] = [];
  for (const c of env.changes) {
    if (c.change === onChange) points.push({ at: ms(c.at), on: true, switched: true });
    else if (c.change === offChange) points.push({ at: ms(c.at), on: false, switched: true });
  }
  for (const o of env.observations) {
    points.push({
      at: ms(o.observedAt),
      on: which === 'audit' ? o.auditEnabled : o.userAccessAuditEnabled,
      switched: false,
    });
  }
  points.sort((a, b) => a.at - b.at);
  if (points.length === 0) return [];
  const first = points[0];
  // A switch changes the setting, so before it the setting was the other way; an observation says how it was.
  let on = first.switched ? !first.on : first.on;
  let since = -Infinity;
  const off: [number, number][] = [];
  for (const p of points) {
    if (p.at > t) break;
    if (on && !p.on) since = p.at;
    if (!on && p.on) off.push([since, p.at]);
    on = p.on;
  }
  if (!on) off.push([since, t]);
  return off;
}

function merge(gaps: Gap[]): Gap[] {
  const out: Gap[] = [];
  const byReason = new Map<GapReason, Gap[]>();
  for (const g of gaps) byReason.set(g.reason, [...(byReason.get(g.reason) ?? []), g]);
  for (const [reason, list] of byReason) {
    list.sort((a, b) => (a.from < b.from ? -1 : 1));
    let current = list[0];
    for (const g of list.slice(1)) {
      if (g.from <= current.to) current = { reason, from: current.from, to: g.to > current.to ? g.to : current.to };
      else {
        out.push(current);
        current = g;
      }
    }
    out.push(current);
  }
  return out.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : a.reason < b.reason ? -1 : 1));
}

/**
 * Why inactivity over [from, to] is not proven across these environments, or null when every
 * environment covers it. `audit-off`, `log-deleted` and `not-connected` always break proof;
 * `user-access-audit-off` only where sign-ins would count (`accessCounts`). Time before an
 * environment's coveredFrom is gone (`log-deleted`). No environment at all proves nothing.
 */
export function unprovenReason(
  coverages: readonly EnvironmentCoverage[],
  from: string,
  to: string,
  accessCounts: boolean,
): GapReason | null {
  return new CoverageCheck(coverages).reason(ms(from), ms(to), accessCounts);
}

/**
 * Whether some environment has not been read lately: its last gap is `not-connected` and runs
 * to T. Unlike every other gap this one closes by itself, since the next successful read starts
 * from the environment's cursor and covers that time.
 */
export function awaitingRead(coverages: readonly EnvironmentCoverage[], asOf: string): boolean {
  const t = ms(asOf);
  return coverages.some((c) => c.gaps.some((g) => g.reason === 'not-connected' && ms(g.to) >= t));
}

/**
 * The coverage of a profile's environments as of T, checked many times in one pass (once per
 * candidate) without re-deriving it: gaps held as milliseconds.
 */
export class CoverageCheck {
  private readonly environments: readonly {
    readonly coveredFromMs: number;
    readonly gaps: readonly { readonly fromMs: number; readonly toMs: number; readonly reason: GapReason }[];
  }[];

  constructor(readonly coverages: readonly EnvironmentCoverage[]) {
    this.environments = coverages.map((c) => ({
      coveredFromMs: ms(c.coveredFrom),
      gaps: c.gaps.map((g) => ({ fromMs: ms(g.from), toMs: ms(g.to), reason: g.reason })),
    }));
  }

  static of(environments: readonly EnvironmentState[], analyzeActivityFrom: string, asOf: string): CoverageCheck {
    return new CoverageCheck(environments.map((e) => coverageOf(e, analyzeActivityFrom, asOf)));
  }

  /** As unprovenReason, for [fromMs, toMs]. */
  reason(fromMs: number, toMs: number, accessCounts: boolean): GapReason | null {
    if (this.environments.length === 0) return 'not-connected';
    for (const env of this.environments) {
      if (fromMs < env.coveredFromMs) return 'log-deleted';
      for (const g of env.gaps) {
        if (g.reason === 'user-access-audit-off' && !accessCounts) continue;
        if (g.fromMs < toMs && g.toMs > fromMs) return g.reason;
      }
    }
    return null;
  }
}
