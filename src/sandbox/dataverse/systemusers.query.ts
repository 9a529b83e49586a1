import { queryParam, type Reply, type SandboxRequest } from '../http/reply';
import type { SystemUser } from '../tenant.model';
import { dataverseError, dataverseJson, dataverseQueryError, dataverseRawJson } from './dataverse-http';
import type { EnvironmentContext } from './environment-context';
import { compileFilter, type ColumnType } from './odata-filter';
import {
  annotationIncluded,
  decodePagingCookie,
  encodePagingCookie,
  formattedDate,
  MAX_PAGE_SIZE,
  nextLinkFor,
  parseFilterOption,
  parseSelect,
  preferenceApplied,
  preferencesOf,
} from './query-options';

const COLUMNS: Readonly<Record<string, ColumnType>> = {
  systemuserid: 'guid',
  azureactivedirectoryobjectid: 'guid',
  domainname: 'string',
  fullname: 'string',
  internalemailaddress: 'string',
  isdisabled: 'boolean',
  accessmode: 'number',
  applicationid: 'guid',
  islicensed: 'boolean',
  createdon: 'datetime',
};

const ACCESS_MODES: Readonly<Record<number, string>> = {
  0: 'Read-Write',
  1: 'Administrative',
  2: 'Read',
  3: 'Support User',
  4: 'Non-interactive',
  5: 'Delegated Admin',
};
const FORMATTED = 'OData.Community.Display.V1.FormattedValue';

function read(user: SystemUser, property: string): string | number | boolean | null {
  switch (property) {
    case 'createdon':
      return Date.parse(user.createdon);
    case 'internalemailaddress':
      return user.applicationid || !user.domainname ? null : user.domainname;
    default:
      return (user as unknown as Record<string, string | number | boolean | null>)[property] ?? null;
  }
}

/** `GET systemusers` with $select, $filter and the same cookie paging as every Web API collection. */
export function querySystemUsers(env: EnvironmentContext, request: SandboxRequest): Reply {
  if (queryParam(request, '$orderby') !== undefined)
    return dataverseQueryError('The sandbox returns systemusers in creation order; $orderby is not supported.');
  const select = parseSelect(request, COLUMNS, 'systemuser');
  if (!select.ok) return dataverseQueryError(select.message);
  const filter = parseFilterOption(request, COLUMNS, 'systemuser');
  if (!filter.ok) return dataverseQueryError(filter.message);
  const matches = filter.value ? compileFilter<SystemUser>(filter.value, COLUMNS, read) : () => true;
  const preferences = preferencesOf(request);
  const topText = queryParam(request, '$top');
  const top = topText === undefined ? undefined : Number(topText);
  if (top !== undefined && (!Number.isInteger(top) || top < 0))
    return dataverseQueryError(`Invalid value '${topText}' for $top.`);
  const paged = preferences.maxPageSize !== undefined || top === undefined;
  const pageSize = paged ? (preferences.maxPageSize ?? MAX_PAGE_SIZE) : Math.min(top!, MAX_PAGE_SIZE);

  let start = 0;
  let pageNumber = 1;
  const skiptoken = queryParam(request, '$skiptoken');
  if (skiptoken !== undefined) {
    const cookie = decodePagingCookie(skiptoken);
    const last = Number(cookie?.key['index']);
    if (!cookie || !Number.isInteger(last)) return dataverseQueryError('The $skiptoken is not a valid paging cookie.');
    start = last + 1;
    pageNumber = cookie.page;
  }
  const all = env.store.systemUsers;
  const page: SystemUser[] = [];
  let more = false;
  for (let i = start; i < all.length; i++) {
    if (!matches(all[i]!)) continue;
    if (page.length === pageSize) {
      more = paged;
      break;
    }
    page.push(all[i]!);
  }
  const base = env.base;
  const formatted = annotationIncluded(preferences, FORMATTED);
  const parts = [
    `"@odata.context":${JSON.stringify(`${base}/$metadata#systemusers${queryParam(request, '$select') ? `(${select.value.join(',')})` : ''}`)}`,
  ];
  parts.push(
    `"value":[${page.map((user) => JSON.stringify(systemUserJson(user, select.value, formatted))).join(',')}]`,
  );
  if (more) {
    const cookie = encodePagingCookie(pageNumber + 1, { index: page[page.length - 1]!.index });
    parts.push(`"@odata.nextLink":${JSON.stringify(nextLinkFor(`${base}/systemusers`, request, cookie))}`);
  }
  return dataverseRawJson(`{${parts.join(',')}}`, preferenceApplied(preferences));
}

export function getSystemUser(env: EnvironmentContext, request: SandboxRequest, id: string): Reply {
  const user = env.store.findSystemUser(id);
  if (!user) return dataverseError(404, '0x80040217', `systemuser With Id = ${id} Does Not Exist`);
  const select = parseSelect(request, COLUMNS, 'systemuser');
  if (!select.ok) return dataverseQueryError(select.message);
  const formatted = annotationIncluded(preferencesOf(request), FORMATTED);
  return dataverseJson({
    '@odata.context': `${env.base}/$metadata#systemusers/$entity`,
    ...systemUserJson(user, select.value, formatted),
  });
}

function systemUserJson(user: SystemUser, columns: readonly string[], formatted: boolean): Record<string, unknown> {
  const row: Record<string, unknown> = { '@odata.etag': `W/"${1000 + user.index}"` };
  for (const column of columns) {
    if (formatted) {
      if (column === 'accessmode') row[`accessmode@${FORMATTED}`] = ACCESS_MODES[user.accessmode];
      if (column === 'isdisabled') row[`isdisabled@${FORMATTED}`] = user.isdisabled ? 'Disabled' : 'Enabled';
      if (column === 'islicensed') row[`islicensed@${FORMATTED}`] = user.islicensed ? 'Yes' : 'No';
      if (column === 'createdon') row[`createdon@${FORMATTED}`] = formattedDate(Date.parse(user.createdon));
    }
    row[column] = column === 'createdon' ? user.createdon : read(user, column);
  }
  return row;
}
