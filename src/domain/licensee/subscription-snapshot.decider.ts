import type { Licensee, TenantSubscriptions } from '../../../projections/subscriptions/subscriptions.projection';
import type { TenantCatalog } from '../../../projections/tenant-catalog/tenant-catalog.projection';
import { findCatalogEntry, isDynamicsOrPowerPlatform } from '../../catalog/catalog';
import { deterministicId } from '../../shared/ids';
import type { PrepaidUnits, TenantEvent } from '../tenant/tenant.events';
import type { AssignedVia, LicenseeEvent } from './licensee.events';

/** What Graph said, reduced to what the diff needs (`subscribedSkus` and every user). */
export interface SnapshotSku {
  readonly skuId: string;
  readonly skuPartNumber: string;
  readonly appliesTo: string;
  readonly capabilityStatus: string;
  readonly prepaidUnits: {
    readonly enabled: number;
    readonly warning: number;
    readonly suspended: number;
    readonly lockedOut?: number;
  };
  readonly servicePlanNames: readonly string[];
}

export interface SnapshotUser {
  readonly id: string;
  readonly userPrincipalName: string;
  readonly accountEnabled: boolean | null;
  readonly userType: string | null;
  readonly skuIds: readonly string[];
  readonly states: readonly {
    readonly skuId: string;
    readonly assignedByGroup: string | null;
    readonly state: string;
    readonly lastUpdatedDateTime: string | null;
  }[];
}

export interface RecordSubscriptionSnapshot {
  readonly profileId: string;
  readonly runId: string;
  readonly takenAt: string;
  readonly skus: readonly SnapshotSku[];
  /** Users holding at least one SKU; everyone else needs only their id. */
  readonly licensedUsers: readonly SnapshotUser[];
  /** Every user id Graph returned: who is missing from it was deleted. */
  readonly allUserIds: ReadonlySet<string>;
}

export interface StreamChanges<E> {
  readonly streamId: string;
  readonly expectedRevision: number | 'no-stream';
  readonly events: readonly { readonly id: string; readonly event: E }[];
}

export interface SnapshotDecision {
  readonly licensees: readonly StreamChanges<LicenseeEvent>[];
  readonly catalog: StreamChanges<TenantEvent>;
  readonly summary: TenantEvent & { type: 'SubscriptionSnapshotRecorded' };
}

const DEFAULT_INACTIVITY_DAYS = 60;
const DEFAULT_GRACE_DAYS = 14;

/**
 * The download's decision: diff what Graph returned against the current state and keep
 * only the changes. Event ids derive from the stream and the revision each event will
 * take, so re-deciding the same change on the same state yields the same ids, and a
 * re-run after a crash re-appends nothing.
 */
