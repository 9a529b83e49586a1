import type { SkuScope } from '../catalog/sku-scope';
import type { AssignedVia, LicenseeEvent, RemovalReason } from './licensee.events';
import type { License, LicenseeState } from './licensee.state';

/** A Graph user as the download reads it: who they are and every license Graph says they hold. */
export interface GraphUserLicenses {
  readonly id: string;
  readonly userPrincipalName: string;
  readonly accountEnabled: boolean | null;
  readonly userType: string | null;
  /** `assignedLicenses`: each SKU once, however it is held. */
  readonly skuIds: readonly string[];
  /** `licenseAssignmentStates`: one entry per source (assignedByGroup null = direct). */
  readonly states: readonly {
    readonly skuId: string;
    readonly assignedByGroup: string | null;
    readonly state: string;
    readonly lastUpdatedDateTime: string | null;
  }[];
}

/** One in-scope license as Graph shows it. */
export type ObservedLicense = Omit<License, 'assignedAt'> & { readonly assignedAt: string | null };

/** What one snapshot says about one user: their directory details and in-scope licenses, or that they are gone. */
export type Observation =
  | {
      readonly present: true;
      readonly userPrincipalName: string;
      readonly accountEnabled: boolean | null;
      readonly userType: string | null;
      readonly licenses: readonly ObservedLicense[];
    }
  /** Not in this snapshot: every license they held is gone, because of `reason`. */
  | { readonly present: false; readonly reason: RemovalReason };

export interface RecordSubscriptionSnapshot {
  readonly type: 'RecordSubscriptionSnapshot';
  readonly data: {
    readonly profileId: string;
    readonly userId: string;
    readonly takenAt: string;
    readonly observation: Observation;
  };
}

/**
 * The user's in-scope licenses and how each is held. A group assignment in an error state
 * grants nothing; with no state at all the license is direct. The earliest state time is
 * when the license was assigned.
 */
export function observe(user: GraphUserLicenses, scope: SkuScope): Observation {
  const licenses: ObservedLicense[] = [];
  for (const rawSkuId of user.skuIds) {
    const skuId = rawSkuId.toLowerCase();
    const kind = scope.of(skuId);
    if (!kind) continue;
    // One pass over the user's states: this runs for every license of every user of the tenant.
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
    const groupIds = groups === null ? NO_GROUPS : [...new Set(groups.sort())];
    const assignedVia: AssignedVia =
      direct && groupIds.length > 0 ? 'both' : groupIds.length > 0 && !direct ? 'group' : 'direct';
    licenses.push({
      skuId,
      skuPartNumber: kind.skuPartNumber,
      recognized: kind.entry !== undefined,
      assignedVia,
      groupIds,
      assignedAt: earliest,
    });
  }
  return {
    present: true,
    userPrincipalName: user.userPrincipalName,
    accountEnabled: user.accountEnabled,
    userType: user.userType,
    licenses,
  };
}

const NO_GROUPS: readonly string[] = Object.freeze([]);

/**
 * RecordSubscriptionSnapshot for one user: the difference between what the snapshot saw and
 * what the ledger holds, as facts. Nothing is recorded for a user who holds nothing in scope
 * and never did.
 */
export function decideSubscriptionSnapshot(command: RecordSubscriptionSnapshot, state: LicenseeState): LicenseeEvent[] {
  const { profileId, userId, takenAt, observation } = command.data;
  const events: LicenseeEvent[] = [];
  if (!observation.present) {
    for (const was of state.licenses.values()) {
      events.push({
        type: 'LicenseRemoved',
        data: {
          profileId,
          userId,
          skuId: was.skuId,
          skuPartNumber: was.skuPartNumber,
          reason: observation.reason,
          removedAt: takenAt,
        },
      });
    }
    return events;
  }
  const { userPrincipalName, accountEnabled, userType, licenses } = observation;
  const known = state.licenses.size > 0;
  if (
    known &&
    (state.userPrincipalName !== userPrincipalName ||
      state.accountEnabled !== accountEnabled ||
      state.userType !== userType)
  ) {
    events.push({
      type: 'LicenseeDetailsChanged',
      data: { profileId, userId, userPrincipalName, accountEnabled, userType, changedAt: takenAt },
    });
  }
  for (const seen of licenses) {
    const was = state.licenses.get(seen.skuId);
    if (!was) {
      events.push({
        type: 'LicenseAssigned',
        data: {
          profileId,
          userId,
          userPrincipalName,
          skuId: seen.skuId,
          skuPartNumber: seen.skuPartNumber,
          assignedVia: seen.assignedVia,
          groupIds: [...seen.groupIds],
          assignedAt: seen.assignedAt ?? takenAt,
          accountEnabled,
          userType,
          recognized: seen.recognized,
        },
      });
    } else if (was.assignedVia !== seen.assignedVia || !sameList(was.groupIds, seen.groupIds)) {
      events.push({
        type: 'LicenseAssignmentChanged',
        data: {
          profileId,
          userId,
          skuId: seen.skuId,
          skuPartNumber: seen.skuPartNumber,
          assignedVia: seen.assignedVia,
          groupIds: [...seen.groupIds],
          previousAssignedVia: was.assignedVia,
          previousGroupIds: [...was.groupIds],
          changedAt: takenAt,
        },
      });
    }
  }
  if (state.licenses.size > 0) {
    for (const was of state.licenses.values()) {
      if (licenses.some((l) => l.skuId === was.skuId)) continue;
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
  }
  return events;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
