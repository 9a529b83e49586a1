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

const NO_ACTIVITY: LastActivity = Object.freeze({
  sales: null,
  customerService: null,
  general: null,
  common: null,
  access: null,
  other: null,
  beyondTeamMembers: null,
});
const NO_RECLAMATIONS: ReadonlyMap<string, Reclamation> = new Map();

export const initialLicensee = (): LicenseeState => ({
  profileId: '',
  userId: '',
  userPrincipalName: '',
  accountEnabled: null,
  userType: null,
  licenses: new Map(),
  lastActivity: NO_ACTIVITY,
  reclamations: NO_RECLAMATIONS,
});

const withLicense = (state: LicenseeState, license: License): LicenseeState => {
  const licenses = new Map(state.licenses);
  licenses.set(license.skuId, license);
  return { ...state, licenses };
};

const withoutLicense = (state: LicenseeState, skuId: string): LicenseeState => {
  if (!state.licenses.has(skuId)) return state;
  const licenses = new Map(state.licenses);
  licenses.delete(skuId);
  return { ...state, licenses };
};

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

const withReclamation = (state: LicenseeState, reclamation: Reclamation): LicenseeState => {
  const reclamations = new Map(state.reclamations);
  reclamations.set(reclamation.id, reclamation);
  return { ...state, reclamations };
};

/** Changes a known reclamation, or starts one that this stream first hears of at this step. */
const step = (
  state: LicenseeState,
  data: { reclamationId: string; skuId: string; skuPartNumber: string },
  change: Partial<Reclamation>,
): LicenseeState => {
  const current =
    state.reclamations.get(data.reclamationId) ??
    freshReclamation(data.reclamationId, data.skuId, data.skuPartNumber, 'open');
  return withReclamation(state, { ...current, ...change });
};

/** Adds a reclamation step only to a reclamation already known (a stray step changes nothing). */
const known = (state: LicenseeState, reclamationId: string, change: Partial<Reclamation>): LicenseeState => {
  const current = state.reclamations.get(reclamationId);
  return current ? withReclamation(state, { ...current, ...change }) : state;
};

export function evolveLicensee(state: LicenseeState, event: LicenseeStreamEvent): LicenseeState {
  const s =
    state.userId === event.data.userId
      ? state
      : { ...state, profileId: event.data.profileId, userId: event.data.userId };
  switch (event.type) {
    case 'LicenseAssigned': {
      const d = event.data;
      return withLicense(
        { ...s, userPrincipalName: d.userPrincipalName, accountEnabled: d.accountEnabled, userType: d.userType },
        {
          skuId: d.skuId,
          skuPartNumber: d.skuPartNumber,
          assignedVia: d.assignedVia,
          groupIds: d.groupIds,
          assignedAt: d.assignedAt,
          recognized: d.recognized,
        },
      );
    }
    case 'LicenseAssignmentChanged': {
      const current = s.licenses.get(event.data.skuId);
      return current
        ? withLicense(s, { ...current, assignedVia: event.data.assignedVia, groupIds: event.data.groupIds })
        : s;
    }
    case 'LicenseRemoved':
      return withoutLicense(s, event.data.skuId);
    case 'LicenseeDetailsChanged':
      return {
        ...s,
        userPrincipalName: event.data.userPrincipalName,
        accountEnabled: event.data.accountEnabled,
        userType: event.data.userType,
      };
    case 'UserActivityRecorded': {
      const { app, lastActivityAt, beyondTeamMembers } = event.data;
      const last = s.lastActivity;
      const moves = last[app] === null || lastActivityAt > last[app];
      const movesBeyond =
        beyondTeamMembers && (last.beyondTeamMembers === null || lastActivityAt > last.beyondTeamMembers);
      if (!moves && !movesBeyond) return s;
      // Two objects per event, no temporary ones: a rebuild folds hundreds of thousands of these.
      const lastActivity: { -readonly [K in keyof LastActivity]: LastActivity[K] } = { ...last };
      if (moves) lastActivity[app] = lastActivityAt;
      if (movesBeyond) lastActivity.beyondTeamMembers = lastActivityAt;
      return { ...s, lastActivity };
    }
    case 'SubscriptionReclaimed':
      return withoutLicense(
        step(s, event.data, { status: 'reclaimed', detail: 'removed through Graph assignLicense' }),
        event.data.skuId,
      );
    case 'ReclamationOpened':
      return withReclamation(s, {
        ...freshReclamation(event.data.reclamationId, event.data.skuId, event.data.skuPartNumber, 'open'),
        openedAt: event.data.openedAt,
      });
    case 'ReclamationUserNotified':
      return known(s, event.data.reclamationId, { status: 'awaiting-user', graceEndsAt: event.data.graceEndsAt });
    case 'ReclamationNotificationFailed':
      return known(s, event.data.reclamationId, { notificationAttempts: event.data.attempt });
    case 'ReclamationKeepRequested':
      return known(s, event.data.reclamationId, { status: 'awaiting-approval' });
    case 'ReclamationKeepApproved':
      return known(s, event.data.reclamationId, {
        status: 'cancelled',
        detail: 'kept: the administrator approved the request',
      });
    case 'ReclamationKeepRejected':
      return known(s, event.data.reclamationId, { keepRejected: true });
    case 'ReclamationCancelled':
      return known(s, event.data.reclamationId, { status: 'cancelled', detail: event.data.detail });
    case 'ReclamationRequested':
      return step(s, event.data, {
        status: 'requested',
        reason: event.data.reason,
        requestedAt: event.data.requestedAt,
        requester: event.data.requester ?? null,
      });
    case 'ReclamationBlocked':
      return step(s, event.data, { status: 'blocked', detail: event.data.detail });
    case 'ReclamationFailed':
      return step(s, event.data, { status: 'failed', detail: event.data.message });
    default:
      return assertNever(event);
  }
}
