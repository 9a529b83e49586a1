import type { SandboxContext } from '../context';
import { header, queryParam, type Reply, type SandboxRequest } from '../http/reply';
import type { DirectoryUser } from '../tenant.model';
import { graphError, graphRawJson } from './graph-http';
import { MAX_ADVANCED_QUERY_URL, MAX_DEFAULT_OR_CLAUSES, parseUserFilter } from './license-filter';
import { parseUserSelect, userJson } from './user-json';

/** user-list: default page 100, at most 999 (the 1000 error text is as Graph answers it). */
const DEFAULT_PAGE = 100;
const MAX_PAGE = 999;

/**
 * `GET /users` with `$select`, `$top`, `$filter` on licences, `$count`, and `$skiptoken` paging.
 * Advanced query parameters (`ConsistencyLevel: eventual` and `$count=true`) lift the 15-clause limit
 * to a 2,048-character URL; without the header `$count=true` is silently ignored (aad-advanced-queries).
 */
export function listUsers(context: SandboxContext, request: SandboxRequest): Reply {
  for (const option of ['$skip', '$orderby', '$search', '$expand']) {
    if (queryParam(request, option) !== undefined) {
      return graphError(request, 400, 'Request_BadRequest', `'${option}' is not supported by the service.`);
    }
  }
  const select = queryParam(request, '$select');
  const parsed = parseUserSelect(select);
  if (!parsed.ok)
    return graphError(
      request,
      400,
      'Request_BadRequest',
      `Could not find a property named '${parsed.unknown}' on type 'microsoft.graph.user'.`,
    );
  const topText = queryParam(request, '$top');
  const top = topText === undefined ? DEFAULT_PAGE : Number(topText);
  if (!Number.isInteger(top) || top < 1 || top > MAX_PAGE) {
    return graphError(
      request,
      400,
      'Request_UnsupportedQuery',
      `Invalid page size specified: '${topText}'. Must be between 1 and ${MAX_PAGE} inclusive.`,
    );
  }
  const filterText = queryParam(request, '$filter');
  const advanced =
    header(request, 'consistencylevel')?.toLowerCase() === 'eventual' &&
    queryParam(request, '$count')?.toLowerCase() === 'true';
  const parsedFilter = filterText === undefined ? undefined : parseUserFilter(filterText);
  if (parsedFilter && !parsedFilter.ok) return graphError(request, 400, parsedFilter.code, parsedFilter.message);
  if (parsedFilter && !advanced && parsedFilter.orClauses > MAX_DEFAULT_OR_CLAUSES) {
    // Wording as Graph answers it (captured by third parties; not on Learn).
    return graphError(
      request,
      400,
      'Request_UnsupportedQuery',
      `Too many child clauses specified in search filter expression containing 'OR' operators: ${parsedFilter.orClauses}. Max allowed: ${MAX_DEFAULT_OR_CLAUSES}.`,
    );
  }
  const requestUrlLength = request.url.pathname.length + request.url.search.length;
  if (advanced && requestUrlLength > MAX_ADVANCED_QUERY_URL) {
    // Learn states the limit, not the answer; this error is the sandbox's best guess.
    return graphError(
      request,
      400,
      'Request_UnsupportedQuery',
      `The request URL is ${requestUrlLength} characters long; advanced queries are limited to ${MAX_ADVANCED_QUERY_URL}.`,
    );
  }
  const filter = parsedFilter?.matches;
  const count = advanced;

  const directory = context.tenant.directory;
  const skiptoken = queryParam(request, '$skiptoken');
  let start = 0;
  if (skiptoken !== undefined) {
    const after = decodeSkipToken(skiptoken);
    if (after === undefined) return graphError(request, 400, 'Request_BadRequest', 'Invalid $skiptoken value.');
    start = directory.positionAfter(after);
  }
  const users = directory.users;
  const page: string[] = [];
  let last: DirectoryUser | undefined;
  let more = false;
  for (let i = start; i < users.length; i++) {
    const user = users[i]!;
    if (filter && !filter(user)) continue;
    if (page.length === top) {
      more = true;
      break;
    }
    page.push(userJson(user, parsed.selection));
    last = user;
  }

  const base = `${context.origin}/graph/v1.0`;
  const parts = [
    `"@odata.context":${JSON.stringify(`${base}/$metadata#users${parsed.selection.explicit ? `(${parsed.selection.key})` : ''}`)}`,
  ];
  // @odata.count only on the first page (graph/paging).
  if (count && skiptoken === undefined)
    parts.push(`"@odata.count":${filter ? users.filter(filter).length : users.length}`);
  if (more && last) {
    const query = [
      select !== undefined ? `$select=${encodeURIComponent(select).replace(/%2C/gi, ',')}` : '',
      filterText !== undefined ? `$filter=${encodeURIComponent(filterText)}` : '',
      topText !== undefined ? `$top=${top}` : '',
      count ? '$count=true' : '',
      `$skiptoken=${encodeSkipToken(last.id)}`,
    ].filter(Boolean);
    parts.push(`"@odata.nextLink":${JSON.stringify(`${base}/users?${query.join('&')}`)}`);
  }
  parts.push(`"value":[${page.join(',')}]`);
  return graphRawJson(request, `{${parts.join(',')}}`);
}

/** Graph's directory skiptokens look like `X'4453...'`: hex of an opaque key, here the last id returned. */
function encodeSkipToken(lastId: string): string {
  return `X%27${Buffer.from(`v1:${lastId}`, 'utf8').toString('hex').toUpperCase()}%27`;
}

function decodeSkipToken(token: string): string | undefined {
  const match = /^X'([0-9A-F]+)'$/i.exec(token);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'hex').toString('utf8');
  return decoded.startsWith('v1:') ? decoded.slice(3) : undefined;
}
