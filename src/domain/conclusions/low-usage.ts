import type { GapReason } from '../environment/environment.events';
import type { ActivityApp } from '../licensee/licensee.events';
import type { License } from '../licensee/licensee.state';
import { isoTime } from '../../shared/time';
import { ActivityAsOf } from './activity';
import { CoverageCheck } from './coverage';
import { userExcluded, exclusionsOf } from './exclusions';
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
  /** Every environment's audit log covered the whole window: the inactivity is a fact, not a guess. */
  readonly proven: boolean;
  /** Why not, when not proven: the first gap found in the window. */
  readonly unprovenReason: GapReason | null;
}

/** How a tracked, non-excluded subscription is used as of T; one instance is reused across a whole pass. */
export interface UsageAssessment {
  /** Idle past an enabled rule's threshold, whether or not that is proven. */
  lowUsage: boolean;
  /** The audit log covered the whole window [T − threshold (or assignment, if later), T] in every environment. */
  proven: boolean;
  unprovenReason: GapReason | null;
  /** Qualifying activity at or before T within the rule's threshold. */
  active: boolean;
  /** The app of the last qualifying activity at or before T, or null. */
  app: ActivityApp | null;
  daysInactive: number;
}

export const newAssessment = (): UsageAssessment => ({
  lowUsage: false,
  proven: false,
  unprovenReason: null,
  active: false,
  app: null,
  daysInactive: 0,
});

/** Midnight UTC of the first audit day. */
export const analyzeFromOf = (view: LedgerView): number => timeOf(view.analyzeActivityFrom, 'analyzeActivityFrom');

/** What one pass over a profile needs, worked out once: T, the coverage, the SKU facts. */
export interface UsageContext {
  readonly activity: ActivityAsOf;
  readonly analyzeFromMs: number;
  readonly coverage: CoverageCheck;
}

export function usageContext(view: LedgerView, asOf: Date | string): UsageContext {
  const asOfMs = timeOf(asOf);
  return {
    activity: new ActivityAsOf(asOfMs),
    analyzeFromMs: analyzeFromOf(view),
    coverage: CoverageCheck.of(view.environments, view.analyzeActivityFrom, new Date(asOfMs).toISOString()),
  };
}

/**
 * Assesses a subscription whose SKU is tracked (`facts.apps` not null) for a user already loaded
 * into `ctx.activity`. The idle time runs from the latest of the last qualifying activity, the
 * assignment and analyzeActivityFrom: without activity since the assignment it is measured from
 * the assignment (DESIGN.md, "Low usage"), and audit rows were only ever read from
 * analyzeActivityFrom, so "unused since" cannot be claimed earlier. Low usage is proven only when every environment's audit log
 * covered the window [T − threshold, T] (or since assignment, if later) with no gap that breaks
 * proof for this license (DESIGN.md, "Coverage: inactivity must be proven").
 */
export function assessUsage(
  facts: SkuFacts,
  apps: readonly ActivityApp[],
  license: License,
  ctx: UsageContext,
  out: UsageAssessment,
): UsageAssessment {
  const { activity, analyzeFromMs } = ctx;
  const app = activity.latestApp(apps);
  const assignedMs = isoTime(license.assignedAt);
  // Idle time never runs from before the license was held: work done before it was assigned
  // (under another license, or before a re-assignment) says nothing about this one.
  let referenceMs = assignedMs > analyzeFromMs ? assignedMs : analyzeFromMs;
  if (app !== null && activity.timeOf(app) > referenceMs) referenceMs = activity.timeOf(app);
  const idleMs = activity.asOfMs - referenceMs;
  const thresholdMs = facts.thresholdDays * DAY_MS;
  out.app = app;
  out.daysInactive = Math.floor(idleMs / DAY_MS);
  out.lowUsage = facts.ruleEnabled && idleMs > thresholdMs;
  out.active = app !== null && activity.asOfMs - activity.timeOf(app) <= thresholdMs;
  out.unprovenReason = null;
  out.proven = false;
  if (out.lowUsage) {
    const windowFromMs = Math.max(activity.asOfMs - thresholdMs, assignedMs);
    out.unprovenReason = ctx.coverage.reason(windowFromMs, activity.asOfMs, facts.accessCounts);
    out.proven = out.unprovenReason === null;
  }
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

export interface LowUsageOptions {
  /** Also list candidates whose inactivity the audit log did not fully cover (each says why). */
  readonly includeUnproven?: boolean;
  /** What if every rule had this threshold: answered from the same history, changing nothing. */
  readonly inactivityDays?: number;
}

/**
 * Low-usage candidates for reclamation as of T: tracked, non-excluded subscriptions idle past an
 * enabled rule, whose inactivity is proven; with `includeUnproven`, also those that only look
 * inactive because the audit log has gaps.
 */
export function lowUsage(view: LedgerView, asOf: Date | string, options: LowUsageOptions = {}): LowUsageItem[] {
  const ctx = usageContext(view, asOf);
  const factsOf = skuFactsOf(view, { inactivityDays: options.inactivityDays });
  const exclusions = exclusionsOf(view.exclusionRules);
  const usage = newAssessment();
  const items: LowUsageItem[] = [];
  for (const user of view.subscriptions.users.values()) {
    if (user.licenses.size === 0 || userExcluded(exclusions, user)) continue;
    for (const license of user.licenses.values()) {
      const facts = factsOf(license.skuId, license.skuPartNumber);
      if (facts.apps === null || !facts.ruleEnabled || facts.excludedByIdentifier) continue;
      ctx.activity.load(user);
      if (!assessUsage(facts, facts.apps, license, ctx, usage).lowUsage) continue;
      if (!usage.proven && !options.includeUnproven) continue;
      items.push({
        userId: user.userId,
        userPrincipalName: user.userPrincipalName,
        skuId: license.skuId,
        skuPartNumber: license.skuPartNumber,
        lastActivityAt: ctx.activity.stampOf(usage.app),
        daysInactive: usage.daysInactive,
        thresholdDays: facts.thresholdDays,
        monthlyCost: facts.price?.amount ?? null,
        currency: facts.price?.currency ?? null,
        assignedAt: license.assignedAt,
        proven: usage.proven,
        unprovenReason: usage.unprovenReason,
      });
    }
  }
  return items.sort(compareLowUsage);
}
