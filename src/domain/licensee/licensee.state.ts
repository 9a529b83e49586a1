import { assertNever } from '../decider';
import type { ActivityApp, AssignedVia, LicenseeEvent } from './licensee.events';
import type { ReclamationEvent } from './reclamation.events';

/** Everything on a licensee stream: licenses, activity, and the reclamation steps about them. */
export type LicenseeStreamEvent = LicenseeEvent | ReclamationEvent;

/** One software subscription: a user holding one SKU. */
export interface License {
  readonly skuId: string;
  readonly skuPartNumber: string;
  readonly assignedVia: AssignedVia;
  readonly groupIds: readonly string[];
  readonly assignedAt: string;
  /** Whether the catalog knows the SKU. */
  readonly recognized: boolean;
}

/**
 * The latest activity seen of each kind (ISO time, across every environment), null when none
 * was ever seen; `beyondTeamMembers` is the latest that Team Members rights would not cover.
 */
export type LastActivity = Readonly<Record<ActivityApp | 'beyondTeamMembers', string | null>>;

export type ReclamationStatus =
  'open' | 'awaiting-user' | 'awaiting-approval' | 'requested' | 'reclaimed' | 'cancelled' | 'blocked' | 'failed';

export interface Reclamation {
  readonly id: string;
  readonly skuId: string;
  readonly skuPartNumber: string;
  readonly status: ReclamationStatus;
  readonly keepRejected: boolean;
  readonly graceEndsAt: string | null;
  readonly openedAt: string | null;
  readonly notificationAttempts: number;
  readonly detail: string;
  /** Why the reclaim was requested (the admin's words, or the rule's). */
  readonly reason: string;
  /** While `requested`: when, and which process is calling Graph (null for requests recorded before it was kept). */
  readonly requestedAt: string | null;
  readonly requester: ReclaimRequester | null;
}

/** The process that calls Graph for a requested reclamation: its instance id and the lease it held then. */
export interface ReclaimRequester {
  readonly instanceId: string;
  readonly leaseId: string;
}

/** A reclamation still under way: another one for the same license waits for it. */
export const ACTIVE_RECLAMATION: ReadonlySet<ReclamationStatus> = new Set([
  'open',
  'awaiting-user',
  'awaiting-approval',
  'requested',
]);

/** One user of a profile, folded from `licensee-{profileId}.{userId}`. */
export interface LicenseeState {
  readonly profileId: string;
  readonly userId: string;
  readonly userPrincipalName: string;
  readonly accountEnabled: boolean | null;
  readonly userType: string | null;
  /** Current licenses by lower-cased skuId. */
  readonly licenses: ReadonlyMap<string, License>;
  readonly lastActivity: LastActivity;
  readonly reclamations: ReadonlyMap<string, Reclamation>;
}

/** Every licensee of one profile, as the conclusions read them. */
export interface TenantLicensees {
  readonly users: ReadonlyMap<string, LicenseeState>;
}

/**
 * A licensee as a fold owns it and changes it in place: the `subscriptions` read model's copy
 * of each user (a rebuild applies a million events; a new object per event was most of its
 * garbage). Containers shared between drafts are only ever empty ones: the initial state's,
 * or their copies read back from a save (v8 serialisation keeps the sharing). So a write to
 * an empty container makes a fresh one first (see `own…`), and no licensee writes into another's.
 */
export interface LicenseeDraft {
  profileId: string;
  userId: string;
  userPrincipalName: string;
  accountEnabled: boolean | null;
  userType: string | null;
  licenses: ReadonlyMap<string, License>;
  lastActivity: LastActivity;
  reclamations: ReadonlyMap<string, Reclamation>;
}

const NO_ACTIVITY: LastActivity = Object.freeze({
  sales: null,
  customerService: null,
  general: null,
  common: null,
  access: null,
  other: null,
  beyondTeamMembers: null,
});
const NO_LICENSES: ReadonlyMap<string, License> = new Map();
const NO_RECLAMATIONS: ReadonlyMap<string, Reclamation> = new Map();

export const initialLicensee = (): LicenseeState => ({
  profileId: '',
  userId: '',
  userPrincipalName: '',
  accountEnabled: null,
  userType: null,
  licenses: NO_LICENSES,
  lastActivity: NO_ACTIVITY,
  reclamations: NO_RECLAMATIONS,
});

/** A licensee that `applyLicenseeEvent` may change in place. */
export const newLicenseeDraft = (): LicenseeDraft => initialLicensee();

/**
 * The one place each event's rule is written. `copy`: the draft is a fresh shallow copy of an
 * immutable state (evolveLicensee), so a container is copied before it is written; otherwise
 * the draft owns its non-empty containers (see LicenseeDraft).
 */
const ownLicenses = (d: LicenseeDraft, copy: boolean): Map<string, License> =>
  (d.licenses = copy || d.licenses.size === 0 ? new Map(d.licenses) : d.licenses) as Map<string, License>;

const ownReclamations = (d: LicenseeDraft, copy: boolean): Map<string, Reclamation> =>
  (d.reclamations = copy || d.reclamations.size === 0 ? new Map(d.reclamations) : d.reclamations) as Map<
    string,
    Reclamation
  >;

type MutableLastActivity = { -readonly [K in keyof LastActivity]: LastActivity[K] };

const noActivityYet = (last: LastActivity): boolean => {
  for (const kind in last) if (last[kind as keyof LastActivity] !== null) return false;
  return true;
};

const ownLastActivity = (d: LicenseeDraft, copy: boolean): MutableLastActivity =>
  (d.lastActivity = copy || noActivityYet(d.lastActivity) ? { ...d.lastActivity } : d.lastActivity);

