import {
  evolveTenantCatalog,
  initialTenantCatalog,
  type TenantCatalogState,
} from '../../src/domain/tenant/tenant-catalog.state';
import type { TenantEvent } from '../../src/domain/tenant/tenant.events';
import { defineProjection, type Handler } from '../projection';

/** Every profile's catalog, folded by the tenant catalog decider's own evolve. */
export interface TenantCatalogReadModel {
  readonly catalogs: Map<string, TenantCatalogState>;
  /** Revision of each profile's catalog stream: the expected revision of the next append. */
  readonly revisions: Map<string, number>;
}

const fold: Handler<TenantCatalogReadModel, TenantEvent> = (model, event) => {
  const profileId = event.data.profileId;
  model.catalogs.set(
    profileId,
    evolveTenantCatalog(model.catalogs.get(profileId) ?? initialTenantCatalog(), event as unknown as TenantEvent),
  );
  model.revisions.set(profileId, event.revision);
  return model;
};

/** The state of `catalog-{profileId}` as this read model has folded it. */
export function catalogStreamState(
  model: TenantCatalogReadModel,
  profileId: string,
): { state: TenantCatalogState; revision: number } | undefined {
  const state = model.catalogs.get(profileId);
  return state ? { state, revision: model.revisions.get(profileId)! } : undefined;
}

const EVENT_TYPES: readonly TenantEvent['type'][] = [
  'SoftwareModelCreated',
  'SubscriptionIdentifierUnrecognized',
  'EntitlementObserved',
  'EntitlementEntered',
  'EntitlementEntryRemoved',
  'ReclamationRuleCreated',
  'ReclamationRuleChanged',
  'ListPriceOverridden',
  'ListPriceOverrideRemoved',
  'SubscriptionSnapshotRecorded',
  'ActivityPullRecorded',
];

/** What each tenant holds: software models, unrecognised identifiers, entitlements, rules, prices. */
export const tenantCatalogProjection = defineProjection<TenantCatalogReadModel, TenantEvent>({
  name: 'tenant-catalog',
  version: 3,
  initialState: () => ({ catalogs: new Map(), revisions: new Map() }),
  handlers: Object.fromEntries(EVENT_TYPES.map((type) => [type, fold])),
});
