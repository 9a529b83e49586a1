import type { PermissionType } from './connection-target';
import { trimTrailingSlash } from './connection-target';
import { followNextLinks, isObject, parsePage, type ODataPage } from './odata-pages';
import type { RetryHook } from './retry-policy';
import type { RequestPurpose } from './service-errors';
import type { TokenSource, UpstreamHttp } from './upstream-http';
import {
  USER_LICENSE_SELECT,
  type GraphGroup,
  type GraphUser,
  type LicenseChange,
  type SubscribedSku,
} from './graph.types';

export interface GraphClientOptions {
  readonly http: UpstreamHttp;
  /** e.g. `https://graph.microsoft.com`, or the sandbox's `${url}/graph`. */
  readonly graphBaseUrl: string;
  readonly token: TokenSource;
  readonly permissionType: PermissionType;
  readonly onRetry?: RetryHook;
}

/** Graph documents 999 as the largest `$top` for users (user-list; 400 `Request_UnsupportedQuery` above). */
export const MAX_USERS_PAGE = 999;

/**
 * Graph known issues (query parameters): a filter is "limited to 15 expressions in the filter clause by
 * default OR a URL length of 2,048 characters when using advanced query capabilities". The licence
 * filter is sent as an advanced query and kept within both, so either reading of the limit holds.
 */
export const MAX_FILTER_CLAUSES = 15;
export const MAX_ADVANCED_QUERY_URL = 2048;

/** Advanced queries need the header on every request, next pages included (Graph does not carry it over). */
const ADVANCED_QUERY_HEADERS: Readonly<Record<string, string>> = { ConsistencyLevel: 'eventual' };

/** How `licensedUsersPages` reads: `rows` is what the filtered queries would return together (null if unknown). */
export interface LicensedReadPlan {
  readonly read: 'filtered' | 'directory';
  readonly queries: number;
  readonly rows: number | null;
  readonly directory: number | null;
}

/** The same query with another `$top` (to size it with one row). */
const withTop = (url: string, top: number): string => url.replace(/([?&])\$top=\d+/, `$1$top=${top}`);

const isUser = (item: unknown): item is GraphUser => isObject(item) && typeof item['id'] === 'string';
const isSku = (item: unknown): item is SubscribedSku =>
  isObject(item) && typeof item['skuId'] === 'string' && typeof item['skuPartNumber'] === 'string';

/** Microsoft Graph v1.0: the license side of a tenant. */
export class GraphClient {
  readonly baseUrl: string;

  constructor(private readonly options: GraphClientOptions) {
    this.baseUrl = `${trimTrailingSlash(options.graphBaseUrl)}/v1.0`;
  }

  /** Every SKU the tenant has, with prepaid units and service plans. */
  async subscribedSkus(): Promise<SubscribedSku[]> {
    const skus: SubscribedSku[] = [];
    const purpose = this.purpose('list the subscribed SKUs', 'LicenseAssignment.Read.All');
    // Not documented as paged; a nextLink is followed anyway rather than silently dropped.
    for await (const page of followNextLinks('graph', `${this.baseUrl}/subscribedSkus`, (url) =>
      this.page(url, isSku, purpose),
    ))
      skus.push(...page);
    return skus;
  }

  /** All users, one page at a time, `$select`ed (license properties are returned only on `$select`). */
  usersPages(
    select: readonly string[] = USER_LICENSE_SELECT,
    pageSize: number = MAX_USERS_PAGE,
  ): AsyncIterable<GraphUser[]> {
    const purpose = this.purpose('list users', 'User.Read.All and LicenseAssignment.Read.All');
    return followNextLinks('graph', this.usersUrl(select, pageSize), (url) => this.page(url, isUser, purpose));
  }

