import { conflict, invalid, notFound } from '../../shared/domain-error';
import { deterministicId } from '../../shared/ids';
import type { SkuScope, SubscribedSku } from '../catalog/sku-scope';
import { assertNever, type Decider } from '../decider';
import { DEFAULT_ACTIVITY_BASIS, DEFAULT_GRACE_DAYS, DEFAULT_INACTIVITY_DAYS } from '../defaults';
import {
  evolveTenantCatalog,
  initialTenantCatalog,
  modelByPartNumber,
  type ReclamationRule,
  type TenantCatalogState,
} from './tenant-catalog.state';
import type { IgnoredAuditRows, PrepaidUnits, PriceValue, SnapshotCounts, TenantEvent } from './tenant.events';

type RuleSettings = Pick<ReclamationRule, 'inactivityDays' | 'enabled' | 'notify' | 'graceDays' | 'activityBasis'>;

export type TenantCatalogCommand =
  /** The first page of a snapshot: the tenant's SKUs become models, rules, identifiers and entitlements. */
  | {
      type: 'RecordSubscribedSkus';
      data: { profileId: string; skus: readonly SubscribedSku[]; scope: SkuScope; takenAt: string };
    }
  /** The last page of a snapshot: the run's summary. */
  | {
      type: 'RecordSnapshotSummary';
      data: { profileId: string; runId: string; takenAt: string; counts: SnapshotCounts };
    }
  | {
      type: 'RecordActivityPull';
      data: {
        profileId: string;
        runId: string;
        from: string;
        through: string;
        rowsRead: number;
        activityRecorded: number;
        ignored: IgnoredAuditRows;
      };
    }
  | { type: 'ChangeReclamationRule'; data: { ruleId: string; changes: Partial<RuleSettings>; at: string } }
  | {
      type: 'OverrideListPrice';
      data: { profileId: string; skuPartNumber: string; price: PriceValue | null; at: string };
    }
  | { type: 'RemoveListPriceOverride'; data: { profileId: string; skuPartNumber: string; at: string } }
  | {
      type: 'EnterEntitlement';
      data: { profileId: string; skuPartNumber: string; purchased: number; source: string; at: string };
    }
  | { type: 'RemoveEntitlementEntry'; data: { profileId: string; skuPartNumber: string; at: string } };

/** `catalog-{profileId}`: what the tenant holds (learned by the jobs) and what its admins set (rules, prices). */
export const tenantCatalogDecider: Decider<TenantCatalogCommand, TenantEvent, TenantCatalogState> = {
  initialState: initialTenantCatalog,
  evolve: evolveTenantCatalog,

  decide(command, state) {
    switch (command.type) {
      case 'RecordSubscribedSkus':
        return recordSubscribedSkus(command.data, state);
      case 'RecordSnapshotSummary':
        return [{ type: 'SubscriptionSnapshotRecorded', data: command.data }];
      case 'RecordActivityPull':
        return [{ type: 'ActivityPullRecorded', data: command.data }];
      case 'ChangeReclamationRule': {
        const { ruleId, changes, at } = command.data;
        const rule = state.rules.get(ruleId);
        if (!rule || !state.profileId) throw notFound('reclamation-rule', ruleId);
        const next = { ...rule, ...stripUndefined(changes) };
        if (next.notify && next.graceDays < 1) {
          throw invalid('grace-required', 'a rule that notifies users needs at least one grace day', [
            { field: 'graceDays', problem: 'must be at least 1 when notify is true' },
          ]);
        }
        if (JSON.stringify(next) === JSON.stringify(rule)) return [];
        const { id: _id, skuId: _skuId, ...settings } = next;
        return [
          { type: 'ReclamationRuleChanged', data: { profileId: state.profileId, ruleId, ...settings, changedAt: at } },
        ];
      }
      case 'OverrideListPrice': {
        const { profileId, skuPartNumber, price, at } = command.data;
        if (
          state.priceOverrides.has(skuPartNumber) &&
          JSON.stringify(state.priceOverrides.get(skuPartNumber)) === JSON.stringify(price)
        )
          return [];
        return [{ type: 'ListPriceOverridden', data: { profileId, skuPartNumber, price, overriddenAt: at } }];
      }
      case 'RemoveListPriceOverride': {
        const { profileId, skuPartNumber, at } = command.data;
        if (!state.priceOverrides.has(skuPartNumber))
          throw conflict('no-price-override', `${skuPartNumber} has no price override`);
        return [{ type: 'ListPriceOverrideRemoved', data: { profileId, skuPartNumber, removedAt: at } }];
      }
      case 'EnterEntitlement': {
        const { profileId, skuPartNumber, purchased, source, at } = command.data;
        const model = modelByPartNumber(state, skuPartNumber);
        if (!model) throw notFound('software-model', skuPartNumber);
        if (state.manualEntitlements.get(model.skuId)?.purchased === purchased) return [];
        return [
          {
            type: 'EntitlementEntered',
            data: { profileId, skuId: model.skuId, skuPartNumber, purchased, source, enteredAt: at },
          },
        ];
      }
      case 'RemoveEntitlementEntry': {
        const { profileId, skuPartNumber, at } = command.data;
        const model = modelByPartNumber(state, skuPartNumber);
        if (!model) throw notFound('software-model', skuPartNumber);
        if (!state.manualEntitlements.has(model.skuId))
          throw conflict('no-entitlement-entry', `${skuPartNumber} has no hand-entered entitlement`);
        return [
          { type: 'EntitlementEntryRemoved', data: { profileId, skuId: model.skuId, skuPartNumber, removedAt: at } },
        ];
      }
      default:
        return assertNever(command);
    }
  },
};

