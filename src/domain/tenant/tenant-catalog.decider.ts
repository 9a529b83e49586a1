import { conflict, invalid, notFound } from '../../shared/domain-error';
import { assertNever, type Decider } from '../decider';
import type { PriceValue, TenantEvent } from './tenant.events';

interface Rule {
  readonly skuPartNumber: string;
  readonly inactivityDays: number;
  readonly enabled: boolean;
  readonly notify: boolean;
  readonly graceDays: number;
}

/** The admin-editable part of `catalog-{profileId}`: reclamation rules and price overrides. */
export interface TenantCatalogState {
  readonly profileId: string | null;
  readonly rules: ReadonlyMap<string, Rule>;
  /** Identifiers the tenant has shown: recognised models and unrecognised ones, by part number. */
  readonly identifiers: ReadonlySet<string>;
  /** Software models by part number: entitlements are entered for these. */
  readonly models: ReadonlyMap<string, string>;
  /** Hand-entered entitlements: skuId -> purchased. */
  readonly manual: ReadonlyMap<string, number>;
  readonly priceOverrides: ReadonlyMap<string, PriceValue | null>;
}

export type TenantCatalogCommand =
  | {
      type: 'ChangeReclamationRule';
      data: { ruleId: string; changes: Partial<Omit<Rule, 'skuPartNumber'>>; at: string };
    }
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

export const tenantCatalogDecider: Decider<TenantCatalogCommand, TenantEvent, TenantCatalogState> = {
  initialState: () => ({
    profileId: null,
    rules: new Map(),
    identifiers: new Set(),
    models: new Map(),
    manual: new Map(),
    priceOverrides: new Map(),
  }),

  evolve(state, event) {
    const profileId = event.data.profileId;
    switch (event.type) {
      case 'SoftwareModelCreated':
        return {
          ...state,
          profileId,
          identifiers: new Set([...state.identifiers, event.data.skuPartNumber]),
          models: new Map([...state.models, [event.data.skuPartNumber.toUpperCase(), event.data.skuId]]),
        };
      case 'SubscriptionIdentifierUnrecognized':
        return { ...state, profileId, identifiers: new Set([...state.identifiers, event.data.skuPartNumber]) };
      case 'EntitlementEntered':
        return { ...state, profileId, manual: new Map([...state.manual, [event.data.skuId, event.data.purchased]]) };
      case 'EntitlementEntryRemoved': {
        const manual = new Map(state.manual);
        manual.delete(event.data.skuId);
        return { ...state, profileId, manual };
      }
      case 'ReclamationRuleCreated':
      case 'ReclamationRuleChanged': {
        const { ruleId, skuPartNumber, inactivityDays, enabled, notify, graceDays } = event.data;
        return {
          ...state,
          profileId,
          rules: new Map([...state.rules, [ruleId, { skuPartNumber, inactivityDays, enabled, notify, graceDays }]]),
        };
      }
      case 'ListPriceOverridden':
        return {
          ...state,
          profileId,
          priceOverrides: new Map([...state.priceOverrides, [event.data.skuPartNumber, event.data.price]]),
        };
      case 'ListPriceOverrideRemoved': {
        const priceOverrides = new Map(state.priceOverrides);
        priceOverrides.delete(event.data.skuPartNumber);
        return { ...state, profileId, priceOverrides };
      }
      case 'EntitlementObserved':
      case 'SubscriptionSnapshotRecorded':
      case 'ActivityPullRecorded':
        return state.profileId ? state : { ...state, profileId };
      default:
        return assertNever(event);
    }
  },

  decide(command, state) {
    switch (command.type) {
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
        return [
          { type: 'ReclamationRuleChanged', data: { profileId: state.profileId, ruleId, ...next, changedAt: at } },
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
        const skuId = state.models.get(skuPartNumber.toUpperCase());
        if (!skuId) throw notFound('software-model', skuPartNumber);
        if (state.manual.get(skuId) === purchased) return [];
        return [
          { type: 'EntitlementEntered', data: { profileId, skuId, skuPartNumber, purchased, source, enteredAt: at } },
        ];
      }
      case 'RemoveEntitlementEntry': {
        const { profileId, skuPartNumber, at } = command.data;
        const skuId = state.models.get(skuPartNumber.toUpperCase());
        if (!skuId) throw notFound('software-model', skuPartNumber);
        if (!state.manual.has(skuId))
          throw conflict('no-entitlement-entry', `${skuPartNumber} has no hand-entered entitlement`);
        return [{ type: 'EntitlementEntryRemoved', data: { profileId, skuId, skuPartNumber, removedAt: at } }];
      }
      default:
        return assertNever(command);
    }
  },
};

const stripUndefined = <T extends object>(value: T): Partial<T> =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
