import { queryParam, type Reply, type SandboxRequest } from '../http/reply';
import { dataverseQueryError, dataverseRawJson } from './dataverse-http';
import { auditRowWriter } from './audit-row-json';
import type { EnvironmentContext } from './environment-context';
import { compileFilter, dateRange, onlyConstrains, type ColumnType } from './odata-filter';
import {
  annotationIncluded,
  decodePagingCookie,
  encodePagingCookie,
  MAX_PAGE_SIZE,
  nextLinkFor,
  parseFilterOption,
  parseSelect,
  preferenceApplied,
  preferencesOf,
} from './query-options';

const FORMATTED = 'OData.Community.Display.V1.FormattedValue';
const LOOKUP = 'Microsoft.Dynamics.CRM.lookuplogicalname';

/** The audit columns the Web API exposes (audit entity reference); `changedata` is not among them. */
const COLUMNS: Readonly<Record<string, ColumnType>> = {
  auditid: 'guid',
  action: 'number',
  operation: 'number',
  objecttypecode: 'string',
  createdon: 'datetime',
  _userid_value: 'guid',
  _objectid_value: 'guid',
  _callinguserid_value: 'guid',
  useradditionalinfo: 'string',
};

/**
 * `GET audits`: $select, $filter, `$orderby=createdon asc|desc`, paging by `Prefer: odata.maxpagesize`
 * and a cookie `$skiptoken`; `$top` applies only without maxpagesize (page-results).
 */
export function queryAudits(env: EnvironmentContext, request: SandboxRequest): Reply {
  const select = parseSelect(request, COLUMNS, 'audit');
  if (!select.ok) return dataverseQueryError(select.message);
  const filter = parseFilterOption(request, COLUMNS, 'audit');
  if (!filter.ok) return dataverseQueryError(filter.message);
  const order = /^\s*createdon(?:\s+(asc|desc))?\s*$/i.exec(queryParam(request, '$orderby') ?? 'createdon asc');
  if (!order)
    return dataverseQueryError(
      `The sandbox orders audits by createdon only; got '$orderby=${queryParam(request, '$orderby')}'.`,
    );
  const descending = order[1]?.toLowerCase() === 'desc';
  const preferences = preferencesOf(request);
  const topText = queryParam(request, '$top');
  const top = topText === undefined ? undefined : Number(topText);
  if (top !== undefined && (!Number.isInteger(top) || top < 0))
    return dataverseQueryError(`Invalid value '${topText}' for $top.`);
  const paged = preferences.maxPageSize !== undefined || top === undefined;
  const pageSize = paged ? (preferences.maxPageSize ?? MAX_PAGE_SIZE) : Math.min(top!, MAX_PAGE_SIZE);

  const store = env.store;
  const log = store.audit;
  const read = (i: number, property: string): string | number | null => {
    switch (property) {
      case 'auditid':
        return log.auditIdAt(i);
      case 'action':
        return log.actionAt(i);
      case 'operation':
        return log.operationAt(i);
      case 'objecttypecode':
        return log.tableAt(i);
      case 'createdon':
        return log.createdOnAt(i);
      case '_userid_value':
        return store.systemUserIdAt(log.userAt(i));
      case '_objectid_value':
        return log.objectIdAt(i) ?? store.systemUserIdAt(log.userAt(i));
      case '_callinguserid_value': {
        const calling = log.callingUserAt(i);
        return calling === null ? null : store.systemUserIdAt(calling);
      }
      default:
        return null;
    }
  };
  // A filter on createdon alone is fully applied by the range below; no per-row check needed.
  const matches =
    filter.value && !onlyConstrains(filter.value, 'createdon')
      ? compileFilter<number>(filter.value, COLUMNS, read)
      : () => true;

  const range = dateRange(filter.value, 'createdon');
  let lo = range.from === -Infinity ? 0 : log.lowerBound(range.from);
  let hi = range.to === Infinity ? log.length : log.upperBound(range.to);
  let pageNumber = 1;
  const skiptoken = queryParam(request, '$skiptoken');
  if (skiptoken !== undefined) {
    const cookie = decodePagingCookie(skiptoken);
    const ms = Number(cookie?.key['createdon']);
    const seq = Number(cookie?.key['seq']);
    if (!cookie || !Number.isFinite(ms) || !Number.isInteger(seq))
      return dataverseQueryError('The $skiptoken is not a valid paging cookie.');
    pageNumber = cookie.page;
    if (descending) hi = Math.min(hi, log.positionAtOrAfter(ms, seq));
    else lo = Math.max(lo, log.positionAfter(ms, seq));
  }

  const rows: number[] = [];
  let more = false;
  const step = descending ? -1 : 1;
  for (let i = descending ? hi - 1 : lo; descending ? i >= lo : i < hi; i += step) {
    if (!matches(i)) continue;
    if (rows.length === pageSize) {
      more = paged;
      break;
    }
    rows.push(i);
  }

  const base = env.base;
  const columns = select.value;
  const parts = [
    `"@odata.context":${JSON.stringify(`${base}/$metadata#audits${queryParam(request, '$select') ? `(${columns.join(',')})` : ''}`)}`,
  ];
  if (annotationIncluded(preferences, 'Microsoft.Dynamics.CRM.totalrecordcount')) {
    parts.push(
      '"@Microsoft.Dynamics.CRM.totalrecordcount":-1',
      '"@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded":false',
    );
  }
  const write = auditRowWriter(store, columns, {
    formatted: annotationIncluded(preferences, FORMATTED),
    lookups: annotationIncluded(preferences, LOOKUP),
  });
  parts.push(`"value":[${rows.map(write).join(',')}]`);
  if (more) {
    const last = rows[rows.length - 1]!;
    const cookie = encodePagingCookie(pageNumber + 1, { createdon: log.createdOnAt(last), seq: log.seqAt(last) });
    parts.push(`"@odata.nextLink":${JSON.stringify(nextLinkFor(`${base}/audits`, request, cookie))}`);
  }
  return dataverseRawJson(`{${parts.join(',')}}`, preferenceApplied(preferences));
}