  /**
   * Only the users holding one of `skuIds`: `$filter=assignedLicenses/any(x:x/skuId eq {id}) or ...`
   * as an advanced query (`ConsistencyLevel: eventual`, `$count=true`), split into several queries
   * when the SKUs exceed one query's limits; a user matching several queries is yielded once.
   * Several queries are sized first (`$top=1`: each one's `@odata.count`, and the directory's):
   * where together they would return more rows than the directory holds (most users licensed, so
   * each is read once per query that matches), the whole directory is read once instead and
   * filtered here, on the same `assignedLicenses`. Either way the same users come back.
   * Same `GraphUser` shape as `usersPages`. An assignment in state Error is not in assignedLicenses,
   * so a user whose only assignment failed is not returned.
   */
  async *licensedUsersPages(
    skuIds: readonly string[],
    select: readonly string[] = USER_LICENSE_SELECT,
    pageSize: number = MAX_USERS_PAGE,
    /**
     * Told each query's `@odata.count` (first page only, Graph's paging doc): how many users it will
     * return, duplicates across queries included. Graph sends it only when it honoured the advanced
     * query (it ignores `$count=true` without ConsistencyLevel), so a missing count is reported as null.
     */
    onCount?: (count: number | null, query: number, queries: number) => void,
    /** Told how the users are read: by the filtered queries, or the whole directory filtered here. */
    onPlan?: (plan: LicensedReadPlan) => void,
  ): AsyncGenerator<GraphUser[], void, undefined> {
    const purpose = this.purpose('list licensed users', 'User.Read.All and LicenseAssignment.Read.All');
    const urls = this.licensedUsersUrls(skuIds, select, pageSize);
    const counted = (url: string) =>
      this.options.http.json({
        ...this.base('GET', url, purpose),
        headers: ADVANCED_QUERY_HEADERS,
        parse: (body) => {
          const parsed = parsePage(body, isUser);
          const count = isObject(body) && typeof body['@odata.count'] === 'number' ? body['@odata.count'] : null;
          return parsed && { ...parsed, count };
        },
      });

    let sized = false;
    if (urls.length > 1) {
      const [directory, ...counts] = (
        await Promise.all(
          [`${this.usersUrl(['id'], 1)}&$count=true`, ...urls.map((url) => withTop(url, 1))].map(counted),
        )
      ).map((page) => page.count);
      counts.forEach((count, query) => onCount?.(count, query, urls.length));
      sized = true;
      const rows = counts.every((c): c is number => c !== null) ? counts.reduce((a, b) => a + b, 0) : null;
      if (directory !== null && rows !== null && rows > directory) {
        onPlan?.({ read: 'directory', queries: urls.length, rows, directory });
        const wanted = new Set(skuIds.map((id) => id.toLowerCase()));
        for await (const page of this.usersPages(select, pageSize)) {
          const holding = page.filter((user) =>
            (user.assignedLicenses ?? []).some((license) => wanted.has(license.skuId.toLowerCase())),
          );
          if (holding.length > 0) yield holding;
        }
        return;
      }
      onPlan?.({ read: 'filtered', queries: urls.length, rows, directory });
    } else onPlan?.({ read: 'filtered', queries: urls.length, rows: null, directory: null });

    const seen = new Set<string>();
    for (const [query, url] of urls.entries()) {
      let first = true;
      const pages = followNextLinks('graph', url, async (next) => {
        const page = await counted(next);
        if (first && !sized) onCount?.(page.count, query, urls.length);
        first = false;
        return page;
      });
      for await (const page of pages) {
        const fresh = page.filter((user) => !seen.has(user.id));
        for (const user of fresh) seen.add(user.id);
        if (fresh.length > 0) yield fresh;
      }
    }
  }

