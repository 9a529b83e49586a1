import { notFound } from '../../shared/domain-error';
import { exclusionRuleFor } from '../conclusions/exclusions';
import type { ExclusionRule } from '../profile/profile.decider';
import type { LicenseeStreamEvent, License, LicenseeState, Reclamation, ReclaimRequester } from './licensee.state';
import type { ReclamationTrigger } from './reclamation.events';

/** Which license: by its SKU id, or by its part number as the catalog or Graph spell it. */
export type SkuReference = { readonly skuId: string } | { readonly skuPartNumber: string };

export interface ReclaimSubscription {
  readonly type: 'ReclaimSubscription';
  readonly data: {
    readonly profileId: string;
    readonly userId: string;
    readonly reclamationId: string;
    readonly sku: SkuReference;
    readonly trigger: ReclamationTrigger;
    readonly reason: string;
    /** The profile's exclusion rules: an excluded subscription is never reclaimed. */
    readonly exclusionRules: readonly ExclusionRule[];
    /** Display names of the groups that assign the license, where known (ids name them otherwise). */
    readonly groupNames: ReadonlyMap<string, string | null>;
    readonly at: string;
    /** The process that will call Graph (recorded, so others can tell a live call from a crashed one). */
    readonly requester?: ReclaimRequester;
  };
}

export interface RecordReclaimOutcome {
  readonly type: 'RecordReclaimOutcome';
  readonly data: {
    readonly reclamationId: string;
    readonly outcome: 'reclaimed' | 'failed';
    readonly cause?: string;
    readonly message?: string;
    readonly at: string;
  };
}

/** The license a reference names among those the user holds. */
export function licenseOf(state: LicenseeState, sku: SkuReference): License | undefined {
  if ('skuId' in sku) return state.licenses.get(sku.skuId.toLowerCase());
  const partNumber = sku.skuPartNumber.toUpperCase();
  for (const license of state.licenses.values()) if (license.skuPartNumber.toUpperCase() === partNumber) return license;
  return undefined;
}

/** The reclamation of this license whose Graph call is under way (or was cut short), if any. */
export function reclaimInFlight(state: LicenseeState, skuId: string): Reclamation | undefined {
  for (const r of state.reclamations.values()) if (r.skuId === skuId && r.status === 'requested') return r;
  return undefined;
}

/** A reclamation that has its answer: asking again returns it. */
export const isSettled = (r: Reclamation): boolean =>
  r.status === 'reclaimed' || r.status === 'blocked' || r.status === 'failed';

/**
 * ReclaimSubscription: `blocked` when an exclusion rule covers the subscription or any group
 * assigns it (removing the direct copy frees nothing; the groups are named so an admin can act
 * on membership), otherwise `ReclamationRequested`, recorded before Graph is called so that a
 * retry never calls it twice. A reclamation id decides once: asking again changes nothing.
 * While another reclamation of the same license is `requested` nothing is recorded either:
 * one Graph call per subscription at a time (the shell waits for that one's outcome).
 * A dry run is this same decision, not appended.
 */
export function decideReclaim(command: ReclaimSubscription, state: LicenseeState): LicenseeStreamEvent[] {
  const { profileId, userId, reclamationId, sku, trigger, reason, exclusionRules, groupNames, at, requester } =
    command.data;
  const existing = state.reclamations.get(reclamationId);
  // Asked before: the first decision stands. A workflow candidate (open, awaiting the user, or a
  // rejected keep request) is the one case where the request is the next step, not a repeat.
  if (
    existing &&
    existing.status !== 'open' &&
    existing.status !== 'awaiting-user' &&
    !(existing.status === 'awaiting-approval' && existing.keepRejected)
  )
    return [];
  const license = existing ? state.licenses.get(existing.skuId) : licenseOf(state, sku);
  if (!license) throw notFound('subscription', `${describe(sku)} of user ${userId}`);
  if (reclaimInFlight(state, license.skuId)) return [];
  const subject = { profileId, userId, reclamationId, skuId: license.skuId, skuPartNumber: license.skuPartNumber };
  const excludedBy = exclusionRuleFor(exclusionRules, state, license);
  if (excludedBy) {
    const rule = `${excludedBy.type} rule ${excludedBy.value}${excludedBy.reason ? `: ${excludedBy.reason}` : ''}`;
    return [
      {
        type: 'ReclamationBlocked',
        data: {
          ...subject,
          reason: 'excluded',
          detail: `the subscription is excluded (${rule}); remove the exclusion rule to reclaim it`,
          groups: [],
          blockedAt: at,
        },
      },
    ];
  }
  if (license.assignedVia !== 'direct') {
    const groups = license.groupIds.map((id) => ({ id, displayName: groupNames.get(id) ?? null }));
    const names = groups.map((g) => (g.displayName ? `"${g.displayName}" (${g.id})` : g.id)).join(', ');
    return [
      {
        type: 'ReclamationBlocked',
        data: {
          ...subject,
          reason: 'group-assigned',
          detail: `assigned through group ${names}: removing a direct copy frees nothing; remove the user from the group or the license from the group`,
          groups,
          blockedAt: at,
        },
      },
    ];
  }
  return [
    {
      type: 'ReclamationRequested',
      data: { ...subject, trigger, reason, requestedAt: at, ...(requester ? { requester } : {}) },
    },
  ];
}

/** The outcome of Graph assignLicense for a requested reclamation; anything else is already settled. */
export function decideReclaimOutcome(command: RecordReclaimOutcome, state: LicenseeState): LicenseeStreamEvent[] {
  const { reclamationId, outcome, cause, message, at } = command.data;
  const requested = state.reclamations.get(reclamationId);
  if (requested?.status !== 'requested') return [];
  const subject = {
    profileId: state.profileId,
    userId: state.userId,
    reclamationId,
    skuId: requested.skuId,
    skuPartNumber: requested.skuPartNumber,
  };
  if (outcome === 'reclaimed') {
    return [{ type: 'SubscriptionReclaimed', data: { ...subject, reason: requested.reason, reclaimedAt: at } }];
  }
  return [
    {
      type: 'ReclamationFailed',
      data: { ...subject, cause: cause ?? 'unknown', message: message ?? 'the reclaim failed', failedAt: at },
    },
  ];
}

const describe = (sku: SkuReference): string => ('skuId' in sku ? sku.skuId : sku.skuPartNumber);
