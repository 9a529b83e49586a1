import type { LicenseeEvent } from '../../src/domain/licensee/licensee.events';
import {
  evolveLicensee,
  initialLicensee,
  type LicenseeState,
  type LicenseeStreamEvent,
  type TenantLicensees,
} from '../../src/domain/licensee/licensee.state';
import type { ReclamationEvent } from '../../src/domain/licensee/reclamation.events';
import { licenseeOf } from '../../src/domain/stream-names';
import { defineProjection, type Handler } from '../projection';

/** One profile's licensees, each folded by the licensee decider's own evolve. */
export interface TenantSubscriptions extends TenantLicensees {
  readonly users: Map<string, LicenseeState>;
  /** Revision of each user's licensee stream: the expected revision of the next append. */
  readonly revisions: Map<string, number>;
}

/** Current software subscriptions, last activity and reclamations per user, for every profile. */
export type SubscriptionsReadModel = Map<string, TenantSubscriptions>;

const fold: Handler<SubscriptionsReadModel, LicenseeStreamEvent> = (state, event) => {
  const { profileId, userId } = event.data;
  let tenant = state.get(profileId);
  if (!tenant) state.set(profileId, (tenant = { users: new Map(), revisions: new Map() }));
  const previous = tenant.users.get(userId) ?? initialLicensee();
  tenant.users.set(userId, evolveLicensee(previous, event as unknown as LicenseeStreamEvent));
  tenant.revisions.set(userId, event.revision);
  return state;
};

/** The state of one licensee stream as this read model has folded it (the bulk write path's cache). */
export function licenseeStreamState(
  model: SubscriptionsReadModel,
  streamId: string,
): { state: LicenseeState; revision: number } | undefined {
  const names = licenseeOf(streamId);
  const tenant = names ? model.get(names.profileId) : undefined;
  const state = tenant?.users.get(names!.userId);
  return state ? { state, revision: tenant!.revisions.get(names!.userId)! } : undefined;
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
  version: 3,
  initialState: () => new Map(),
  handlers: Object.fromEntries(EVENT_TYPES.map((type) => [type, fold])),
});
