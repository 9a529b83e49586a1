import { isoSeconds } from './directory';
import { GIVEN_NAMES, GUEST_DOMAINS, OFFICES, SURNAMES } from './people.data';
import { activityAreas, personaAt, PERSONAS, type Persona } from './personas';
import { chance, pick, randomInt, uuid, type Rng } from './random';
import { skuById, skuByPartNumber, UNLISTED_SKU_PART_NUMBER } from './sku-catalog';
import type { DirectoryGroup, DirectoryUser, LicenseSource } from './tenant.model';

/** How a user's audit trail is generated; the product should find exactly these patterns. */
export type ActivityProfile = 'active' | 'fading' | 'idle' | 'never' | 'sales-recent-service-stale';

export interface GeneratedDirectory {
  readonly adminUserId: string;
  readonly users: DirectoryUser[];
  readonly groups: DirectoryGroup[];
  readonly activity: Map<string, ActivityProfile>;
}

/** Licensing groups: members inherit the SKU; some members also hold a direct copy. */
const GROUPS: ReadonlyArray<{ displayName: string; description: string; sku: string }> = [
  {
    displayName: 'Sales team',
    description: 'Sales Enterprise for the sales organisation',
    sku: 'DYN365_ENTERPRISE_SALES',
  },
  {
    displayName: 'Service desk',
    description: 'Customer Service Enterprise for support agents',
    sku: 'DYN365_ENTERPRISE_CUSTOMER_SERVICE',
  },
  {
    displayName: 'Power Platform makers',
    description: 'Power Apps Premium for citizen developers',
    sku: 'POWERAPPS_PER_USER',
  },
  {
    displayName: 'Finance and operations',
    description: 'Dynamics 365 Finance for the finance department',
    sku: 'DYN365_FINANCE',
  },
  { displayName: 'Microsoft 365 E3 users', description: 'Office 365 E3 for all staff', sku: 'ENTERPRISEPACK' },
];

const DAY_MS = 86_400_000;

export function generateDirectory(
  rng: Rng,
  userCount: number,
  domain: string,
  now: Date,
  licensedShare?: number,
): GeneratedDirectory {
  const nowMs = now.getTime();
  const groups: DirectoryGroup[] = GROUPS.map((definition) => ({
    id: uuid(rng),
    displayName: definition.displayName,
    description: definition.description,
    mailNickname: definition.displayName.replace(/[^A-Za-z0-9]/g, ''),
    createdDateTime: isoSeconds(new Date(nowMs - 900 * DAY_MS)),
    assignedLicenses: [{ skuId: skuByPartNumber(definition.sku).skuId, disabledPlans: [] }],
    memberIds: new Set<string>(),
  }));
  const groupBySku = new Map(GROUPS.map((definition, i) => [definition.sku, groups[i]!]));
  const upnCounts = new Map<string, number>();
  const activity = new Map<string, ActivityProfile>();
  const salesUsers: DirectoryUser[] = [];

  const admin = person(rng, domain, nowMs, upnCounts, 'admin');
  admin.jobTitle = 'Global Administrator';
  admin.department = 'IT';
  grant(admin, 'SPE_E5', null, nowMs);
  const users: DirectoryUser[] = [admin];

  for (let i = 1; i < userCount; i++) {
    const guest = chance(rng, 0.02);
    const persona = guest ? pick(rng, GUEST_PERSONAS) : personaOf(rng, licensedShare);
    const user = guest ? guestPerson(rng, domain, nowMs, upnCounts) : person(rng, domain, nowMs, upnCounts);
    user.accountEnabled = !chance(rng, 0.03);
    user.jobTitle = pick(rng, persona.jobTitles);
    user.department = persona.department;
    for (const part of licensesFor(rng, persona, guest)) {
      const group = groupBySku.get(part);
      const roll = rng();
      const viaGroup = group !== undefined && roll >= 0.65;
      const direct = group === undefined || roll < 0.65 || roll >= 0.9;
      if (direct) grant(user, part, null, assignedAt(rng, user, nowMs));
      if (viaGroup) {
        group.memberIds.add(user.id);
        user.groupIds.push(group.id);
        grant(user, part, group.id, assignedAt(rng, user, nowMs));
      }
    }
    if (persona.name.startsWith('sales') || persona.name === 'relationship-sales') salesUsers.push(user);
    users.push(user);
  }

  // A few users hold the SKU Microsoft's list does not know.
  const unlisted = Math.min(salesUsers.length, Math.max(3, Math.round(userCount * 0.001)));
  for (let k = 0; k < unlisted; k++) {
    const user = salesUsers[Math.floor((k * salesUsers.length) / unlisted)]!;
    grant(user, UNLISTED_SKU_PART_NUMBER, null, assignedAt(rng, user, nowMs));
  }

  for (const user of users) {
    if (user.id === admin.id) continue;
    const skus = user.licenses.map((source) => skuById(source.skuId)!).filter((sku) => sku.family !== 'office');
    if (skus.length === 0) continue;
    const parts = skus.map((sku) => sku.skuPartNumber);
    const areas = activityAreas(parts);
    activity.set(user.id, profileFor(rng, areas.has('sales') && areas.has('service')));
  }
  return { adminUserId: admin.id, users, groups, activity };
}

