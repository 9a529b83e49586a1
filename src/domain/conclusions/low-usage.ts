import type { ActivityApp } from '../licensee/licensee.events';
import type { License } from '../licensee/licensee.state';
import { ActivityAsOf } from './activity';
import { userExcluded, exclusionsOf } from './exclusions';
import { isoTime } from '../../shared/time';
import { compareText, DAY_MS, subscriptionKey, timeOf, type LedgerView } from './ledger-view';
import { skuFactsOf, type SkuFacts } from './sku-facts';

export interface LowUsageItem {
  readonly userId: string;
  readonly userPrincipalName: string;
  readonly skuId: string;
  readonly skuPartNumber: string;
  /** The last activity that counts for this license, at or before T; null when none was seen. */
  readonly lastActivityAt: string | null;
  readonly daysInactive: number;
  readonly thresholdDays: number;
  readonly monthlyCost: number | null;
  readonly currency: string | null;
  readonly assignedAt: string;
}

/** How a tracked, non-excluded subscription is used as of T; one instance is reused across a whole pass. */
export interface UsageAssessment {
  lowUsage: boolean;
  /** Qualifying activity at or before T within the rule's threshold. */
  active: boolean;
  /** The app of the last qualifying activity at or before T, or null. */
  app: ActivityApp | null;
  daysInactive: number;
}

export const newAssessment = (): UsageAssessment => ({ lowUsage: false, active: false, app: null, daysInactive: 0 });

/** Midnight UTC of the first audit day. */
export const analyzeFromOf = (view: LedgerView): number => timeOf(view.analyzeActivityFrom, 'analyzeActivityFrom');

/**
 * Assesses a subscription whose SKU is tracked (`facts.apps` not null) for a user already loaded into
 * `activity`. Without qualifying activity the idle time runs from assignment, but never from before
 * analyzeActivityFrom: audit rows were only ever read from that day, so "unused since" cannot be claimed earlier.
 */
export function assessUsage(
  facts: SkuFacts,
  apps: readonly ActivityApp[],
  license: License,
  activity: ActivityAsOf,
  analyzeFromMs: number,
  out: UsageAssessment,
): UsageAssessment {
  const app = activity.latestApp(apps);
  let referenceMs: number;
  if (app !== null) referenceMs = activity.timeOf(app);
  else {
    const assignedMs = isoTime(license.assignedAt);
    referenceMs = assignedMs > analyzeFromMs ? assignedMs : analyzeFromMs;
  }
  const idleMs = activity.asOfMs - referenceMs;
  const thresholdMs = facts.thresholdDays * DAY_MS;
  out.app = app;
  out.daysInactive = Math.floor(idleMs / DAY_MS);
  out.lowUsage = facts.ruleEnabled && idleMs > thresholdMs;
  out.active = app !== null && idleMs <= thresholdMs;
  return out;
}

/** Most overdue first, then by user and SKU so that pages never shift between identical calls. */
export function compareLowUsage(a: LowUsageItem, b: LowUsageItem): number {
  return (
    b.daysInactive - b.thresholdDays - (a.daysInactive - a.thresholdDays) ||
    compareText(a.userId, b.userId) ||
    compareText(a.skuPartNumber, b.skuPartNumber)
  );
}

export const lowUsageKey: (item: LowUsageItem) => string = subscriptionKey;

/** Low-usage candidates for reclamation as of T: tracked, non-excluded subscriptions idle past an enabled rule. */
export function lowUsage(view: LedgerView, asOf: Date | string): LowUsageItem[] {
  const activity = new ActivityAsOf(timeOf(asOf));
  const analyzeFromMs = analyzeFromOf(view);
  const factsOf = skuFactsOf(view);
  const exclusions = exclusionsOf(view.exclusionRules);
  const usage = newAssessment();
  const items: LowUsageItem[] = [];
  for (const user of view.subscriptions.users.values()) {
    if (user.licenses.size === 0 || userExcluded(exclusions, user)) continue;
    for (const license of user.licenses.values()) {
      const facts = factsOf(license.skuId, license.skuPartNumber);
      if (facts.apps === null || !facts.ruleEnabled || facts.excludedByIdentifier) continue;
      if (!assessUsage(facts, facts.apps, license, activity.load(user), analyzeFromMs, usage).lowUsage) continue;
      items.push({
        userId: user.userId,
        userPrincipalName: user.userPrincipalName,
        skuId: license.skuId,
        skuPartNumber: license.skuPartNumber,
        lastActivityAt: activity.stampOf(usage.app),
        daysInactive: usage.daysInactive,
        thresholdDays: facts.thresholdDays,
        monthlyCost: facts.price?.amount ?? null,
        currency: facts.price?.currency ?? null,
        assignedAt: license.assignedAt,
      });
    }
  }
  return items.sort(compareLowUsage);
}
