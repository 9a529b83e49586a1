import type { ActivityApp, AssignedVia, LicenseeEvent } from '../../src/domain/licensee/licensee.events';
import type { ReclamationEvent } from '../../src/domain/licensee/reclamation.events';
import { defineProjection, type ProjectedEvent } from '../projection';

export interface License {
  readonly skuId: string;
  readonly skuPartNumber: string;
  readonly assignedVia: AssignedVia;
  readonly groupIds: readonly string[];
  readonly assignedAt: string;
  readonly recognized: boolean;
}

export interface Licensee {
  readonly userId: string;
  userPrincipalName: string;
  accountEnabled: boolean | null;
  userType: string | null;
  /** Revision of the user's licensee stream: the expected revision for the next append. */
  revision: number;
  readonly licenses: Map<string, License>;
  readonly lastActivity: Record<ActivityApp, string | null>;
}

export interface TenantSubscriptions {
  readonly users: Map<string, Licensee>;
}

/** Current software subscriptions and last activity per user, for every profile. */
export type SubscriptionsReadModel = Map<string, TenantSubscriptions>;

export function tenantOf(state: SubscriptionsReadModel, profileId: string): TenantSubscriptions {
  let tenant = state.get(profileId);
  if (!tenant) {
    tenant = { users: new Map() };
    state.set(profileId, tenant);
  }
  return tenant;
}

/**
 * A tenant has a few dozen SKUs but hundreds of thousands of licences: each licence would
 * otherwise keep its own copy of the same SKU id, part number and assignment kind from its
 * event's JSON. Sharing one string per value keeps the read model (and the collector's work
 * folding a million events) smaller; the pool stops growing at POOL_LIMIT distinct values.
 */
const pool = new Map<string, string>();
const POOL_LIMIT = 10_000;
function shared(value: string): string {
  const known = pool.get(value);
  if (known !== undefined) return known;
  if (pool.size < POOL_LIMIT) pool.set(value, value);
  return value;
}

function licensee(
  state: SubscriptionsReadModel,
  event: ProjectedEvent<string, { profileId: string; userId: string }>,
  upn?: string,
): Licensee {
  const users = tenantOf(state, event.data.profileId).users;
  let user = users.get(event.data.userId);
  if (!user) {
    user = {
      userId: event.data.userId,
      userPrincipalName: upn ?? '',
      accountEnabled: null,
      userType: null,
      revision: -1,
      licenses: new Map(),
      lastActivity: { sales: null, customerService: null, general: null },
    };
    users.set(event.data.userId, user);
  }
  user.revision = event.revision;
  return user;
}

/** Reclamation steps share the licensee stream: they change no license but move its revision. */
const revisionOnly = (
  state: SubscriptionsReadModel,
  event: ProjectedEvent<string, { profileId: string; userId: string }>,
) => {
  licensee(state, event);
  return state;
};

export const subscriptionsProjection = defineProjection<SubscriptionsReadModel, LicenseeEvent | ReclamationEvent>({
  name: 'subscriptions',
  version: 2,
  initialState: () => new Map(),
  handlers: {
    LicenseAssigned: (state, event) => {
      const d = event.data;
      const user = licensee(state, event, d.userPrincipalName);
      user.userPrincipalName = d.userPrincipalName;
      user.accountEnabled = d.accountEnabled ?? null;
      user.userType = d.userType ?? null;
      const skuId = shared(d.skuId);
      user.licenses.set(skuId, {
        skuId,
        skuPartNumber: shared(d.skuPartNumber),
        assignedVia: shared(d.assignedVia) as AssignedVia,
        groupIds: d.groupIds,
        assignedAt: d.assignedAt,
        recognized: d.recognized ?? true,
      });
      return state;
    },
    LicenseAssignmentChanged: (state, event) => {
      const d = event.data;
      const user = licensee(state, event);
      const current = user.licenses.get(d.skuId);
      if (current)
        user.licenses.set(current.skuId, {
          ...current,
          assignedVia: shared(d.assignedVia) as AssignedVia,
          groupIds: d.groupIds,
        });
      return state;
    },
    LicenseRemoved: (state, event) => {
      licensee(state, event).licenses.delete(event.data.skuId);
      return state;
    },
    SubscriptionReclaimed: (state, event) => {
      licensee(state, event).licenses.delete(event.data.skuId);
      return state;
    },
    LicenseeDetailsChanged: (state, event) => {
      const user = licensee(state, event);
      user.userPrincipalName = event.data.userPrincipalName;
      user.accountEnabled = event.data.accountEnabled;
      user.userType = event.data.userType;
      return state;
    },
    UserActivityRecorded: (state, event) => {
      const user = licensee(state, event);
      const previous = user.lastActivity[event.data.app];
      if (previous === null || event.data.lastActivityAt > previous)
        user.lastActivity[event.data.app] = event.data.lastActivityAt;
      return state;
    },
    ReclamationOpened: revisionOnly,
    ReclamationUserNotified: revisionOnly,
    ReclamationNotificationFailed: revisionOnly,
    ReclamationKeepRequested: revisionOnly,
    ReclamationKeepApproved: revisionOnly,
    ReclamationKeepRejected: revisionOnly,
    ReclamationCancelled: revisionOnly,
    ReclamationRequested: revisionOnly,
    ReclamationBlocked: revisionOnly,
    ReclamationFailed: revisionOnly,
  },
});
