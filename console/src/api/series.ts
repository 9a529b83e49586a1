import { NotAvailable, profilePath, type Api } from './client';
import type { PositionAnswer } from './types';

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

/**
 * The position over time, a point a week. The series endpoint computes it in one call; a
 * server without it still answers `license-position?asOf=` for each week, so the chart
 * never depends on which one this server has.
 */
export async function positionSeries(
  api: Api,
  profileId: string,
  weeks: number,
  signal?: AbortSignal,
): Promise<Series> {
  const to = new Date();
  const from = new Date(to.getTime() - (weeks - 1) * WEEK_MS);
  try {
    const answer = await api.get<{ items: unknown[] }>(
      profilePath(profileId, `/license-position/series?from=${from.toISOString()}&to=${to.toISOString()}&every=week`),
      signal,
    );
    return { points: answer.items.map(toPoint), source: 'server' };
  } catch (error) {
    if (!(error instanceof NotAvailable)) throw error;
  }
  const moments = Array.from({ length: weeks }, (_, i) => new Date(from.getTime() + i * WEEK_MS).toISOString());
  moments[moments.length - 1] = to.toISOString();
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

export function totalsOf(asOf: string, answer: PositionAnswer): SeriesPoint {
  const sum = (pick: (row: PositionAnswer['items'][number]) => number | null | undefined) =>
    answer.items.reduce((total, row) => total + (pick(row) ?? 0), 0);
  return {
    asOf,
    purchased: sum((r) => r.purchased),
    assigned: sum((r) => r.assigned),
    lowUsage: sum((r) => r.lowUsage),
    monthlyCost: answer.totals?.monthlyCost ?? sum((r) => r.monthlyCost),
  };
}

function toPoint(raw: unknown): SeriesPoint {
  const item = raw as Partial<SeriesPoint> & { totals?: Partial<SeriesPoint>; items?: PositionAnswer['items'] };
  if (item.items) return totalsOf(item.asOf ?? '', { items: item.items, asOf: item.asOf ?? '', totals: undefined });
  const figures = { ...item, ...item.totals };
  return {
    asOf: item.asOf ?? '',
    purchased: figures.purchased ?? 0,
    assigned: figures.assigned ?? 0,
    lowUsage: figures.lowUsage ?? 0,
    monthlyCost: figures.monthlyCost ?? 0,
  };
}