/** Office only, without the Power Apps and Power Automate some office workers pick up. */
const OFFICE_PERSONA: Persona = {
  ...PERSONAS.find((persona) => persona.name === 'office')!,
  powerApps: 0,
  powerAutomate: 0,
};
const LICENSED_PERSONAS = PERSONAS.filter((persona) => persona.name !== 'office');

/** With a share given, that many users get a licensed job and the rest an Office-only one. */
function personaOf(rng: Rng, licensedShare: number | undefined): Persona {
  if (licensedShare === undefined) return personaAt(rng());
  return chance(rng, licensedShare) ? pick(rng, LICENSED_PERSONAS) : OFFICE_PERSONA;
}

/** Guests (partners, contractors) get light licenses: Team Members, Power Apps, or none. */
const GUEST_PERSONAS: readonly Persona[] = PERSONAS.filter((persona) =>
  ['team-member', 'maker', 'office'].includes(persona.name),
);

function licensesFor(rng: Rng, persona: Persona, guest: boolean): string[] {
  const parts = new Set<string>(persona.skus);
  if (!guest) {
    const office = rng();
    if (office < 0.6) parts.add('ENTERPRISEPACK');
    else if (office < 0.9) parts.add('SPE_E5');
  }
  if (persona.secondBase.length > 0 && chance(rng, 0.17))
    for (const part of pick(rng, persona.secondBase)) parts.add(part);
  else if (persona.attach && chance(rng, 0.06)) parts.add(persona.attach);
  if (chance(rng, persona.powerApps)) parts.add('POWERAPPS_PER_USER');
  if (chance(rng, persona.powerAutomate)) parts.add('FLOW_PER_USER');
  return [...parts];
}

function profileFor(rng: Rng, salesAndService: boolean): ActivityProfile {
  if (salesAndService && chance(rng, 0.5)) return 'sales-recent-service-stale';
  const roll = rng();
  if (roll < 0.55) return 'active';
  if (roll < 0.67) return 'fading';
  if (roll < 0.87) return 'idle';
  return 'never';
}

/** Shared by every generated source: 250,000 empty arrays would be garbage for nothing. */
const NO_PLANS: readonly string[] = Object.freeze([]);

function grant(user: DirectoryUser, part: string, groupId: string | null, at: number): void {
  const source: LicenseSource = {
    skuId: skuByPartNumber(part).skuId,
    assignedByGroup: groupId,
    disabledPlans: NO_PLANS,
    lastUpdatedDateTime: isoSeconds(new Date(at)),
  };
  user.licenses.push(source);
}

function assignedAt(rng: Rng, user: DirectoryUser, nowMs: number): number {
  const created = Date.parse(user.createdDateTime);
  return Math.floor((created + rng() * (nowMs - created)) / 1000) * 1000;
}

function person(
  rng: Rng,
  domain: string,
  nowMs: number,
  upnCounts: Map<string, number>,
  alias?: string,
): DirectoryUser {
  const givenName = alias ? 'Sandbox' : pick(rng, GIVEN_NAMES);
  const surname = alias ? 'Admin' : pick(rng, SURNAMES);
  const office = pick(rng, OFFICES);
  const upn = `${unique(upnCounts, alias ?? `${givenName}.${surname}`.toLowerCase())}@${domain}`;
  return {
    id: uuid(rng),
    displayName: `${givenName} ${surname}`,
    givenName,
    surname,
    userPrincipalName: upn,
    mail: upn,
    jobTitle: null,
    department: null,
    officeLocation: office.office,
    mobilePhone: `+1 425 555 ${String(randomInt(rng, 0, 9999)).padStart(4, '0')}`,
    businessPhones: [`+1 425 555 ${String(randomInt(rng, 0, 9999)).padStart(4, '0')}`],
    preferredLanguage: office.language,
    usageLocation: office.usageLocation,
    accountEnabled: true,
    userType: 'Member',
    createdDateTime: isoSeconds(new Date(nowMs - randomInt(rng, 30, 1500) * DAY_MS)),
    licenses: [],
    groupIds: [],
  };
}

/** B2B guests: UPN is the external address with `@` as `_`, then `#EXT#@` the inviting tenant. */
function guestPerson(rng: Rng, domain: string, nowMs: number, upnCounts: Map<string, number>): DirectoryUser {
  const user = person(rng, domain, nowMs, upnCounts);
  const external = `${user.givenName!.toLowerCase()}.${user.surname!.toLowerCase()}@${pick(rng, GUEST_DOMAINS)}`;
  return {
    ...user,
    displayName: `${user.displayName} (Guest)`,
    userPrincipalName: `${unique(upnCounts, external.replace('@', '_'))}#EXT#@${domain}`,
    mail: external,
    userType: 'Guest',
    officeLocation: null,
    businessPhones: [],
  };
}

function unique(counts: Map<string, number>, base: string): string {
  const seen = counts.get(base) ?? 0;
  counts.set(base, seen + 1);
  return seen === 0 ? base : `${base}${seen + 1}`;
}
