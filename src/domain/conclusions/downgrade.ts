import { findCatalogEntry } from '../catalog/catalog';
import { DOWNGRADABLE_TO_TEAM_MEMBERS, TEAM_MEMBERS_SKU_PART_NUMBER } from '../catalog/team-members';
import { DEFAULT_INACTIVITY_DAYS } from '../defaults';
import { ALL_APPS } from './activity';
import { exclusionsOf, userExcluded } from './exclusions';
import { cents, compareText, DAY_MS, effectivePrice, type LedgerView } from './ledger-view';
import { assessUsage, newAssessment, usageContext } from './low-usage';
import { skuFactsOf } from './sku-facts';

export interface DowngradeAdvice {
  readonly userId: string;
  readonly userPrincipalName: string;
  readonly skuId: string;
  readonly skuPartNumber: string;
  readonly suggestedSkuPartNumber: string;
  readonly reason: string;
  readonly currentMonthlyCost: number | null;
  readonly suggestedMonthlyCost: number | null;
  /** Null when either price is unknown: no saving is invented. */
  readonly monthlySavings: number | null;
  readonly currency: string | null;
  /** What the advice rests on. */
  readonly evidence: {
    /** The window looked at, [T − the rule's inactivityDays, T], covered by every environment's audit log. */
    readonly windowFrom: string;
    readonly windowTo: string;
    /** The latest activity of any kind in the window. */
    readonly lastActivityAt: string;
    /** The latest activity Team Members rights would not cover, if any ever (before the window). */
    readonly lastBeyondTeamMembersAt: string | null;
  };
}

/**
 * Downgrade advice as of T (DESIGN.md, "Downgrade"): a full Sales, Customer Service, Field
 * Service or Project Operations license whose user was active in the proven window
 * [T − inactivityDays, T] in some environment, every activity of a kind Team Members allows
 * (sign-ins, and writes to the tables TEAM_MEMBERS_WRITABLE_TABLES lists), is advised down to
 * Team Members, with the saving. A low-usage subscription gets none, nor does one whose window
 * any gap breaks: advice, never automatic, and when unsure, none.
 */
export function downgradeAdvice(view: LedgerView, asOf: Date | string): DowngradeAdvice[] {
  const ctx = usageContext(view, asOf);
  const t = ctx.activity.asOfMs;
  const factsOf = skuFactsOf(view);
  const exclusions = exclusionsOf(view.exclusionRules);
  const teamMembers = findCatalogEntry({ skuPartNumber: TEAM_MEMBERS_SKU_PART_NUMBER });
  const teamMembersPrice = effectivePrice(teamMembers, TEAM_MEMBERS_SKU_PART_NUMBER, view.catalog.priceOverrides);
  const usage = newAssessment();
  const items: DowngradeAdvice[] = [];
  for (const user of view.subscriptions.users.values()) {
    if (user.licenses.size === 0 || userExcluded(exclusions, user)) continue;
    for (const license of user.licenses.values()) {
      const facts = factsOf(license.skuId, license.skuPartNumber);
      const partNumber = facts.entry?.skuPartNumber ?? license.skuPartNumber;
      if (!DOWNGRADABLE_TO_TEAM_MEMBERS.has(partNumber) || facts.excludedByIdentifier) continue;
      ctx.activity.load(user);
      if (facts.apps !== null && assessUsage(facts, facts.apps, license, ctx, usage).lowUsage) continue;
      const days = facts.apps !== null ? facts.thresholdDays : DEFAULT_INACTIVITY_DAYS;
      const fromMs = t - days * DAY_MS;
      const latest = ctx.activity.latestApp(ALL_APPS);
      const latestMs = latest === null ? -Infinity : ctx.activity.timeOf(latest);
      const beyondMs = ctx.activity.timeOf('beyondTeamMembers');
      if (latestMs < fromMs || beyondMs >= fromMs) continue;
      // Sign-ins are always within Team Members rights, so time without user-access auditing
      // cannot hide work beyond them; every other gap can.
      if (ctx.coverage.reason(fromMs, t, false) !== null) continue;
      const price = facts.price;
      const samePriceCurrency =
        price !== null && teamMembersPrice !== null && price.currency === teamMembersPrice.currency;
      items.push({
        userId: user.userId,
        userPrincipalName: user.userPrincipalName,
        skuId: license.skuId,
        skuPartNumber: license.skuPartNumber,
        suggestedSkuPartNumber: TEAM_MEMBERS_SKU_PART_NUMBER,
        reason: `in the last ${days} days every activity was one Team Members allows (sign-ins, contacts, activities, notes)`,
        currentMonthlyCost: price?.amount ?? null,
        suggestedMonthlyCost: teamMembersPrice?.amount ?? null,
        monthlySavings: samePriceCurrency ? cents(price.amount - teamMembersPrice.amount) : null,
        currency: price?.currency ?? teamMembersPrice?.currency ?? null,
        evidence: {
          windowFrom: new Date(fromMs).toISOString(),
          windowTo: new Date(t).toISOString(),
          lastActivityAt: ctx.activity.stampOf(latest)!,
          lastBeyondTeamMembersAt: user.lastActivity.beyondTeamMembers,
        },
      });
    }
  }
  return items.sort((a, b) => (b.monthlySavings ?? 0) - (a.monthlySavings ?? 0) || compareText(a.userId, b.userId));
}
