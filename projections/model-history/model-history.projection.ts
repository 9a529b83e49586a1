import type { LicenseeEvent } from '../../src/domain/licensee/licensee.events';
import type { TenantEvent } from '../../src/domain/tenant/tenant.events';
import { defineProjection, type ProjectedEvent } from '../projection';

/**
 * Where in the log each software model's story is: per profile and skuPartNumber, the
 * global positions of the events about it (model created, entitlements, rules, prices,
 * and every assignment, change, removal and reclaim of it), oldest first. The history
 * endpoint reads those events back by position.
 */
export type ModelHistoryReadModel = Map<string, Map<string, bigint[]>>;

const note = (
  state: ModelHistoryReadModel,
  event: ProjectedEvent<string, { profileId: string; skuPartNumber: string }>,
): ModelHistoryReadModel => {
  let bySku = state.get(event.data.profileId);
  if (!bySku) state.set(event.data.profileId, (bySku = new Map()));
  const key = event.data.skuPartNumber.toUpperCase();
  const positions = bySku.get(key);
  if (positions) positions.push(event.position);
  else bySku.set(key, [event.position]);
  return state;
};

export const modelHistoryProjection = defineProjection<ModelHistoryReadModel, LicenseeEvent | TenantEvent>({
  name: 'model-history',
  version: 1,
  initialState: () => new Map(),
  handlers: {
    SoftwareModelCreated: note,
    SubscriptionIdentifierUnrecognized: note,
    EntitlementObserved: note,
    EntitlementEntered: note,
    EntitlementEntryRemoved: note,
    ReclamationRuleCreated: note,
    ReclamationRuleChanged: note,
    ListPriceOverridden: note,
    ListPriceOverrideRemoved: note,
    LicenseAssigned: note,
    LicenseAssignmentChanged: note,
    LicenseRemoved: note,
    SubscriptionReclaimed: note,
  },
});