/**
 * A SKU assigned to people that the catalog knows becomes a software model the first time
 * the tenant has it, with a reclamation rule when the model has activity tracking; one it
 * does not know is listed as unrecognised. Owned units are recorded whenever they change.
 */
function recordSubscribedSkus(
  data: { profileId: string; skus: readonly SubscribedSku[]; scope: SkuScope; takenAt: string },
  state: TenantCatalogState,
): TenantEvent[] {
  const { profileId, skus, scope, takenAt } = data;
  const events: TenantEvent[] = [];
  for (const sku of skus) {
    const skuId = sku.skuId.toLowerCase();
    const kind = scope.of(skuId);
    if (!kind || sku.appliesTo.toLowerCase() !== 'user') continue;
    const e = kind.entry;
    if (e && !state.models.has(skuId)) {
      events.push({
        type: 'SoftwareModelCreated',
        data: {
          profileId,
          skuId,
          skuPartNumber: e.skuPartNumber,
          name: e.name,
          licenseType: e.licenseType,
          activityTracked: e.activityTracked,
          activityNeeded: e.activityNeeded,
          createdAt: takenAt,
        },
      });
      if (e.activityTracked && ![...state.rules.values()].some((r) => r.skuId === skuId)) {
        events.push({
          type: 'ReclamationRuleCreated',
          data: {
            profileId,
            ruleId: deterministicId(profileId, 'reclamation-rule', skuId),
            skuId,
            skuPartNumber: e.skuPartNumber,
            inactivityDays: DEFAULT_INACTIVITY_DAYS,
            enabled: true,
            notify: false,
            graceDays: DEFAULT_GRACE_DAYS,
            activityBasis: DEFAULT_ACTIVITY_BASIS,
            createdAt: takenAt,
          },
        });
      }
    } else if (!e && !state.unrecognized.has(skuId)) {
      events.push({
        type: 'SubscriptionIdentifierUnrecognized',
        data: {
          profileId,
          skuId,
          skuPartNumber: sku.skuPartNumber,
          servicePlanNames: [...sku.servicePlanNames],
          firstSeenAt: takenAt,
        },
      });
    }
    const units: PrepaidUnits = {
      enabled: sku.prepaidUnits.enabled,
      warning: sku.prepaidUnits.warning,
      suspended: sku.prepaidUnits.suspended,
      lockedOut: sku.prepaidUnits.lockedOut ?? 0,
    };
    const before = state.entitlements.get(skuId);
    if (!before || before.capabilityStatus !== sku.capabilityStatus || !sameUnits(before.prepaidUnits, units)) {
      events.push({
        type: 'EntitlementObserved',
        data: {
          profileId,
          skuId,
          skuPartNumber: kind.skuPartNumber,
          prepaidUnits: units,
          capabilityStatus: sku.capabilityStatus,
          observedAt: takenAt,
        },
      });
    }
  }
  return events;
}

const sameUnits = (a: PrepaidUnits, b: PrepaidUnits) =>
  a.enabled === b.enabled && a.warning === b.warning && a.suspended === b.suspended && a.lockedOut === b.lockedOut;

const stripUndefined = <T extends object>(value: T): Partial<T> =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
