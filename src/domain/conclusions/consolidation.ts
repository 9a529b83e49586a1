import { attachQualifies } from '../catalog/attach-rules';
import type { License } from '../licensee/licensee.state';
import { exclusionsOf, userExcluded } from './exclusions';
import { cents, compareText, type LedgerView, type Money } from './ledger-view';
import { skuFactsOf, type SkuFacts } from './sku-facts';

export interface ConsolidationItem {
  readonly userId: string;
  readonly userPrincipalName: string;
  /** The user's non-excluded base licenses, by skuPartNumber. */
  readonly baseLicenses: readonly string[];
  readonly suggestedBase: string;
  /** The attach SKUs the other bases become: only pairs the Licensing Guide allows on `suggestedBase`. */
  readonly suggestedAttach: readonly string[];
  /**
   * Bases that stay bases at their current cost: no attach SKU, or none that qualifies on `suggestedBase`
   * (another family, Business Central, Professional beside Enterprise; catalog/attach-rules.ts).
   */
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

/** One user's base licenses: parallel scratch arrays reused from user to user, to allocate only the answer. */
interface Bases {
  readonly licenses: License[];
  readonly facts: SkuFacts[];
}

/**
 * Whether base `a` should stay rather than `b` (Microsoft: the first license must be the highest-priced).
 * An unknown price ranks below any known one. On a tie, a license with no attach SKU stays, since it cannot
 * become an attach; this keeps Commerce over Finance in the brief's Commerce + Finance + HR example.
 */
function keepsOver(bases: Bases, a: number, b: number): boolean {
  const pa = bases.facts[a].price?.amount;
  const pb = bases.facts[b].price?.amount;
  if (pa !== pb) return pb === undefined || (pa !== undefined && pa > pb);
  const aFixed = bases.facts[a].attachEntry === undefined;
  if (aFixed !== (bases.facts[b].attachEntry === undefined)) return aFixed;
  return bases.licenses[a].skuPartNumber < bases.licenses[b].skuPartNumber;
}

/** Insertion sort by skuPartNumber: a user holds two or three bases, and both arrays must move together. */
function sortByPartNumber({ licenses, facts }: Bases): void {
  for (let i = 1; i < licenses.length; i++) {
    const license = licenses[i];
    const fact = facts[i];
    let j = i - 1;
    for (; j >= 0 && licenses[j].skuPartNumber > license.skuPartNumber; j--) {
      licenses[j + 1] = licenses[j];
      facts[j + 1] = facts[j];
    }
    licenses[j + 1] = license;
    facts[j + 1] = fact;
  }
}

const NONE: readonly string[] = Object.freeze([]);

const priced = (price: Money | null, currency: string | null): price is Money =>
  price !== null && price.currency === currency;

function consolidate(userId: string, userPrincipalName: string, bases: Bases): ConsolidationItem {
  sortByPartNumber(bases);
  const { licenses, facts } = bases;
  let kept = 0;
  for (let i = 1; i < licenses.length; i++) if (keepsOver(bases, i, kept)) kept = i;
  const keptBase = facts[kept].entry?.skuPartNumber ?? licenses[kept].skuPartNumber;
  // Amounts in different currencies cannot be added: the kept base's currency wins, the rest count as unpriced.
  let currency = facts[kept].price?.currency ?? null;
  for (let i = 0; currency === null && i < facts.length; i++) currency = facts[i].price?.currency ?? null;
  const baseLicenses: string[] = [];
  const suggestedAttach: string[] = [];
  // Most users have nothing to list: these stay null (answered with the shared empty list) until needed.
  let notConvertible: string[] | null = null;
  let unpriced: string[] | null = null;
  let current = 0;
  let suggested = 0;
  for (let i = 0; i < licenses.length; i++) {
    const { price, attachEntry, attachPrice } = facts[i];
    const partNumber = licenses[i].skuPartNumber;
    baseLicenses.push(partNumber);
    const known = priced(price, currency);
    // The attach SKU must qualify on the base the user keeps: a family's apps never attach to another's.
    const converts = i !== kept && attachEntry !== undefined && attachQualifies(keptBase, attachEntry.skuPartNumber);
    if (converts) {
      suggestedAttach.push(attachEntry.skuPartNumber);
      if (known && priced(attachPrice, currency)) {
        current += price.amount;
        suggested += attachPrice.amount;
        continue;
      }
    } else if (i !== kept) (notConvertible ??= []).push(partNumber);
    // Kept, not convertible, or without both prices: the same cost on both sides, so never a made-up saving.
    if (known) {
      current += price.amount;
      suggested += price.amount;
    }
    if (!known || converts) (unpriced ??= []).push(partNumber);
  }
  return {
    userId,
    userPrincipalName,
    baseLicenses,
    suggestedBase: licenses[kept].skuPartNumber,
    suggestedAttach,
    notConvertible: notConvertible ?? NONE,
    currentMonthlyCost: cents(current),
    suggestedMonthlyCost: cents(suggested),
    monthlySavings: cents(current - suggested),
    currency,
    unpriced: unpriced ?? NONE,
  };
}

/** Users holding two or more non-excluded base licenses, with the base to keep and the attach licenses to buy. */
export function consolidation(view: LedgerView): ConsolidationItem[] {
  const factsOf = skuFactsOf(view);
  const exclusions = exclusionsOf(view.exclusionRules);
  const items: ConsolidationItem[] = [];
  const bases: Bases = { licenses: [], facts: [] };
  for (const user of view.subscriptions.users.values()) {
    if (user.licenses.size < 2 || userExcluded(exclusions, user)) continue;
    bases.licenses.length = 0;
    bases.facts.length = 0;
    for (const license of user.licenses.values()) {
      const facts = factsOf(license.skuId, license.skuPartNumber);
      if (facts.entry?.licenseType !== 'base' || facts.excludedByIdentifier) continue;
      bases.licenses.push(license);
      bases.facts.push(facts);
    }
    if (bases.licenses.length >= 2) items.push(consolidate(user.userId, user.userPrincipalName, bases));
  }
  return items.sort((a, b) => b.monthlySavings - a.monthlySavings || compareText(a.userId, b.userId));
}

/** Totals in the currency most of the saving is in (the catalog's USD unless overrides say otherwise). */
export function consolidationTotals(items: readonly ConsolidationItem[]): ConsolidationTotals {
  const byCurrency = new Map<string, number>();
  for (const item of items) {
    if (item.currency !== null)
      byCurrency.set(item.currency, (byCurrency.get(item.currency) ?? 0) + item.monthlySavings);
  }
  let currency: string | null = null;
  for (const [code, saving] of byCurrency)
    if (currency === null || saving > (byCurrency.get(currency) ?? 0)) currency = code;
  const otherCurrencies: Record<string, number> = {};
  for (const [code, saving] of byCurrency) if (code !== currency) otherCurrencies[code] = cents(saving);
  return {
    users: items.length,
    monthlySavings: currency === null ? 0 : cents(byCurrency.get(currency) ?? 0),
    currency,
    otherCurrencies,
  };
}
