import type { LicenseType } from '../catalog/catalog.types';
import type { PrepaidUnits } from '../tenant/tenant.events';
import { exclusionsOf, userExcluded } from './exclusions';
import { cents, compareText, type LedgerView } from './ledger-view';
import { assessUsage, newAssessment, usageContext } from './low-usage';
import { skuFactsOf, type SkuFacts } from './sku-facts';

export type Compliance = 'compliant' | 'over-licensed' | 'under-licensed';

export interface LicensePositionRow {
  readonly skuId: string;
  readonly skuPartNumber: string;
  readonly name: string;
  readonly licenseType: LicenseType;
  /** Enabled prepaid units only, or the hand-entered entitlement when there is one; 0 until either exists. */
  readonly purchased: number;
  /** Where `purchased` comes from. */
  readonly purchasedSource: 'graph' | 'manual' | 'none';
  /**
   * Graph `prepaidUnits.warning`: units whose subscription expired and are in the renewal grace period,
   * still usable but lost unless renewed. Not owned, so never in `purchased`; a hand entry does not hide them.
   */
  readonly inGracePeriod: number;
  /** Graph `prepaidUnits.suspended`: cancelled or lapsed past grace; not assignable, reactivatable until deleted. */
  readonly suspended: number;
  /** Graph `prepaidUnits.lockedOut`: cancelled by the customer, not reactivatable; apart from `suspended`. */
  readonly lockedOut: number;
  /** Every current subscription, excluded ones too: they still consume a unit. */
  readonly assigned: number;
  /** Null for a model without activity tracking, where use cannot be observed. */
  readonly active: number | null;
  readonly lowUsage: number;
  readonly excluded: number;
  /** purchased - assigned; negative when under-licensed. */
  readonly available: number;
  readonly compliance: Compliance;
  readonly listPriceMonthly: number | null;
  readonly currency: string | null;
  /** What the non-excluded subscriptions cost; null when the model has no price. */
  readonly monthlyCost: number | null;
  readonly purchasedMonthlyCost: number | null;
}

export interface LicensePositionTotals {
  readonly models: number;
  readonly purchased: number;
  readonly assigned: number;
  readonly inGracePeriod: number;
  readonly suspended: number;
  readonly lockedOut: number;
  /** Sums of the known costs in `currency`. */
  readonly monthlyCost: number;
  readonly purchasedMonthlyCost: number;
  readonly currency: string | null;
  /** Known costs in other currencies (per-profile overrides), which cannot be added to the above. */
  readonly otherCurrencies: Readonly<
    Record<string, { readonly monthlyCost: number; readonly purchasedMonthlyCost: number }>
  >;
}

interface Tally {
  readonly facts: SkuFacts;
  assigned: number;
  excluded: number;
  lowUsage: number;
  active: number;
}

const complianceOf = (assigned: number, purchased: number): Compliance =>
  assigned > purchased ? 'under-licensed' : assigned < purchased ? 'over-licensed' : 'compliant';

