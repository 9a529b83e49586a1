import { attachEntryFor, findCatalogEntry } from '../catalog/catalog';
import type { CatalogEntry } from '../catalog/catalog.types';
import type { ActivityApp } from '../licensee/licensee.events';
import type { ActivityBasis } from '../catalog/catalog.types';
import { DEFAULT_ACTIVITY_BASIS, DEFAULT_INACTIVITY_DAYS } from '../defaults';
import type { ReclamationRule, TenantCatalogState as TenantCatalog } from '../tenant/tenant-catalog.state';
import { accessCounts, appsCountingFor } from './activity';
import { exclusionsOf, identifierExcluded } from './exclusions';
import { effectivePrice, type LedgerView, type Money } from './ledger-view';

/** What the conclusions need to know about one SKU, worked out once per call however many users hold it. */
export interface SkuFacts {
  /** Lower-cased skuId: joins subscriptions to models, entitlements and unrecognised identifiers. */
  readonly key: string;
  readonly entry: CatalogEntry | undefined;
  /** Kinds of activity that count under the rule's basis; null when the license has no activity tracking (never low usage). */
  readonly apps: readonly ActivityApp[] | null;
  /** Whether sign-ins count (Team Members, or the basis `any`): only then does user-access auditing matter for proof. */
  readonly accessCounts: boolean;
  readonly basis: ActivityBasis;
  readonly thresholdDays: number;
  /** A disabled reclamation rule flags nothing. */
  readonly ruleEnabled: boolean;
  readonly price: Money | null;
  /** The attach SKU this base becomes beside a higher-priced base; undefined when it has none. */
  readonly attachEntry: CatalogEntry | undefined;
  readonly attachPrice: Money | null;
  readonly excludedByIdentifier: boolean;
}

export type SkuFactsOf = (skuId: string, skuPartNumber: string) => SkuFacts;

export function reclamationRulesByPartNumber(catalog: TenantCatalog): ReadonlyMap<string, ReclamationRule> {
  const byPartNumber = new Map<string, ReclamationRule>();
  for (const rule of catalog.rules.values()) byPartNumber.set(rule.skuPartNumber.toUpperCase(), rule);
  return byPartNumber;
}

/** A memoised lookup: a tenant holds a few dozen distinct SKUs across 250,000 subscriptions. */
export function skuFactsOf(view: LedgerView, options: { inactivityDays?: number } = {}): SkuFactsOf {
  const { catalog } = view;
  const rules = reclamationRulesByPartNumber(catalog);
  const exclusions = exclusionsOf(view.exclusionRules);
  const cache = new Map<string, SkuFacts>();
  return (skuId, skuPartNumber) => {
    let facts = cache.get(skuId);
    if (facts) return facts;
    const entry = findCatalogEntry({ skuId, skuPartNumber });
    const rule =
      rules.get((entry?.skuPartNumber ?? skuPartNumber).toUpperCase()) ?? rules.get(skuPartNumber.toUpperCase());
    const attachEntry = entry ? attachEntryFor(entry) : undefined;
    const basis = rule?.activityBasis ?? DEFAULT_ACTIVITY_BASIS;
    facts = {
      key: skuId.toLowerCase(),
      entry,
      apps: entry ? appsCountingFor(entry.activityNeeded, basis) : null,
      accessCounts: entry ? accessCounts(entry.activityNeeded, basis) : false,
      basis,
      thresholdDays: options.inactivityDays ?? rule?.inactivityDays ?? DEFAULT_INACTIVITY_DAYS,
      ruleEnabled: rule?.enabled ?? true,
      price: effectivePrice(entry, skuPartNumber, catalog.priceOverrides),
      attachEntry,
      attachPrice: attachEntry ? effectivePrice(attachEntry, attachEntry.skuPartNumber, catalog.priceOverrides) : null,
      excludedByIdentifier: identifierExcluded(exclusions, skuId, skuPartNumber),
    };
    cache.set(skuId, facts);
    return facts;
  };
}
