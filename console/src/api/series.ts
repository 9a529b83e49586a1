import { NotAvailable, profilePath, type Api } from './client';
import type { PositionAnswer, PositionRow, PositionTotals } from './types';

export interface SeriesPoint {
  asOf: string;
  purchased: number;
  assigned: number;
  lowUsage: number;
  monthlyCost: number;
}

export interface Series {
  points: SeriesPoint[];
  /** 'server': one call to the series endpoint; 'as-of': one license-position?asOf= call per point. */
  source: 'server' | 'as-of';
}

const WEEK_MS = 7 * 24 * 3600 * 1000;

interface ServerPoint {
  asOf: string;
  totals?: PositionTotals;
  items: PositionRow[];
}

/**
 * The position over time, a point a week, the last one now. The series endpoint computes it
 * in one call, anchored at the server's now (no `to`: the browser's clock does not decide);
 * `from` sits half a week before the first wanted point so a clock apart by minutes changes
 * nothing. A server without the endpoint still answers `license-position?asOf=` per week.
 */
export async function positionSeries(
  api: Api,
  profileId: string,
  weeks: number,
  signal?: AbortSignal,
): Promise<Series> {
  const from = new Date(Date.now() - (weeks - 0.5) * WEEK_MS).toISOString();
  try {
    const answer = await api.get<{ items: ServerPoint[] }>(
      profilePath(profileId, `/license-position/series?from=${from}&every=week`),
      signal,
    );
    return { points: answer.items.map((p) => totalsOf(p.asOf, p)), source: 'server' };
  } catch (error) {
    if (!(error instanceof NotAvailable)) throw error;
  }
  const to = Date.now();
  const moments = Array.from({ length: weeks }, (_, i) => new Date(to - (weeks - 1 - i) * WEEK_MS).toISOString());
  const points: SeriesPoint[] = [];
  // Two at a time: each asOf is a fold of the history on the server.
  for (let i = 0; i < moments.length; i += 2) {
    const answers = await Promise.all(
      moments
        .slice(i, i + 2)
        .map((asOf) =>
          api.get<PositionAnswer>(profilePath(profileId, `/license-position?limit=1000&asOf=${asOf}`), signal),
        ),
    );
    points.push(...answers.map((answer, j) => totalsOf(moments[i + j], answer)));
  }
  return { points, source: 'as-of' };
}

export function totalsOf(asOf: string, answer: { items: PositionRow[]; totals?: PositionTotals }): SeriesPoint {
  const sum = (pick: (row: PositionRow) => number | null | undefined) =>
    answer.items.reduce((total, row) => total + (pick(row) ?? 0), 0);
  return {
    asOf,
    purchased: sum((r) => r.purchased),
    assigned: sum((r) => r.assigned),
    lowUsage: sum((r) => r.lowUsage),
    monthlyCost: answer.totals?.monthlyCost ?? sum((r) => r.monthlyCost),
  };
}
