import type { ActivityBasis, ActivityNeeded, LicenseType } from '../catalog/catalog.types';
import { assertNever } from '../decider';
import type { PrepaidUnits, PriceValue, SnapshotCounts, TenantEvent } from './tenant.events';

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
  readonly activityBasis: ActivityBasis;
}

export interface UnrecognizedIdentifier {
  readonly skuId: string;
  readonly skuPartNumber: string;
  readonly servicePlanNames: readonly string[];
  readonly firstSeenAt: string;
}

/** What one tenant holds and what its admins set about it, folded from `catalog-{profileId}`. */
export interface TenantCatalogState {
  readonly profileId: string | null;
  /** By lower-cased skuId. */
  readonly models: ReadonlyMap<string, SoftwareModel>;
  readonly unrecognized: ReadonlyMap<string, UnrecognizedIdentifier>;
  readonly entitlements: ReadonlyMap<string, Entitlement>;
  readonly manualEntitlements: ReadonlyMap<string, ManualEntitlement>;
  /** By rule id. */
  readonly rules: ReadonlyMap<string, ReclamationRule>;
  /** By skuPartNumber as the catalog spells it; a null price is an explicit "no price". */
  readonly priceOverrides: ReadonlyMap<string, PriceValue | null>;
  readonly lastSnapshot: { readonly runId: string; readonly takenAt: string; readonly counts: SnapshotCounts } | null;
  /** Where the next activity pull continues from. */
  readonly activityThrough: string | null;
}

export const initialTenantCatalog = (): TenantCatalogState => ({
  profileId: null,
  models: new Map(),
  unrecognized: new Map(),
  entitlements: new Map(),
  manualEntitlements: new Map(),
  rules: new Map(),
  priceOverrides: new Map(),
  lastSnapshot: null,
  activityThrough: null,
});

const set = <K, V>(map: ReadonlyMap<K, V>, key: K, value: V): ReadonlyMap<K, V> => new Map(map).set(key, value);
const without = <K, V>(map: ReadonlyMap<K, V>, key: K): ReadonlyMap<K, V> => {
  const next = new Map(map);
  next.delete(key);
  return next;
};

export function evolveTenantCatalog(state: TenantCatalogState, event: TenantEvent): TenantCatalogState {
  const s = state.profileId === event.data.profileId ? state : { ...state, profileId: event.data.profileId };
  switch (event.type) {
    case 'SoftwareModelCreated': {
      const { profileId: _profileId, ...model } = event.data;
      return { ...s, models: set(s.models, model.skuId, model) };
    }
    case 'SubscriptionIdentifierUnrecognized': {
      const { profileId: _profileId, ...identifier } = event.data;
      return { ...s, unrecognized: set(s.unrecognized, identifier.skuId, identifier) };
    }
    case 'EntitlementObserved': {
      const { profileId: _profileId, ...entitlement } = event.data;
      return { ...s, entitlements: set(s.entitlements, entitlement.skuId, entitlement) };
    }
    case 'EntitlementEntered': {
      const { skuId, skuPartNumber, purchased, source, enteredAt } = event.data;
      return {
        ...s,
        manualEntitlements: set(s.manualEntitlements, skuId, { skuId, skuPartNumber, purchased, source, enteredAt }),
      };
    }
    case 'EntitlementEntryRemoved':
      return { ...s, manualEntitlements: without(s.manualEntitlements, event.data.skuId) };
    case 'ReclamationRuleCreated': {
      const { ruleId, skuId, skuPartNumber, inactivityDays, enabled, notify, graceDays, activityBasis } = event.data;
      return {
        ...s,
        rules: set(s.rules, ruleId, {
          id: ruleId,
          skuId,
          skuPartNumber,
          inactivityDays,
          enabled,
          notify,
          graceDays,
          activityBasis,
        }),
      };
    }
    case 'ReclamationRuleChanged': {
      const { ruleId, inactivityDays, enabled, notify, graceDays, activityBasis } = event.data;
      const current = s.rules.get(ruleId);
      if (!current) return s;
      return {
        ...s,
        rules: set(s.rules, ruleId, { ...current, inactivityDays, enabled, notify, graceDays, activityBasis }),
      };
    }
    case 'ListPriceOverridden':
      return { ...s, priceOverrides: set(s.priceOverrides, event.data.skuPartNumber, event.data.price) };
    case 'ListPriceOverrideRemoved':
      return { ...s, priceOverrides: without(s.priceOverrides, event.data.skuPartNumber) };
    case 'SubscriptionSnapshotRecorded': {
      const { runId, takenAt, counts } = event.data;
      return { ...s, lastSnapshot: { runId, takenAt, counts } };
    }
    case 'ActivityPullRecorded':
      return { ...s, activityThrough: event.data.through };
    default:
      return assertNever(event);
  }
}

/** The software model a part number names, if the tenant has it. */
export function modelByPartNumber(state: TenantCatalogState, skuPartNumber: string): SoftwareModel | undefined {
  const wanted = skuPartNumber.toUpperCase();
  for (const model of state.models.values()) if (model.skuPartNumber.toUpperCase() === wanted) return model;
  return undefined;
}

/** The reclamation rule of a SKU, by its part number. */
export function ruleOf(state: TenantCatalogState, skuPartNumber: string): ReclamationRule | undefined {
  const wanted = skuPartNumber.toUpperCase();
  for (const rule of state.rules.values()) if (rule.skuPartNumber.toUpperCase() === wanted) return rule;
  return undefined;
}
