import { SERVICE_NAME, UpstreamError } from './upstream-error';
import type { ApiService } from './service-errors';

export interface ODataPage<T> {
  readonly value: T[];
  readonly nextLink: string | null;
}

/** `{ value: [...], "@odata.nextLink"?: "..." }` with every item passing `isItem`; null otherwise. */
export function parsePage<T>(body: unknown, isItem: (item: unknown) => item is T): ODataPage<T> | null {
  if (!isObject(body) || !Array.isArray(body['value'])) return null;
  const value = body['value'] as unknown[];
  if (!value.every(isItem)) return null;
  const next = body['@odata.nextLink'];
  if (next !== undefined && next !== null && typeof next !== 'string') return null;
  return { value, nextLink: typeof next === 'string' && next !== '' ? next : null };
}

/**
 * Pages until `@odata.nextLink` is absent. The link is requested exactly as received: Graph
 * and Dataverse both say to treat it as opaque (its `$skiptoken` is theirs), and Dataverse
 * needs the same `Prefer: odata.maxpagesize` on every page, which the caller's `fetch` sends.
 * A link to another origin is refused: the next request carries our bearer token.
 */
export async function* followNextLinks<T>(
  service: ApiService,
  firstUrl: string,
  fetchPage: (url: string) => Promise<ODataPage<T>>,
): AsyncGenerator<T[], void, undefined> {
  const origin = new URL(firstUrl).origin;
  const seen = new Set<string>();
  let url: string | null = firstUrl;
  while (url !== null) {
    seen.add(url);
    const page: ODataPage<T> = await fetchPage(url);
    yield page.value;
    const next: string | null = page.nextLink;
    if (next !== null) assertFollowable(service, origin, next, seen);
    url = next;
  }
}

function assertFollowable(service: ApiService, origin: string, next: string, seen: ReadonlySet<string>): void {
  let nextOrigin: string | null;
  try {
    nextOrigin = new URL(next).origin;
  } catch {
    nextOrigin = null;
  }
  if (nextOrigin !== origin) {
    throw new UpstreamError({
      service,
      cause: 'invalid-response',
      message: `${SERVICE_NAME[service]} sent a next-page link to another origin (${nextOrigin ?? 'unparsable'}); it was not followed so the access token stays with ${origin}`,
    });
  }
  if (seen.has(next)) {
    throw new UpstreamError({
      service,
      cause: 'invalid-response',
      message: `${SERVICE_NAME[service]} sent a next-page link to a page already read; paging stopped to avoid a loop`,
    });
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
