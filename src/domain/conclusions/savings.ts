import type { ConsolidationItem } from './consolidation';
import type { DowngradeAdvice } from './downgrade';
import { cents, compareText, type LedgerView } from './ledger-view';
import type { LowUsageItem } from './low-usage';
import { skuFactsOf } from './sku-facts';

/** A license removed through Graph by a reclamation, and when that was recorded. */
export interface ReclaimedLicense {
  readonly userId: string;
  readonly skuId: string;
  readonly skuPartNumber: string;
  readonly reclaimedAt: string;
}

/** Monthly amounts in the currency most of them are in, and the rest per currency (they cannot be added). */
export interface Amounts {
  readonly monthlySavings: number;
  readonly currency: string | null;
  readonly otherCurrencies: Readonly<Record<string, number>>;
}

export interface SavingsFound extends Amounts {
  readonly lowUsage: { readonly subscriptions: number } & Amounts;
  readonly consolidation: { readonly users: number } & Amounts;
  readonly downgrade: { readonly subscriptions: number } & Amounts;
  /**
   * Consolidation advice left out of the total because the same user also has proven low usage
   * or downgrade advice: acting on either changes which bases the user keeps, so the two
   * savings cannot both be had.
   */
  readonly overlap: { readonly users: number } & Amounts;
}

export interface RealisedBySku {
  readonly skuPartNumber: string;
  readonly reclaimed: number;
  readonly listPriceMonthly: number | null;
  readonly currency: string | null;
  readonly monthlySavings: number;
}

export interface SavingsRealised extends Amounts {
  /** Null: since the first reclamation. */
  readonly since: string | null;
  readonly until: string;
  /** Licenses reclaimed in [since, until] and not held again by the same user. */
  readonly reclaimed: number;
  /** Reclaimed, then assigned again to the same user: nothing was saved, so not in `reclaimed`. */
  readonly reassigned: number;
  /** Of `reclaimed`, those without a price (catalog or override): counted, never valued. */
  readonly unpriced: number;
  readonly bySku: readonly RealisedBySku[];
}

/** Sums per currency, answered in the largest one (as the position and consolidation totals are). */
class Tally {
  private readonly byCurrency = new Map<string, number>();

  add(amount: number | null, currency: string | null): void {
    if (amount === null || currency === null) return;
    this.byCurrency.set(currency, (this.byCurrency.get(currency) ?? 0) + amount);
  }

  amounts(): Amounts {
    let currency: string | null = null;
    for (const [code, sum] of this.byCurrency)
      if (currency === null || sum > this.byCurrency.get(currency)!) currency = code;
    const otherCurrencies: Record<string, number> = {};
    for (const [code, sum] of this.byCurrency) if (code !== currency) otherCurrencies[code] = cents(sum);
    return {
      monthlySavings: currency === null ? 0 : cents(this.byCurrency.get(currency)!),
      currency,
      otherCurrencies,
    };
  }
}

/**
 * Savings found: what proven low usage, consolidation and downgrade advice would save each
 * month. Unproven low usage is never counted (it is shown, never acted on), and a user's
 * consolidation saving is not added to the total when the same user also has low usage or
 * downgrade advice, so no saving is counted twice.
 */
export function savingsFound(
  lowUsage: readonly LowUsageItem[],
  consolidation: readonly ConsolidationItem[],
  downgrade: readonly DowngradeAdvice[],
): SavingsFound {
  const total = new Tally();
  const low = new Tally();
  const users = new Set<string>();
  let proven = 0;
  for (const item of lowUsage) {
    if (!item.proven) continue;
    proven += 1;
    users.add(item.userId);
    low.add(item.monthlyCost, item.currency);
    total.add(item.monthlyCost, item.currency);
  }
  const down = new Tally();
  for (const item of downgrade) {
    users.add(item.userId);
    down.add(item.monthlySavings, item.currency);
    total.add(item.monthlySavings, item.currency);
  }
  const consolidated = new Tally();
  const overlap = new Tally();
  let overlapping = 0;
  for (const item of consolidation) {
    consolidated.add(item.monthlySavings, item.currency);
    if (users.has(item.userId)) {
      overlapping += 1;
      overlap.add(item.monthlySavings, item.currency);
    } else total.add(item.monthlySavings, item.currency);
  }
  return {
    ...total.amounts(),
    lowUsage: { subscriptions: proven, ...low.amounts() },
    consolidation: { users: consolidation.length, ...consolidated.amounts() },
    downgrade: { subscriptions: downgrade.length, ...down.amounts() },
    overlap: { users: overlapping, ...overlap.amounts() },
  };
}

/**
 * Savings realised: the licenses reclaimed in [since, until], each at its model's effective
 * monthly price as of `until` (the view's moment), per month. A license the same user holds
 * again at that moment saved nothing and is counted apart.
 */
export function savingsRealised(
  view: LedgerView,
  reclaimed: readonly ReclaimedLicense[],
  since: string | null,
  until: string,
): SavingsRealised {
  const factsOf = skuFactsOf(view);
  const total = new Tally();
  const bySku = new Map<string, { reclaimed: number; price: number | null; currency: string | null; sum: number }>();
  let counted = 0;
  let reassigned = 0;
  let unpriced = 0;
  for (const license of reclaimed) {
    if ((since !== null && license.reclaimedAt < since) || license.reclaimedAt > until) continue;
    if (view.subscriptions.users.get(license.userId)?.licenses.has(license.skuId.toLowerCase())) {
      reassigned += 1;
      continue;
    }
    const price = factsOf(license.skuId, license.skuPartNumber).price;
    const sku = bySku.get(license.skuPartNumber) ?? {
      reclaimed: 0,
      price: price?.amount ?? null,
      currency: price?.currency ?? null,
      sum: 0,
    };
    sku.reclaimed += 1;
    bySku.set(license.skuPartNumber, sku);
    counted += 1;
    if (price === null) {
      unpriced += 1;
      continue;
    }
    sku.sum += price.amount;
    total.add(price.amount, price.currency);
  }
  return {
    since,
    until,
    reclaimed: counted,
    reassigned,
    unpriced,
    ...total.amounts(),
    bySku: [...bySku]
      .map(([skuPartNumber, s]) => ({
        skuPartNumber,
        reclaimed: s.reclaimed,
        listPriceMonthly: s.price,
        currency: s.currency,
        monthlySavings: cents(s.sum),
      }))
      .sort((a, b) => b.monthlySavings - a.monthlySavings || compareText(a.skuPartNumber, b.skuPartNumber)),
  };
}
