import { effectiveLicenses } from '../directory';
import type { DirectoryUser } from '../tenant.model';

type UserValue = string | number | boolean | null | readonly unknown[];

interface UserProperty {
  readonly name: string;
  readonly read: (user: DirectoryUser) => UserValue;
}

const PROPERTIES: readonly UserProperty[] = [
  { name: 'businessPhones', read: (u) => u.businessPhones },
  { name: 'displayName', read: (u) => u.displayName },
  { name: 'givenName', read: (u) => u.givenName },
  { name: 'jobTitle', read: (u) => u.jobTitle },
  { name: 'mail', read: (u) => u.mail },
  { name: 'mobilePhone', read: (u) => u.mobilePhone },
  { name: 'officeLocation', read: (u) => u.officeLocation },
  { name: 'preferredLanguage', read: (u) => u.preferredLanguage },
  { name: 'surname', read: (u) => u.surname },
  { name: 'userPrincipalName', read: (u) => u.userPrincipalName },
  { name: 'id', read: (u) => u.id },
  { name: 'accountEnabled', read: (u) => u.accountEnabled },
  { name: 'userType', read: (u) => u.userType },
  { name: 'usageLocation', read: (u) => u.usageLocation },
  { name: 'department', read: (u) => u.department },
  { name: 'createdDateTime', read: (u) => u.createdDateTime },
  { name: 'mailNickname', read: (u) => u.userPrincipalName.split('@')[0]!.replace(/#EXT#$/, '') },
  { name: 'companyName', read: () => null },
  { name: 'employeeId', read: () => null },
  { name: 'city', read: () => null },
  { name: 'country', read: () => null },
  { name: 'otherMails', read: () => [] },
  { name: 'assignedLicenses', read: (u) => effectiveLicenses(u.licenses) },
  {
    name: 'licenseAssignmentStates',
    // One entry per source; error "None" when the assignment succeeded (licenseAssignmentState resource).
    read: (u) =>
      u.licenses.map((source) => ({
        assignedByGroup: source.assignedByGroup,
        disabledPlans: source.disabledPlans,
        error: 'None',
        lastUpdatedDateTime: source.lastUpdatedDateTime,
        skuId: source.skuId,
        state: 'Active',
      })),
  },
];

const BY_NAME = new Map(PROPERTIES.map((property) => [property.name.toLowerCase(), property]));

/**
 * Without `$select` Graph returns only these eleven; `assignedLicenses`, `licenseAssignmentStates`,
 * `accountEnabled` and `userType` come back only when selected (user-list, "Optional query parameters").
 */
const DEFAULT_PROPERTIES = PROPERTIES.slice(0, 11);

export interface UserSelection {
  readonly properties: readonly UserProperty[];
  /** Canonical names joined by commas: the serialization cache key and the `$metadata#users(...)` suffix. */
  readonly key: string;
  readonly explicit: boolean;
}

export type SelectParse = { ok: true; selection: UserSelection } | { ok: false; unknown: string };

export function parseUserSelect(select: string | undefined): SelectParse {
  const names = (select ?? '').split(',').map((name) => name.trim()).filter(Boolean);
  if (names.length === 0) return { ok: true, selection: { properties: DEFAULT_PROPERTIES, key: '', explicit: false } };
  const properties: UserProperty[] = [];
  for (const name of names) {
    const property = BY_NAME.get(name.toLowerCase());
    if (!property) return { ok: false, unknown: name };
    if (!properties.includes(property)) properties.push(property);
  }
  return { ok: true, selection: { properties, key: properties.map((p) => p.name).join(','), explicit: true } };
}

/** The user's JSON for a selection, built once and kept on the user until it changes. */
export function userJson(user: DirectoryUser, selection: UserSelection): string {
  let cache = user.serialized;
  const cached = cache?.get(selection.key);
  if (cached !== undefined) return cached;
  const object: Record<string, UserValue> = {};
  for (const property of selection.properties) object[property.name] = property.read(user);
  const json = JSON.stringify(object);
  if (!cache) cache = user.serialized = new Map();
  cache.set(selection.key, json);
  return json;
}
