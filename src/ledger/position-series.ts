import { DAY_MS } from '../shared/time';
import { invalid } from '../shared/domain-error';

export const SERIES_STEPS = { day: DAY_MS, week: 7 * DAY_MS } as const;
export type SeriesStep = keyof typeof SERIES_STEPS;

/**
 * Two years of weeks. Each point is a license position computed over the tenant as it was, so
 * the cost of a series grows with its points; past this a caller asks a longer step instead.
 */
export const MAX_SERIES_POINTS = 104;

/**
 * The moments of a series: `to`, then back one step at a time while not before `from`, oldest
 * first. Anchored at `to` so that the last point is the moment asked about (by default now,
 * the same answer as the position without `asOf`).
 */
export function seriesMoments(from: Date, to: Date, every: SeriesStep): Date[] {
  if (from.getTime() > to.getTime())
    throw invalid('invalid-series-range', 'from must not be after to', [
      { field: 'from', problem: `must not be after to (${to.toISOString()})` },
    ]);
  const step = SERIES_STEPS[every];
  const count = Math.floor((to.getTime() - from.getTime()) / step) + 1;
  if (count > MAX_SERIES_POINTS)
    throw invalid(
      'series-too-long',
      `a series has at most ${MAX_SERIES_POINTS} points; from ${from.toISOString()} to ${to.toISOString()} every ${every} makes ${count}: ask a later from or a longer step`,
      [{ field: 'from', problem: `too early for every=${every}: at most ${MAX_SERIES_POINTS} points` }],
    );
  return Array.from({ length: count }, (_, i) => new Date(to.getTime() - (count - 1 - i) * step));
}
