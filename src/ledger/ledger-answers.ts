import { environmentsOf } from '../../projections/environments/environments.projection';
import {
  compareText,
  consolidation,
  coverageOf,
  downgradeAdvice,
  ledgerViewOf,
  licensePosition,
  licensePositionTotals,
  lowUsage,
  savingsFound,
  savingsRealised,
  subscriptionRows,
  type LedgerView,
  type LowUsageOptions,
  type ReclaimedLicense,
} from '../domain/conclusions';
import type { LedgerStates } from './asof-fold';

/**
 * What a question about one profile at one moment asks of the folded states. A question about
 * a past moment is answered where the fold runs (the as-of worker), so only its answer (a list
 * of rows, a few figures) crosses to the service's thread, never the tenant's read models.
 */
export type LedgerQuestion =
  | { readonly kind: 'low-usage'; readonly options: LowUsageOptions }
  | { readonly kind: 'downgrade-advice' }
  | { readonly kind: 'coverage' }
  | { readonly kind: 'subscriptions' }
  | { readonly kind: 'consolidation' }
  | { readonly kind: 'license-position' }
  | { readonly kind: 'savings'; readonly reclaimed: readonly ReclaimedLicense[]; readonly since: string | null };

/** A key that tells questions apart (the same key: the same answer at the same moment and position). */
export function questionKey(profileId: string, question: LedgerQuestion): string {
  switch (question.kind) {
    case 'low-usage':
      return `low-usage:${question.options.includeUnproven ? 'all' : 'proven'}:${question.options.inactivityDays ?? 'rules'}|${profileId}`;
    case 'savings':
      return `savings:${question.since ?? ''}:${JSON.stringify(question.reclaimed)}|${profileId}`;
    default:
      return `${question.kind}|${profileId}`;
  }
}

/** The answer to `question` from states folded to `asOf`: what LedgerQueries computes from the live read models. */
export function answerOf(states: LedgerStates, profileId: string, asOf: string, question: LedgerQuestion): unknown {
  const view = viewOf(states, profileId, new Date(asOf));
  switch (question.kind) {
    case 'low-usage':
      return lowUsage(view, asOf, question.options);
    case 'downgrade-advice':
      return downgradeAdvice(view, asOf);
    case 'coverage':
      return coverageItems(view, asOf);
    case 'subscriptions':
      return subscriptionRows(view, asOf);
    case 'consolidation':
      return consolidation(view);
    case 'license-position':
      return licensePosition(view, asOf);
    case 'savings':
      return {
        found: savingsFound(lowUsage(view, asOf), consolidation(view), downgradeAdvice(view, asOf)),
        realised: savingsRealised(view, [...question.reclaimed], question.since, asOf),
      };
  }
}

/** One point of a license-position series. */
export function seriesPointOf(states: LedgerStates, profileId: string, asOf: string, position: bigint | null) {
  const items = licensePosition(viewOf(states, profileId, new Date(asOf)), asOf);
  return { asOf, position: position?.toString() ?? null, totals: licensePositionTotals(items), items };
}

export function coverageItems(view: LedgerView, asOf: string) {
  return view.environments
    .map((e) => coverageOf(e, view.analyzeActivityFrom, asOf))
    .sort((a, b) => compareText(a.environmentUrl, b.environmentUrl));
}

/** One profile's ledger view in folded states; a profile not yet created there has an empty tenant. */
export function viewOf(states: LedgerStates, profileId: string, moment: Date): LedgerView {
  const profile = states.profiles.get(profileId);
  return ledgerViewOf(
    profile ?? { profileId, analyzeActivityFrom: moment.toISOString().slice(0, 10), exclusionRules: [] },
    profile ? states.subscriptions.get(profileId) : undefined,
    profile ? states.catalogs.catalogs.get(profileId) : undefined,
    profile ? environmentsOf(states.environments, profileId) : [],
  );
}
