import type { License } from '../subscriptions/subscriptions.projection';
import { exclusionsOf, userExcluded } from './exclusions';
import { cents, compareText, type LedgerView, type Money } from './ledger-view';
import { skuFactsOf, type SkuFacts } from './sku-facts';

export interface ConsolidationItem {
  readonly userId: string;
  readonly userPrincipalName: string;
  /** The user's non-excluded base licenses, by skuPartNumber. */
  readonly baseLicenses: readonly string[];
  readonly suggestedBase: string;
  /** The attach SKUs the other bases become. */
  readonly suggestedAttach: readonly string[];
  /** Bases with no attach SKU: they stay as they are, at their current cost. */
  readonly notConvertible: readonly string[];
  readonly currentMonthlyCost: number;
  readonly suggestedMonthlyCost: number;
  readonly monthlySavings: number;
  /** Null when none of the user's bases has a price. */
  readonly currency: string | null;
  /** Licenses whose current or attach price is unknown (or in another currency): left out of the saving. */
  readonly unpriced: readonly string[];
}

export interface ConsolidationTotals {
  readonly users: number;
  /** Sum over the items priced in `currency`. */
  readonly monthlySavings: number;
  readonly currency: string | null;
  /** Savings of items priced in other currencies (per-profile overrides), which cannot be added to the above. */
  readonly otherCurrencies: Readonly<Record<string, number>>;
}

interface Held {
  readonly license: License;
  readonly facts: SkuFacts;
}

/**
 * Whether `a` should stay the base rather than `b` (Microsoft: the first license must be the highest-priced).
 * An unknown price ranks below any known one. On a tie, a license with no attach SKU stays, since it cannot
 * become an attach; this keeps Commerce over Finance in the brief's Commerce + Finance + HR example.
 */
function keepsOver(a: Held, b: Held): boolean {
  const pa = a.facts.price?.amount;
  const pb = b.facts.price?.amount;
  if (pa !== pb) return pb === undefined || (pa !== undefined && pa > pb);
  const aFixed = a.facts.attachEntry === undefined;
  if (aFixed !== (b.facts.attachEntry === undefined)) return aFixed;
  return a.license.skuPartNumber < b.license.skuPartNumber;
}

const priced = (price: Money | null, currency: string | null): price is Money => price !== null && price.currency === currency;

function consolidate(userId: string, userPrincipalName: string, bases: Held[]): ConsolidationItem {
  let kept = bases[0];
  for (const held of bases) if (keepsOver(held, kept)) kept = held;
  bases.sort((a, b) => compareText(a.license.skuPartNumber, b.license.skuPartNumber));
  // Amounts in different currencies cannot be added: the kept base's currency wins, the rest count as unpriced.
  const currency = kept.facts.price?.currency ?? bases.find((h) => h.facts.price !== null)?.facts.price?.currency ?? null;
  const suggestedAttach: string[] = [];
  const notConvertible: string[] = [];
  const unpriced: string[] = [];
  let current = 0;
  let suggested = 0;
  for (const held of bases) {
    const { price, attachEntry, attachPrice } = held.facts;
    const partNumber = held.license.skuPartNumber;
    const known = priced(price, currency);
    if (held !== kept && attachEntry !== undefined) {
      suggestedAttach.push(attachEntry.skuPartNumber);
      if (known && priced(attachPrice, currency)) {
        current += price.amount;
        suggested += attachPrice.amount;
        continue;
      }
    } else if (held !== kept) notConvertible.push(partNumber);
    // Kept, not convertible, or without both prices: the same cost on both sides, so never a made-up saving.
    if (known) {
      current += price.amount;
      suggested += price.amount;
    }
    if (!known || (held !== kept && attachEntry !== undefined)) unpriced.push(partNumber);
  }
  return {
    userId,
    userPrincipalName,
    baseLicenses: bases.map((h) => h.license.skuPartNumber),
    suggestedBase: kept.license.skuPartNumber,
    suggestedAttach,
    notConvertible,
    currentMonthlyCost: cents(current),
    suggestedMonthlyCost: cents(suggested),
    monthlySavings: cents(current - suggested),
    currency,
    unpriced,
  };
}

/** Users holding two or more non-excluded base licenses, with the base to keep and the attach licenses to buy. */
export function consolidation(view: LedgerView): ConsolidationItem[] {
  const factsOf = skuFactsOf(view);
  const exclusions = exclusionsOf(view.exclusionRules);
  const items: ConsolidationItem[] = [];
  let bases: Held[] = [];
  for (const user of view.subscriptions.users.values()) {
    if (user.licenses.size < 2 || userExcluded(exclusions, user)) continue;
    for (const license of user.licenses.values()) {
      const facts = factsOf(license.skuId, license.skuPartNumber);
      if (facts.entry?.licenseType === 'base' && !facts.excludedByIdentifier) bases.push({ license, facts });
    }
    if (bases.length >= 2) {
      items.push(consolidate(user.userId, user.userPrincipalName, bases));
      bases = [];
    } else bases.length = 0;
  }
  return items.sort((a, b) => b.monthlySavings - a.monthlySavings || compareText(a.userId, b.userId));
}

/** Totals in the currency most of the saving is in (the catalog's USD unless overrides say otherwise). */
export function consolidationTotals(items: readonly ConsolidationItem[]): ConsolidationTotals {
  const byCurrency = new Map<string, number>();
  for (const item of items) {
    if (item.currency !== null) byCurrency.set(item.currency, (byCurrency.get(item.currency) ?? 0) + item.monthlySavings);
  }
  let currency: string | null = null;
  for (const [code, saving] of byCurrency) if (currency === null || saving > (byCurrency.get(currency) ?? 0)) currency = code;
  const otherCurrencies: Record<string, number> = {};
  for (const [code, saving] of byCurrency) if (code !== currency) otherCurrencies[code] = cents(saving);
  return { users: items.length, monthlySavings: currency === null ? 0 : cents(byCurrency.get(currency) ?? 0), currency, otherCurrencies };
}
