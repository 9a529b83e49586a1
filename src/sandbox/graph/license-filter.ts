import type { DirectoryUser } from '../tenant.model';
import { holdsLicense } from '../tenant.model';

/**
 * The `$filter`s `GET /users` understands: licence clauses `assignedLicenses/any(x:x/skuId eq {id})`
 * joined by `or` (user-list shows one; assignedLicenses supports `eq` by default per the
 * advanced-queries property table), plus `eq` on accountEnabled and userType.
 */
export type UserFilter =
  | { readonly ok: true; readonly matches: (user: DirectoryUser) => boolean; readonly orClauses: number }
  | { readonly ok: false; readonly code: 'Request_UnsupportedQuery'; readonly message: string };

/**
 * Graph known issues: "the request is limited to 15 expressions in the filter clause by default OR a
 * URL length of 2,048 characters when using advanced query capabilities".
 */
export const MAX_DEFAULT_OR_CLAUSES = 15;
export const MAX_ADVANCED_QUERY_URL = 2048;

const LICENSE_CLAUSE = /^\(?\s*assignedLicenses\/any\((\w+):\s*\1\/skuId\s+eq\s+([0-9a-f-]{36})\)\s*\)?$/i;

export function parseUserFilter(text: string): UserFilter {
  const trimmed = text.trim();
  const enabled = /^accountEnabled\s+eq\s+(true|false)$/i.exec(trimmed);
  if (enabled) {
    const value = enabled[1]!.toLowerCase() === 'true';
    return { ok: true, matches: (user) => user.accountEnabled === value, orClauses: 1 };
  }
  const type = /^userType\s+eq\s+'(Member|Guest)'$/i.exec(trimmed);
  if (type) {
    const value = type[1]!.toLowerCase();
    return { ok: true, matches: (user) => user.userType.toLowerCase() === value, orClauses: 1 };
  }
  const clauses = trimmed.split(/\s+or\s+/i);
  const skuIds = new Set<string>();
  for (const clause of clauses) {
    const license = LICENSE_CLAUSE.exec(clause.trim());
    if (!license) return unsupported();
    skuIds.add(license[2]!.toLowerCase());
  }
  return {
    ok: true,
    // assignedLicenses holds only the licenses the user has: an assignment in state Error is not one.
    matches: (user) => user.licenses.some((source) => holdsLicense(source) && skuIds.has(source.skuId)),
    orClauses: clauses.length,
  };
}

function unsupported(): UserFilter {
  return { ok: false, code: 'Request_UnsupportedQuery', message: 'Unsupported Query.' };
}
