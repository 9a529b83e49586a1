import { effectiveLicenses } from '../directory';
import type { DirectoryUser, LicenseSource } from '../tenant.model';

interface UserProperty {
  readonly name: string;
  /** The property's value as JSON text. */
  readonly json: (user: DirectoryUser) => string;
}

const text = (value: string | null): string => (value === null ? 'null' : JSON.stringify(value));
const plans = (list: readonly string[]): string => (list.length === 0 ? '[]' : JSON.stringify(list));

const PROPERTIES: readonly UserProperty[] = [
  { name: 'businessPhones', json: (u) => JSON.stringify(u.businessPhones) },
  { name: 'displayName', json: (u) => text(u.displayName) },
  { name: 'givenName', json: (u) => text(u.givenName) },
  { name: 'jobTitle', json: (u) => text(u.jobTitle) },
  { name: 'mail', json: (u) => text(u.mail) },
  { name: 'mobilePhone', json: (u) => text(u.mobilePhone) },
  { name: 'officeLocation', json: (u) => text(u.officeLocation) },
  { name: 'preferredLanguage', json: (u) => text(u.preferredLanguage) },
  { name: 'surname', json: (u) => text(u.surname) },
  { name: 'userPrincipalName', json: (u) => text(u.userPrincipalName) },
  { name: 'id', json: (u) => text(u.id) },
  { name: 'accountEnabled', json: (u) => String(u.accountEnabled) },
  { name: 'userType', json: (u) => text(u.userType) },
  { name: 'usageLocation', json: (u) => text(u.usageLocation) },
  { name: 'department', json: (u) => text(u.department) },
  { name: 'createdDateTime', json: (u) => text(u.createdDateTime) },
  { name: 'mailNickname', json: (u) => text(u.userPrincipalName.split('@')[0]!.replace(/#EXT#$/, '')) },
  { name: 'companyName', json: () => 'null' },
  { name: 'employeeId', json: () => 'null' },
  { name: 'city', json: () => 'null' },
  { name: 'country', json: () => 'null' },
  { name: 'otherMails', json: () => '[]' },
  { name: 'assignedLicenses', json: (u) => assignedLicensesJson(u.licenses) },
  { name: 'licenseAssignmentStates', json: (u) => `[${u.licenses.map(stateJson).join(',')}]` },
];

/** assignedLicense: `{disabledPlans, skuId}`, one per SKU however many sources grant it. */
function assignedLicensesJson(sources: readonly LicenseSource[]): string {
  const licenses = effectiveLicenses(sources);
  return `[${licenses.map((license) => `{"disabledPlans":${plans(license.disabledPlans)},"skuId":${text(license.skuId)}}`).join(',')}]`;
}

/** licenseAssignmentState, one per source; error "None" when the assignment succeeded (as Graph answers it). */
function stateJson(source: LicenseSource): string {
  return `{"assignedByGroup":${text(source.assignedByGroup)},"disabledPlans":${plans(source.disabledPlans)},"error":${text(source.error ?? 'None')},"lastUpdatedDateTime":${text(source.lastUpdatedDateTime)},"skuId":${text(source.skuId)},"state":${text(source.state ?? 'Active')}}`;
}

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
  const names = (select ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
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
  const cached = user.serialized;
  if (cached !== undefined && cached.key === selection.key) return cached.json;
  let json = '{';
  const { properties } = selection;
  for (let i = 0; i < properties.length; i++) {
    const property = properties[i]!;
    json += `${i === 0 ? '' : ','}"${property.name}":${property.json(user)}`;
  }
  json += '}';
  user.serialized = { key: selection.key, json };
  return json;
}