const freshReclamation = (
  id: string,
  skuId: string,
  skuPartNumber: string,
  status: ReclamationStatus,
  detail = '',
): Reclamation => ({
  id,
  skuId,
  skuPartNumber,
  status,
  keepRejected: false,
  graceEndsAt: null,
  openedAt: null,
  notificationAttempts: 0,
  detail,
  reason: '',
  requestedAt: null,
  requester: null,
});

/** Changes a known reclamation, or starts one that this stream first hears of at this step. */
const step = (
  d: LicenseeDraft,
  copy: boolean,
  data: { reclamationId: string; skuId: string; skuPartNumber: string },
  change: Partial<Reclamation>,
): void => {
  const current =
    d.reclamations.get(data.reclamationId) ??
    freshReclamation(data.reclamationId, data.skuId, data.skuPartNumber, 'open');
  ownReclamations(d, copy).set(data.reclamationId, { ...current, ...change });
};

/** Adds a reclamation step only to a reclamation already known (a stray step changes nothing). */
const known = (d: LicenseeDraft, copy: boolean, reclamationId: string, change: Partial<Reclamation>): void => {
  const current = d.reclamations.get(reclamationId);
  if (current) ownReclamations(d, copy).set(reclamationId, { ...current, ...change });
};

function apply(d: LicenseeDraft, event: LicenseeStreamEvent, copy: boolean): void {
  if (d.userId !== event.data.userId) {
    d.profileId = event.data.profileId;
    d.userId = event.data.userId;
  }
  switch (event.type) {
    case 'LicenseAssigned': {
      const e = event.data;
      d.userPrincipalName = e.userPrincipalName;
      d.accountEnabled = e.accountEnabled;
      d.userType = e.userType;
      ownLicenses(d, copy).set(e.skuId, {
        skuId: e.skuId,
        skuPartNumber: e.skuPartNumber,
        assignedVia: e.assignedVia,
        groupIds: e.groupIds,
        assignedAt: e.assignedAt,
        recognized: e.recognized,
      });
      return;
    }
    case 'LicenseAssignmentChanged': {
      const current = d.licenses.get(event.data.skuId);
      if (current)
        ownLicenses(d, copy).set(current.skuId, {
          ...current,
          assignedVia: event.data.assignedVia,
          groupIds: event.data.groupIds,
        });
      return;
    }
    case 'LicenseRemoved':
      if (d.licenses.has(event.data.skuId)) ownLicenses(d, copy).delete(event.data.skuId);
      return;
    case 'LicenseeDetailsChanged':
      d.userPrincipalName = event.data.userPrincipalName;
      d.accountEnabled = event.data.accountEnabled;
      d.userType = event.data.userType;
      return;
    case 'UserActivityRecorded': {
      // Last activity only moves forward; beyondTeamMembers is the latest Team Members rights would not cover.
      const { app, lastActivityAt, beyondTeamMembers } = event.data;
      const last = d.lastActivity;
      const moves = last[app] === null || lastActivityAt > last[app];
      const movesBeyond =
        beyondTeamMembers && (last.beyondTeamMembers === null || lastActivityAt > last.beyondTeamMembers);
      if (!moves && !movesBeyond) return;
      const owned = ownLastActivity(d, copy);
      if (moves) owned[app] = lastActivityAt;
      if (movesBeyond) owned.beyondTeamMembers = lastActivityAt;
      return;
    }
    case 'SubscriptionReclaimed':
      step(d, copy, event.data, { status: 'reclaimed', detail: 'removed through Graph assignLicense' });
      if (d.licenses.has(event.data.skuId)) ownLicenses(d, copy).delete(event.data.skuId);
      return;
    case 'ReclamationOpened':
      ownReclamations(d, copy).set(event.data.reclamationId, {
        ...freshReclamation(event.data.reclamationId, event.data.skuId, event.data.skuPartNumber, 'open'),
        openedAt: event.data.openedAt,
      });
      return;
    case 'ReclamationUserNotified':
      return known(d, copy, event.data.reclamationId, {
        status: 'awaiting-user',
        graceEndsAt: event.data.graceEndsAt,
      });
    case 'ReclamationNotificationFailed':
      return known(d, copy, event.data.reclamationId, { notificationAttempts: event.data.attempt });
    case 'ReclamationKeepRequested':
      return known(d, copy, event.data.reclamationId, { status: 'awaiting-approval' });
    case 'ReclamationKeepApproved':
      return known(d, copy, event.data.reclamationId, {
        status: 'cancelled',
        detail: 'kept: the administrator approved the request',
      });
    case 'ReclamationKeepRejected':
      return known(d, copy, event.data.reclamationId, { keepRejected: true });
    case 'ReclamationCancelled':
      return known(d, copy, event.data.reclamationId, { status: 'cancelled', detail: event.data.detail });
    case 'ReclamationRequested':
      return step(d, copy, event.data, {
        status: 'requested',
        reason: event.data.reason,
        requestedAt: event.data.requestedAt,
        requester: event.data.requester ?? null,
      });
    case 'ReclamationBlocked':
      return step(d, copy, event.data, { status: 'blocked', detail: event.data.detail });
    case 'ReclamationFailed':
      return step(d, copy, event.data, { status: 'failed', detail: event.data.message });
    default:
      return assertNever(event);
  }
}

/** The decider's evolve: a new state, the one given unchanged (it may be a read model's). */
export function evolveLicensee(state: LicenseeState, event: LicenseeStreamEvent): LicenseeState {
  const draft: LicenseeDraft = { ...state };
  apply(draft, event, true);
  return draft;
}

/** The same rules, applied to a draft the caller owns (the read model's fold). */
export function applyLicenseeEvent(draft: LicenseeDraft, event: LicenseeStreamEvent): void {
  apply(draft, event, false);
}
