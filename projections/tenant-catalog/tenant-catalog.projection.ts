import type { ActivityNeeded, LicenseType } from '../../src/catalog/catalog.types';
import type { PrepaidUnits, PriceValue, TenantEvent } from '../../src/domain/tenant/tenant.events';
import { defineProjection } from '../projection';

export interface SoftwareModel {
  readonly skuId: string;
  readonly skuPartNumber: string;
  readonly name: string;
  readonly licenseType: LicenseType;
  readonly activityTracked: boolean;
  readonly activityNeeded: ActivityNeeded;
  readonly createdAt: string;
}

export interface Entitlement {
  readonly skuId: string;
  readonly skuPartNumber: string;
  readonly prepaidUnits: PrepaidUnits;
  readonly capabilityStatus: string;
  readonly observedAt: string;
}

/** Licenses owned, entered by hand; replaces Graph's enabled prepaid units for the SKU. */
export interface ManualEntitlement {
  readonly skuId: string;
  readonly skuPartNumber: string;
  readonly purchased: number;
  readonly source: string;
  readonly enteredAt: string;
}

export interface ReclamationRule {
  readonly id: string;
  readonly skuId: string;
  readonly skuPartNumber: string;
  readonly inactivityDays: number;
  readonly enabled: boolean;
  readonly notify: boolean;
  readonly graceDays: number;
}

export interface UnrecognizedIdentifier {
  readonly skuId: string;
  readonly skuPartNumber: string;
  readonly servicePlanNames: readonly string[];
  readonly firstSeenAt: string;
}

export interface TenantCatalog {
  /** Stream revision of `catalog-{profileId}`. */
  revision: number;
  readonly models: Map<string, SoftwareModel>;
  readonly unrecognized: Map<string, UnrecognizedIdentifier>;
  readonly entitlements: Map<string, Entitlement>;
  readonly manualEntitlements: Map<string, ManualEntitlement>;
  readonly rules: Map<string, ReclamationRule>;
  /** By skuPartNumber as the catalog spells it; a null price is an explicit "no price". */
  readonly priceOverrides: Map<string, PriceValue | null>;
  lastSnapshot: { runId: string; takenAt: string; counts: Record<string, number> } | null;
  activityThrough: string | null;
}

export type TenantCatalogReadModel = Map<string, TenantCatalog>;

/** A tenant no job has reported on yet. */
export const emptyTenantCatalog = (): TenantCatalog => ({
  revision: -1,
  models: new Map(),
  unrecognized: new Map(),
  entitlements: new Map(),
  manualEntitlements: new Map(),
  rules: new Map(),
  priceOverrides: new Map(),
  lastSnapshot: null,
  activityThrough: null,
});

export function catalogOf(state: TenantCatalogReadModel, profileId: string): TenantCatalog {
  let catalog = state.get(profileId);
  if (!catalog) {
    catalog = emptyTenantCatalog();
    state.set(profileId, catalog);
  }
  return catalog;
}

const touch = (state: TenantCatalogReadModel, profileId: string, revision: number): TenantCatalog => {
  const catalog = catalogOf(state, profileId);
  catalog.revision = revision;
  return catalog;
};

/** What each tenant holds: software models, unrecognised identifiers, entitlements, rules, prices. */
export const tenantCatalogProjection = defineProjection<TenantCatalogReadModel, TenantEvent>({
  name: 'tenant-catalog',
  version: 2,
  initialState: () => new Map(),
  handlers: {
    SoftwareModelCreated: (state, e) => {
      const { profileId, createdAt, ...model } = e.data;
      touch(state, profileId, e.revision).models.set(model.skuId, { ...model, createdAt });
      return state;
    },
    SubscriptionIdentifierUnrecognized: (state, e) => {
      const { profileId, ...identifier } = e.data;
      touch(state, profileId, e.revision).unrecognized.set(identifier.skuId, identifier);
      return state;
    },
    EntitlementObserved: (state, e) => {
      const { profileId, ...entitlement } = e.data;
      touch(state, profileId, e.revision).entitlements.set(entitlement.skuId, entitlement);
      return state;
    },
    EntitlementEntered: (state, e) => {
      const { profileId, skuId, skuPartNumber, purchased, source, enteredAt } = e.data;
      touch(state, profileId, e.revision).manualEntitlements.set(skuId, {
        skuId,
        skuPartNumber,
        purchased,
        source,
        enteredAt,
      });
      return state;
    },
    EntitlementEntryRemoved: (state, e) => {
      touch(state, e.data.profileId, e.revision).manualEntitlements.delete(e.data.skuId);
      return state;
    },
    ReclamationRuleCreated: (state, e) => {
      const { profileId, ruleId, skuId, skuPartNumber, inactivityDays, enabled, notify, graceDays } = e.data;
      touch(state, profileId, e.revision).rules.set(ruleId, {
        id: ruleId,
        skuId,
        skuPartNumber,
        inactivityDays,
        enabled,
        notify,
        graceDays,
      });
      return state;
    },
    ReclamationRuleChanged: (state, e) => {
      const { profileId, ruleId, inactivityDays, enabled, notify, graceDays } = e.data;
      const catalog = touch(state, profileId, e.revision);
      const current = catalog.rules.get(ruleId);
      if (current) catalog.rules.set(ruleId, { ...current, inactivityDays, enabled, notify, graceDays });
      return state;
    },
    ListPriceOverridden: (state, e) => {
      touch(state, e.data.profileId, e.revision).priceOverrides.set(e.data.skuPartNumber, e.data.price);
      return state;
    },
    ListPriceOverrideRemoved: (state, e) => {
      touch(state, e.data.profileId, e.revision).priceOverrides.delete(e.data.skuPartNumber);
      return state;
    },
    SubscriptionSnapshotRecorded: (state, e) => {
      touch(state, e.data.profileId, e.revision).lastSnapshot = {
        runId: e.data.runId,
        takenAt: e.data.takenAt,
        counts: e.data.counts,
      };
      return state;
    },
    ActivityPullRecorded: (state, e) => {
      touch(state, e.data.profileId, e.revision).activityThrough = e.data.through;
      return state;
    },
  },
});
