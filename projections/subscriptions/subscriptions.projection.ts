import type { LicenseeEvent } from '../../src/domain/licensee/licensee.events';
import {
  applyLicenseeEvent,
  newLicenseeDraft,
  type LicenseeDraft,
  type LicenseeState,
  type LicenseeStreamEvent,
  type TenantLicensees,
} from '../../src/domain/licensee/licensee.state';
import type { ReclamationEvent } from '../../src/domain/licensee/reclamation.events';
import { licenseeOf } from '../../src/domain/stream-names';
import { defineProjection, type Handler } from '../projection';

/**
 * One user as this read model holds it: the licensee decider's state, changed in place by the
 * decider's own rules (`applyLicenseeEvent`), and the revision of the user's stream (the
 * expected revision of the next append).
 */
export interface LicenseeRecord extends LicenseeDraft {
  revision: number;
}

/** One profile's licensees. */
export interface TenantSubscriptions extends TenantLicensees {
  readonly users: Map<string, LicenseeRecord>;
}

/** Current software subscriptions, last activity and reclamations per user, for every profile. */
export type SubscriptionsReadModel = Map<string, TenantSubscriptions>;

const fold: Handler<SubscriptionsReadModel, LicenseeStreamEvent> = (state, event) => {
  const { profileId, userId } = event.data;
  let tenant = state.get(profileId);
  if (!tenant) state.set(profileId, (tenant = { users: new Map() }));
  let user = tenant.users.get(userId);
  if (!user) tenant.users.set(userId, (user = { ...newLicenseeDraft(), revision: -1 }));
  applyLicenseeEvent(user, event as unknown as LicenseeStreamEvent);
  user.revision = event.revision;
  return state;
};

/** The state of one licensee stream as this read model has folded it (the bulk write path's cache). */
export function licenseeStreamState(
  model: SubscriptionsReadModel,
  streamId: string,
): { state: LicenseeState; revision: number } | undefined {
  const names = licenseeOf(streamId);
  const user = names ? model.get(names.profileId)?.users.get(names.userId) : undefined;
  // The decider's evolve copies what it changes: the record itself is never changed by the write path.
  return user ? { state: user, revision: user.revision } : undefined;
}

const EVENT_TYPES: readonly (LicenseeEvent | ReclamationEvent)['type'][] = [
  'LicenseAssigned',
  'LicenseAssignmentChanged',
  'LicenseRemoved',
  'LicenseeDetailsChanged',
  'UserActivityRecorded',
  'SubscriptionReclaimed',
  'ReclamationOpened',
  'ReclamationUserNotified',
  'ReclamationNotificationFailed',
  'ReclamationKeepRequested',
  'ReclamationKeepApproved',
  'ReclamationKeepRejected',
  'ReclamationCancelled',
  'ReclamationRequested',
  'ReclamationBlocked',
  'ReclamationFailed',
];

export const subscriptionsProjection = defineProjection<SubscriptionsReadModel, LicenseeStreamEvent>({
  name: 'subscriptions',
  version: 4,
  initialState: () => new Map(),
  // Each record is reachable from its tenant's map only; shared containers are empty ones (LicenseeDraft).
  saveInParts: true,
  handlers: Object.fromEntries(EVENT_TYPES.map((type) => [type, fold])),
});
