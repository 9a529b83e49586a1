import { invalid } from '../shared/domain-error';

/** `?limit=` and `?cursor=` of a list (API.md "Lists": default 100, at most 1000). */
export interface PageRequest {
  readonly limit?: number;
  readonly cursor?: string;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}

export const encodeCursor = (key: string): string => Buffer.from(key, 'utf8').toString('base64url');

export function decodeCursor(cursor: string): string {
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  if (key.length === 0)
    throw invalid('invalid-cursor', 'the cursor is not one this endpoint returned', [
      { field: 'cursor', problem: 'is not valid' },
    ]);
  return key;
}

/**
 * Keyset paging over items already sorted by a unique string key: the cursor is the last
 * key served, so a page never repeats or skips an item when others are added meanwhile.
 */
export function pageByKey<T>(sorted: readonly T[], key: (item: T) => string, query: PageRequest): Page<T> {
  const limit = query.limit ?? 100;
  let start = 0;
  if (query.cursor) {
    const after = decodeCursor(query.cursor);
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (key(sorted[mid]) <= after) lo = mid + 1;
      else hi = mid;
    }
    start = lo;
  }
  const items = sorted.slice(start, start + limit);
  const more = start + limit < sorted.length;
  return { items, nextCursor: more && items.length > 0 ? encodeCursor(key(items[items.length - 1])) : null };
}

/** The one ordering keyset paging relies on (code-unit order, as `<` compares strings). */
export const compareKeys = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Paging over a list in its own (not key) order, e.g. "most overdue first". The cursor
 * names the last item served and where it was; the next page starts after that item
 * wherever it now is, so a list recomputed between pages neither repeats nor skips it.
 */
export function pageByOrder<T>(ordered: readonly T[], key: (item: T) => string, query: PageRequest): Page<T> {
  const limit = query.limit ?? 100;
  let start = 0;
  if (query.cursor) {
    const { k, i } = parseOrderCursor(decodeCursor(query.cursor));
    start =
      ordered[i] !== undefined && key(ordered[i]) === k
        ? i + 1
        : ordered.findIndex((item) => key(item) === k) + 1 || i + 1;
  }
  const items = ordered.slice(start, start + limit);
  const more = start + limit < ordered.length;
  const last = start + items.length - 1;
  return {
    items,
    nextCursor:
      more && items.length > 0 ? encodeCursor(JSON.stringify({ k: key(items[items.length - 1]), i: last })) : null,
  };
}

function parseOrderCursor(raw: string): { k: string; i: number } {
  try {
    const parsed = JSON.parse(raw) as { k?: unknown; i?: unknown };
    if (typeof parsed.k === 'string' && Number.isInteger(parsed.i) && (parsed.i as number) >= 0)
      return { k: parsed.k, i: parsed.i as number };
  } catch {
    // fall through
  }
  throw invalid('invalid-cursor', 'the cursor is not one this endpoint returned', [
    { field: 'cursor', problem: 'is not valid' },
  ]);
}
