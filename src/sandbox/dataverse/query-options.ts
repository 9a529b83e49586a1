import { header, queryParam, type SandboxRequest } from '../http/reply';
import { FilterSyntaxError, parseFilter, UnknownPropertyError, type ColumnType, type FilterNode } from './odata-filter';

/** page-results: `Prefer: odata.maxpagesize` defaults to, and is capped at, 5,000 rows. */
export const MAX_PAGE_SIZE = 5000;

export interface Preferences {
  readonly maxPageSize: number | undefined;
  readonly annotations: readonly string[];
}

export function preferencesOf(request: SandboxRequest): Preferences {
  const prefer = header(request, 'prefer') ?? '';
  const size = /odata\.maxpagesize\s*=\s*"?(\d+)"?/i.exec(prefer);
  const annotations = /odata\.include-annotations\s*=\s*"([^"]*)"/i.exec(prefer);
  return {
    maxPageSize: size ? Math.min(MAX_PAGE_SIZE, Math.max(1, Number(size[1]))) : undefined,
    annotations: annotations
      ? annotations[1]!
          .split(',')
          .map((pattern) => pattern.trim())
          .filter(Boolean)
      : [],
  };
}

/** `Preference-Applied` echoes what was honoured. */
export function preferenceApplied(preferences: Preferences): Record<string, string> {
  const applied: string[] = [];
  if (preferences.annotations.length > 0)
    applied.push(`odata.include-annotations="${preferences.annotations.join(',')}"`);
  if (preferences.maxPageSize !== undefined) applied.push(`odata.maxpagesize=${preferences.maxPageSize}`);
  return applied.length > 0 ? { 'preference-applied': applied.join(',') } : {};
}

export function annotationIncluded(preferences: Preferences, annotation: string): boolean {
  return preferences.annotations.some(
    (pattern) =>
      pattern === '*' ||
      pattern.toLowerCase() === annotation.toLowerCase() ||
      (pattern.endsWith('.*') && annotation.toLowerCase().startsWith(pattern.slice(0, -1).toLowerCase())),
  );
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

export function parseSelect(
  request: SandboxRequest,
  columns: Readonly<Record<string, ColumnType>>,
  entity: string,
): Parsed<readonly string[]> {
  const select = queryParam(request, '$select');
  if (select === undefined) return { ok: true, value: Object.keys(columns) };
  const names = select
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  for (const name of names) {
    if (!(name in columns))
      return {
        ok: false,
        message: `Could not find a property named '${name}' on type 'Microsoft.Dynamics.CRM.${entity}'.`,
      };
  }
  return { ok: true, value: [...new Set(names)] };
}

export function parseFilterOption(
  request: SandboxRequest,
  columns: Readonly<Record<string, ColumnType>>,
  entity: string,
): Parsed<FilterNode | undefined> {
  const filter = queryParam(request, '$filter');
  if (filter === undefined || filter.trim() === '') return { ok: true, value: undefined };
  try {
    const node = parseFilter(filter);
    assertKnownProperties(node, columns);
    return { ok: true, value: node };
  } catch (error) {
    if (error instanceof UnknownPropertyError) {
      return {
        ok: false,
        message: `Could not find a property named '${error.property}' on type 'Microsoft.Dynamics.CRM.${entity}'.`,
      };
    }
    if (error instanceof FilterSyntaxError) return { ok: false, message: error.message };
    throw error;
  }
}

function assertKnownProperties(node: FilterNode, columns: Readonly<Record<string, ColumnType>>): void {
  if (node.kind === 'compare') {
    if (!(node.property in columns)) throw new UnknownPropertyError(node.property);
  } else if (node.kind === 'not') assertKnownProperties(node.operand, columns);
  else {
    assertKnownProperties(node.left, columns);
    assertKnownProperties(node.right, columns);
  }
}

/**
 * Dataverse's `$skiptoken` is a paging cookie: `<cookie pagenumber="2" pagingcookie="..." istracking="False" />`
 * whose inner cookie is itself percent-encoded (so `%253c` in the URL, as in the page-results sample).
 * Callers must send it back verbatim; what the inner cookie holds is the sandbox's business.
 */
export function encodePagingCookie(page: number, key: Record<string, string | number>): string {
  const attributes = Object.entries(key)
    .map(([name, value]) => `${name}="${value}"`)
    .join(' ');
  const inner = `<cookie page="${page - 1}"><key ${attributes} /></cookie>`;
  return `<cookie pagenumber="${page}" pagingcookie="${encodeURIComponent(inner)}" istracking="False" />`;
}

export function decodePagingCookie(token: string): { page: number; key: Record<string, string> } | undefined {
  const outer = /^<cookie pagenumber="(\d+)" pagingcookie="([^"]*)" istracking="(?:True|False)" \/>$/.exec(token);
  if (!outer) return undefined;
  let inner: string;
  try {
    inner = decodeURIComponent(outer[2]!);
  } catch {
    return undefined;
  }
  const keyMatch = /<key ([^>]*) \/>/.exec(inner);
  if (!keyMatch) return undefined;
  const key: Record<string, string> = {};
  for (const [, name, value] of keyMatch[1]!.matchAll(/(\w+)="([^"]*)"/g)) key[name!] = value!;
  return { page: Number(outer[1]), key };
}

/** The nextLink repeats the query options and adds the cookie, everything percent-encoded. */
export function nextLinkFor(base: string, request: SandboxRequest, cookie: string): string {
  const options = ['$select', '$filter', '$orderby', '$top']
    .map((name) => [name, queryParam(request, name)] as const)
    .filter((entry): entry is readonly [string, string] => entry[1] !== undefined)
    .map(([name, value]) => `${name}=${encodeURIComponent(value).replace(/%2C/gi, ',')}`);
  options.push(`$skiptoken=${encodeURIComponent(cookie).replace(/%3D/g, '=')}`);
  return `${base}?${options.join('&')}`;
}

/** M/D/YYYY h:mm AM|PM in UTC: how the Web API formats a createdon for display (en-US user). */
export function formattedDate(ms: number): string {
  const date = new Date(ms);
  const hours = date.getUTCHours();
  const minutes = String(date.getUTCMinutes()).padStart(2, '0');
  const hour12 = hours % 12 === 0 ? 12 : hours % 12;
  return `${date.getUTCMonth() + 1}/${date.getUTCDate()}/${date.getUTCFullYear()} ${hour12}:${minutes} ${hours < 12 ? 'AM' : 'PM'}`;
}

export function isoFromMs(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}
