import type { AssignedVia } from '../licensee/licensee.events';
import type { LicenseeState as Licensee } from '../licensee/licensee.state';
import { ALL_APPS } from './activity';
import { exclusionsOf, userExcluded } from './exclusions';
import { compareText, subscriptionKey, type LedgerView } from './ledger-view';
import { assessUsage, newAssessment, usageContext } from './low-usage';
import { skuFactsOf } from './sku-facts';

export interface SubscriptionRow {
  readonly userId: string;
  readonly userPrincipalName: string;
  readonly skuId: string;
  readonly skuPartNumber: string;
  readonly assignedVia: AssignedVia;
  readonly groupIds: readonly string[];
  readonly assignedAt: string;
  /** Qualifying activity for a tracked license; the latest in any app for one without tracking; null if none. */
  readonly lastActivityAt: string | null;
  readonly lowUsage: boolean;
  readonly excluded: boolean;
}

export interface SubscriptionFilter {
  readonly userId?: string;
  /** Compared case-insensitively, as Graph and the catalog do not always agree on case. */
  readonly skuPartNumber?: string;
}

export function compareSubscriptionRows(a: SubscriptionRow, b: SubscriptionRow): number {
  return (
    compareText(a.userPrincipalName, b.userPrincipalName) ||
    compareText(a.userId, b.userId) ||
    compareText(a.skuPartNumber, b.skuPartNumber)
  );
}

export const subscriptionRowKey: (row: SubscriptionRow) => string = subscriptionKey;

/**
 * Every current software subscription as of T, unrecognised identifiers included (they are subscriptions
 * without a model), sorted by user principal name, user id and SKU.
 */
export function subscriptionRows(
  view: LedgerView,
  asOf: Date | string,
  filter: SubscriptionFilter = {},
): SubscriptionRow[] {
  const ctx = usageContext(view, asOf);
  const { activity } = ctx;
  const factsOf = skuFactsOf(view);
  const exclusions = exclusionsOf(view.exclusionRules);
  const usage = newAssessment();
  const wantedSku = filter.skuPartNumber?.toUpperCase();
  const rows: SubscriptionRow[] = [];

  const addUser = (user: Licensee): void => {
    if (user.licenses.size === 0) return;
    const wholeUserExcluded = userExcluded(exclusions, user);
    activity.load(user);
    for (const license of user.licenses.values()) {
      if (wantedSku !== undefined && license.skuPartNumber.toUpperCase() !== wantedSku) continue;
      const facts = factsOf(license.skuId, license.skuPartNumber);
      const excluded = wholeUserExcluded || facts.excludedByIdentifier;
      let lastActivityAt: string | null;
      let low = false;
      if (facts.apps === null) lastActivityAt = activity.stampOf(activity.latestApp(ALL_APPS));
      else {
        assessUsage(facts, facts.apps, license, ctx, usage);
        lastActivityAt = activity.stampOf(usage.app);
        low = !excluded && usage.lowUsage && usage.proven;
      }
      rows.push({
        userId: user.userId,
        userPrincipalName: user.userPrincipalName,
        skuId: license.skuId,
        skuPartNumber: license.skuPartNumber,
        assignedVia: license.assignedVia,
        groupIds: license.groupIds,
        assignedAt: license.assignedAt,
        lastActivityAt,
        lowUsage: low,
        excluded,
      });
    }
  };

  if (filter.userId !== undefined) {
    const user = view.subscriptions.users.get(filter.userId);
    if (user) addUser(user);
  } else for (const user of view.subscriptions.users.values()) addUser(user);
  return rows.sort(compareSubscriptionRows);
}