  /** The queries `licensedUsersPages` sends, one per chunk of SKUs (exposed for tests and sizing). */
  licensedUsersUrls(skuIds: readonly string[], select: readonly string[], pageSize: number): string[] {
    const ids = [...new Set(skuIds.map((id) => id.toLowerCase()))];
    for (const id of ids)
      if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id))
        throw new RangeError(`not a skuId: ${id}`);
    const base = this.usersUrl(select, pageSize);
    const urlFor = (chunk: readonly string[]): string => {
      const filter = chunk.map((id) => `assignedLicenses/any(x:x/skuId eq ${id})`).join(' or ');
      return `${base}&$count=true&$filter=${encodeURIComponent(filter)}`;
    };
    const urls: string[] = [];
    let chunk: string[] = [];
    for (const id of ids) {
      const candidate = [...chunk, id];
      const tooLong =
        new URL(urlFor(candidate)).pathname.length + new URL(urlFor(candidate)).search.length > MAX_ADVANCED_QUERY_URL;
      if (chunk.length > 0 && (candidate.length > MAX_FILTER_CLAUSES || tooLong)) {
        urls.push(urlFor(chunk));
        chunk = [id];
      } else chunk = candidate;
    }
    if (chunk.length > 0) urls.push(urlFor(chunk));
    return urls;
  }

  /** One small page: proves the connection can list users (validate connection). */
  async firstUsersPage(select: readonly string[] = USER_LICENSE_SELECT, pageSize = 1): Promise<GraphUser[]> {
    const purpose = this.purpose('list users', 'User.Read.All and LicenseAssignment.Read.All');
    return (await this.page(this.usersUrl(select, pageSize), isUser, purpose)).value;
  }

  async user(id: string, select: readonly string[] = USER_LICENSE_SELECT): Promise<GraphUser> {
    return this.options.http.json({
      ...this.base(
        'GET',
        `${this.baseUrl}/users/${encodeURIComponent(id)}?$select=${selectList(select)}`,
        this.purpose(`read user ${id}`, 'User.Read.All'),
      ),
      parse: (body) => (isUser(body) ? body : null),
    });
  }

  /** A group's name, so a group-assigned license can say which group to act on. */
  async group(id: string): Promise<GraphGroup> {
    return this.options.http.json({
      ...this.base(
        'GET',
        `${this.baseUrl}/groups/${encodeURIComponent(id)}?$select=id,displayName`,
        this.purpose(`read group ${id}`, 'GroupMember.Read.All'),
      ),
      parse: (body) =>
        isObject(body) && typeof body['id'] === 'string'
          ? { id: body['id'], displayName: typeof body['displayName'] === 'string' ? body['displayName'] : '' }
          : null,
    });
  }

  /**
   * `POST /users/{id}/assignLicense`. Graph's examples always send both keys, `[]` for the unused
   * one. A license only a group assigns is refused with 400 `Request_BadRequest` ("inherited
   * from a group membership"), surfaced as cause `rejected`.
   */
  async assignLicense(userId: string, change: LicenseChange): Promise<GraphUser> {
    return this.options.http.json({
      ...this.base(
        'POST',
        `${this.baseUrl}/users/${encodeURIComponent(userId)}/assignLicense`,
        this.purpose(`change the licenses of user ${userId}`, 'LicenseAssignment.ReadWrite.All'),
      ),
      body: {
        addLicenses: change.addLicenses.map((license) => ({
          skuId: license.skuId,
          disabledPlans: [...license.disabledPlans],
        })),
        removeLicenses: [...change.removeLicenses],
      },
      parse: (body) => (isUser(body) ? body : null),
    });
  }

  private usersUrl(select: readonly string[], pageSize: number): string {
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_USERS_PAGE)
      throw new RangeError(`users page size must be 1..${MAX_USERS_PAGE}`);
    return `${this.baseUrl}/users?$select=${selectList(select)}&$top=${pageSize}`;
  }

  private page<T>(
    url: string,
    isItem: (item: unknown) => item is T,
    purpose: RequestPurpose,
    headers?: Readonly<Record<string, string>>,
  ): Promise<ODataPage<T>> {
    return this.options.http.json({
      ...this.base('GET', url, purpose),
      ...(headers ? { headers } : {}),
      parse: (body) => parsePage(body, isItem),
    });
  }

  private base(method: 'GET' | 'POST', url: string, purpose: RequestPurpose) {
    return {
      service: 'graph' as const,
      method,
      url,
      token: this.options.token,
      purpose,
      ...(this.options.onRetry ? { onRetry: this.options.onRetry } : {}),
    };
  }

  private purpose(action: string, permissions: string): RequestPurpose {
    const permissionFix =
      this.options.permissionType === 'application'
        ? `grant the application permission${permissions.includes(' and ') ? 's' : ''} ${permissions} and admin consent`
        : `the signed-in admin must have consented to ${permissions} and hold a directory role that allows it; sign in again after granting`;
    return { action, permissionFix };
  }
}

/** `id` is always selected: every page item needs its key. */
function selectList(select: readonly string[]): string {
  const fields = select.includes('id') ? select : ['id', ...select];
  return fields.map(encodeURIComponent).join(',');
}