export function decideSubscriptionSnapshot(
  command: RecordSubscriptionSnapshot,
  current: TenantSubscriptions | undefined,
  catalog: TenantCatalog | undefined,
): SnapshotDecision {
  const { profileId, takenAt } = command;
  const scope = classifySkus(command.skus);
  const catalogEvents: TenantEvent[] = [];
  let modelsCreated = 0;
  let unrecognized = 0;

  for (const sku of command.skus) {
    const kind = scope.get(sku.skuId.toLowerCase());
    if (!kind || sku.appliesTo.toLowerCase() !== 'user') continue;
    if (kind.entry) {
      if (!catalog?.models.has(sku.skuId)) {
        modelsCreated += 1;
        const e = kind.entry;
        catalogEvents.push({
          type: 'SoftwareModelCreated',
          data: {
            profileId,
            skuId: sku.skuId,
            skuPartNumber: e.skuPartNumber,
            name: e.name,
            licenseType: e.licenseType,
            activityTracked: e.activityTracked,
            activityNeeded: e.activityNeeded,
            createdAt: takenAt,
          },
        });
        if (e.activityTracked && ![...(catalog?.rules.values() ?? [])].some((r) => r.skuId === sku.skuId)) {
          catalogEvents.push({
            type: 'ReclamationRuleCreated',
            data: {
              profileId,
              ruleId: deterministicId(profileId, 'reclamation-rule', sku.skuId),
              skuId: sku.skuId,
              skuPartNumber: e.skuPartNumber,
              inactivityDays: DEFAULT_INACTIVITY_DAYS,
              enabled: true,
              notify: false,
              graceDays: DEFAULT_GRACE_DAYS,
              createdAt: takenAt,
            },
          });
        }
      }
    } else if (!catalog?.unrecognized.has(sku.skuId)) {
      unrecognized += 1;
      catalogEvents.push({
        type: 'SubscriptionIdentifierUnrecognized',
        data: {
          profileId,
          skuId: sku.skuId,
          skuPartNumber: sku.skuPartNumber,
          servicePlanNames: [...sku.servicePlanNames],
          firstSeenAt: takenAt,
        },
      });
    }
    const units: PrepaidUnits = {
      enabled: sku.prepaidUnits.enabled,
      warning: sku.prepaidUnits.warning,
      suspended: sku.prepaidUnits.suspended,
      lockedOut: sku.prepaidUnits.lockedOut ?? 0,
    };
    const before = catalog?.entitlements.get(sku.skuId);
    if (!before || before.capabilityStatus !== sku.capabilityStatus || !sameUnits(before.prepaidUnits, units)) {
      catalogEvents.push({
        type: 'EntitlementObserved',
        data: {
          profileId,
          skuId: sku.skuId,
          skuPartNumber: kind.skuPartNumber,
          prepaidUnits: units,
          capabilityStatus: sku.capabilityStatus,
          observedAt: takenAt,
        },
      });
    }
  }

  const licensees: StreamChanges<LicenseeEvent>[] = [];
  const counts = { assigned: 0, changed: 0, removed: 0, subscriptions: 0, licensedUsers: 0 };
  // Only needed to find who lost every license; a first download has no one to compare with.
  const seen = current && current.users.size > 0 ? new Set<string>() : null;
  const kindOf = skuKinds(scope);
  for (const user of command.licensedUsers) {
    seen?.add(user.id);
    const held = holdings(user, kindOf);
    if (held.size > 0) counts.licensedUsers += 1;
    counts.subscriptions += held.size;
    const before = current?.users.get(user.id);
    const events = diffUser(profileId, takenAt, user, held, before, counts);
    if (events.length > 0) licensees.push(withIds(streamOf(profileId, user.id), before?.revision ?? -1, events));
  }
  for (const [userId, before] of current?.users ?? []) {
    if (seen!.has(userId) || before.licenses.size === 0) continue;
    const reason = command.allUserIds.has(userId) ? 'unassigned' : 'user-deleted';
    const events: LicenseeEvent[] = [...before.licenses.values()].map((l) => ({
      type: 'LicenseRemoved',
      data: { profileId, userId, skuId: l.skuId, skuPartNumber: l.skuPartNumber, reason, removedAt: takenAt },
    }));
    counts.removed += events.length;
    licensees.push(withIds(streamOf(profileId, userId), before.revision, events));
  }

  const catalogRevision = catalog?.revision ?? -1;
  const summary = {
    type: 'SubscriptionSnapshotRecorded' as const,
    data: {
      profileId,
      runId: command.runId,
      takenAt,
      counts: {
        users: command.allUserIds.size,
        licensedUsers: counts.licensedUsers,
        subscriptions: counts.subscriptions,
        assigned: counts.assigned,
        changed: counts.changed,
        removed: counts.removed,
        modelsCreated,
        unrecognized,
        outOfScopeSkus: command.skus.length - scope.size,
      },
    },
  };
  return { licensees, catalog: withIds(`catalog-${profileId}`, catalogRevision, catalogEvents), summary };
}

interface SkuScope {
  readonly skuPartNumber: string;
  readonly entry: ReturnType<typeof findCatalogEntry>;
}

/** In scope: a SKU the catalog knows, or one Dynamics/Power Platform by name or plans. Office is ignored. */
function classifySkus(skus: readonly SnapshotSku[]): Map<string, SkuScope> {
  const scope = new Map<string, SkuScope>();
  for (const sku of skus) {
    const entry = findCatalogEntry({ skuId: sku.skuId, skuPartNumber: sku.skuPartNumber });
    if (
      entry ||
      isDynamicsOrPowerPlatform({
        skuId: sku.skuId,
        skuPartNumber: sku.skuPartNumber,
        servicePlanNames: sku.servicePlanNames,
      })
    ) {
      scope.set(sku.skuId.toLowerCase(), { skuPartNumber: entry?.skuPartNumber ?? sku.skuPartNumber, entry });
    }
  }
  return scope;
}

interface Holding {
  readonly skuId: string;
  readonly skuPartNumber: string;
  readonly recognized: boolean;
  readonly assignedVia: AssignedVia;
  readonly groupIds: string[];
  readonly assignedAt: string | null;
}

/**
 * The user's in-scope licenses and how each is held. assignedLicenses lists a SKU once
 * however it is held; licenseAssignmentStates has one entry per source (assignedByGroup
 * null = direct). A group assignment in an error state grants nothing; with no state at
 * all the license is direct.
 */
function holdings(user: SnapshotUser, kindOf: (skuId: string) => SkuScope | undefined): Map<string, Holding> {
  const out = new Map<string, Holding>();
  for (const rawSkuId of user.skuIds) {
    const skuId = rawSkuId.toLowerCase();
    const kind = kindOf(skuId);
    if (!kind) continue;
    // One pass over the user's states (this runs for every licence of every user of the tenant).
    let states = 0;
    let direct = false;
    let groups: string[] | null = null;
    let earliest: string | null = null;
    for (const s of user.states) {
      if (s.skuId.toLowerCase() !== skuId) continue;
      states += 1;
      if (s.assignedByGroup === null) direct = true;
      else if (s.state === 'Active' || s.state === 'ActiveWithError')
        (groups ??= []).push(s.assignedByGroup.toLowerCase());
      const date = s.lastUpdatedDateTime;
      if (date && (earliest === null || date < earliest)) earliest = date;
    }
    if (states === 0) direct = true;
    const groupIds = groups === null ? [] : [...new Set(groups.sort())];
    out.set(skuId, {
      skuId,
      skuPartNumber: kind.skuPartNumber,
      recognized: kind.entry !== undefined,
      assignedVia:
        direct && groupIds.length > 0 ? 'both' : direct ? 'direct' : groupIds.length > 0 ? 'group' : 'direct',
      groupIds,
      assignedAt: earliest,
    });
  }
  return out;
}