/** Owned vs assigned vs used per software model as of T, sorted by skuPartNumber. */
export function licensePosition(view: LedgerView, asOf: Date | string): LicensePositionRow[] {
  const { catalog } = view;
  const ctx = usageContext(view, asOf);
  const factsOf = skuFactsOf(view);
  const exclusions = exclusionsOf(view.exclusionRules);
  const usage = newAssessment();

  const tallies = new Map<string, Tally>();
  for (const model of catalog.models.values()) {
    const facts = factsOf(model.skuId, model.skuPartNumber);
    tallies.set(facts.key, { facts, assigned: 0, excluded: 0, lowUsage: 0, active: 0 });
  }
  for (const user of view.subscriptions.users.values()) {
    if (user.licenses.size === 0) continue;
    const wholeUserExcluded = userExcluded(exclusions, user);
    for (const license of user.licenses.values()) {
      const tally = tallies.get(factsOf(license.skuId, license.skuPartNumber).key);
      if (tally === undefined) continue;
      tally.assigned++;
      const { facts } = tally;
      if (wholeUserExcluded || facts.excludedByIdentifier) {
        tally.excluded++;
        continue;
      }
      if (facts.apps === null) continue;
      ctx.activity.load(user);
      assessUsage(facts, facts.apps, license, ctx, usage);
      // Low usage counts only where it is proven; the rest is neither active nor counted as idle.
      if (usage.lowUsage && usage.proven) tally.lowUsage++;
      else if (usage.active) tally.active++;
    }
  }

  const unitsByKey = new Map<string, PrepaidUnits>();
  for (const entitlement of catalog.entitlements.values())
    unitsByKey.set(entitlement.skuId.toLowerCase(), entitlement.prepaidUnits);

  // A hand-entered entitlement (an agreement Graph does not show) replaces Graph's count.
  const manualByKey = new Map<string, number>();
  for (const manual of catalog.manualEntitlements.values())
    manualByKey.set(manual.skuId.toLowerCase(), manual.purchased);

  const rows: LicensePositionRow[] = [];
  for (const model of catalog.models.values()) {
    const tally = tallies.get(model.skuId.toLowerCase());
    if (tally === undefined) continue;
    const { facts, assigned, excluded } = tally;
    const manual = manualByKey.get(facts.key);
    const units = unitsByKey.get(facts.key);
    // Only enabled units are owned; warning, suspended and lockedOut units have lapsed (DESIGN "Purchased").
    const graph = units?.enabled;
    const purchased = manual ?? graph ?? 0;
    const purchasedSource = manual !== undefined ? 'manual' : graph !== undefined ? 'graph' : 'none';
    const price = facts.price;
    rows.push({
      skuId: model.skuId,
      skuPartNumber: model.skuPartNumber,
      name: model.name,
      licenseType: model.licenseType,
      purchased,
      purchasedSource,
      inGracePeriod: units?.warning ?? 0,
      suspended: units?.suspended ?? 0,
      lockedOut: units?.lockedOut ?? 0,
      assigned,
      active: facts.apps === null ? null : tally.active,
      lowUsage: tally.lowUsage,
      excluded,
      available: purchased - assigned,
      compliance: complianceOf(assigned, purchased),
      listPriceMonthly: price?.amount ?? null,
      currency: price?.currency ?? null,
      monthlyCost: price === null ? null : cents(price.amount * (assigned - excluded)),
      purchasedMonthlyCost: price === null ? null : cents(price.amount * purchased),
    });
  }
  return rows.sort((a, b) => compareText(a.skuPartNumber, b.skuPartNumber) || compareText(a.skuId, b.skuId));
}

/** Totals in the currency most of the cost is in (the catalog's USD unless overrides say otherwise). */
export function licensePositionTotals(rows: readonly LicensePositionRow[]): LicensePositionTotals {
  let purchased = 0;
  let assigned = 0;
  let inGracePeriod = 0;
  let suspended = 0;
  let lockedOut = 0;
  const byCurrency = new Map<string, { monthlyCost: number; purchasedMonthlyCost: number }>();
  for (const row of rows) {
    purchased += row.purchased;
    assigned += row.assigned;
    inGracePeriod += row.inGracePeriod;
    suspended += row.suspended;
    lockedOut += row.lockedOut;
    if (row.currency === null) continue;
    const sums = byCurrency.get(row.currency) ?? { monthlyCost: 0, purchasedMonthlyCost: 0 };
    sums.monthlyCost += row.monthlyCost ?? 0;
    sums.purchasedMonthlyCost += row.purchasedMonthlyCost ?? 0;
    byCurrency.set(row.currency, sums);
  }
  let currency: string | null = null;
  for (const [code, sums] of byCurrency) {
    if (currency === null || sums.monthlyCost > (byCurrency.get(currency)?.monthlyCost ?? 0)) currency = code;
  }
  const main = currency === null ? undefined : byCurrency.get(currency);
  const otherCurrencies: Record<string, { monthlyCost: number; purchasedMonthlyCost: number }> = {};
  for (const [code, sums] of byCurrency) {
    if (code !== currency)
      otherCurrencies[code] = {
        monthlyCost: cents(sums.monthlyCost),
        purchasedMonthlyCost: cents(sums.purchasedMonthlyCost),
      };
  }
  return {
    models: rows.length,
    purchased,
    assigned,
    inGracePeriod,
    suspended,
    lockedOut,
    monthlyCost: cents(main?.monthlyCost ?? 0),
    purchasedMonthlyCost: cents(main?.purchasedMonthlyCost ?? 0),
    currency,
    otherCurrencies,
  };
}