/** The scope of each SKU id, with what the catalog says of ids missing from subscribedSkus, looked up once per id. */
function skuKinds(scope: ReadonlyMap<string, SkuScope>): (skuId: string) => SkuScope | undefined {
  const unknown = new Map<string, SkuScope | undefined>();
  return (skuId) => {
    const kind = scope.get(skuId);
    if (kind) return kind;
    if (!unknown.has(skuId)) unknown.set(skuId, unknownToTenant(skuId));
    return unknown.get(skuId);
  };
}

/** A SKU assigned but missing from subscribedSkus: only the catalog can vouch for it. */
function unknownToTenant(skuId: string): SkuScope | undefined {
  const entry = findCatalogEntry({ skuId });
  return entry ? { skuPartNumber: entry.skuPartNumber, entry } : undefined;
}

/** `a.join(',') === b.join(',')`, without building the strings when the lists are equal item by item. */
function sameJoined(a: readonly string[], b: readonly string[]): boolean {
  if (a.length === b.length && a.every((x, i) => x === b[i])) return true;
  return a.join(',') === b.join(',');
}

function diffUser(
  profileId: string,
  takenAt: string,
  user: SnapshotUser,
  held: Map<string, Holding>,
  before: Licensee | undefined,
  counts: { assigned: number; changed: number; removed: number },
): LicenseeEvent[] {
  const events: LicenseeEvent[] = [];
  const userId = user.id;
  if (before && before.licenses.size + held.size > 0) {
    if (
      before.userPrincipalName !== user.userPrincipalName ||
      before.accountEnabled !== user.accountEnabled ||
      before.userType !== user.userType
    ) {
      events.push({
        type: 'LicenseeDetailsChanged',
        data: {
          profileId,
          userId,
          userPrincipalName: user.userPrincipalName,
          accountEnabled: user.accountEnabled,
          userType: user.userType,
          changedAt: takenAt,
        },
      });
    }
  }
  for (const h of held.values()) {
    const was = before?.licenses.get(h.skuId);
    if (!was) {
      counts.assigned += 1;
      events.push({
        type: 'LicenseAssigned',
        data: {
          profileId,
          userId,
          userPrincipalName: user.userPrincipalName,
          skuId: h.skuId,
          skuPartNumber: h.skuPartNumber,
          assignedVia: h.assignedVia,
          groupIds: h.groupIds,
          assignedAt: h.assignedAt ?? takenAt,
          accountEnabled: user.accountEnabled,
          userType: user.userType,
          recognized: h.recognized,
        },
      });
    } else if (was.assignedVia !== h.assignedVia || !sameJoined(was.groupIds, h.groupIds)) {
      counts.changed += 1;
      events.push({
        type: 'LicenseAssignmentChanged',
        data: {
          profileId,
          userId,
          skuId: h.skuId,
          skuPartNumber: h.skuPartNumber,
          assignedVia: h.assignedVia,
          groupIds: h.groupIds,
          previousAssignedVia: was.assignedVia,
          previousGroupIds: [...was.groupIds],
          changedAt: takenAt,
        },
      });
    }
  }
  for (const was of before?.licenses.values() ?? []) {
    if (held.has(was.skuId)) continue;
    counts.removed += 1;
    events.push({
      type: 'LicenseRemoved',
      data: {
        profileId,
        userId,
        skuId: was.skuId,
        skuPartNumber: was.skuPartNumber,
        reason: 'unassigned',
        removedAt: takenAt,
      },
    });
  }
  return events;
}

/**
 * The id names the stream, the revision the event will take, its type and its subject
 * (SKU or app), never a timestamp: the same fact decided twice gets the same id, while a
 * different fact at the same revision gets another id and so a concurrency conflict.
 */
export function withIds<E extends { type: string; data: unknown }>(
  streamId: string,
  revision: number,
  events: readonly E[],
): StreamChanges<E> {
  return {
    streamId,
    expectedRevision: revision < 0 ? 'no-stream' : revision,
    events: events.map((event, i) => ({
      id: deterministicId(streamId, String(revision + 1 + i), event.type, subjectOf(event.data)),
      event,
    })),
  };
}

function subjectOf(data: unknown): string {
  const d = data as { skuId?: string; app?: string; ruleId?: string };
  return d.skuId ?? d.app ?? d.ruleId ?? '';
}

const streamOf = (profileId: string, userId: string) => `licensee-${profileId}.${userId}`;

const sameUnits = (a: PrepaidUnits, b: PrepaidUnits) =>
  a.enabled === b.enabled && a.warning === b.warning && a.suspended === b.suspended && a.lockedOut === b.lockedOut;
