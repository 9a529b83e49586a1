import type { ExclusionRule } from '../../src/domain/profile/profile.decider';
import type { License, Licensee } from '../subscriptions/subscriptions.projection';
import type { LedgerView } from './ledger-view';

/** Exclusion rule values, lower-cased once per call so that matching a subscription is two set lookups. */
export interface Exclusions {
  /** skuPartNumbers and skuIds. */
  readonly identifiers: ReadonlySet<string>;
  /** User ids and user principal names. */
  readonly users: ReadonlySet<string>;
}

export function exclusionsOf(rules: readonly ExclusionRule[]): Exclusions {
  const identifiers = new Set<string>();
  const users = new Set<string>();
  for (const rule of rules) (rule.type === 'identifier' ? identifiers : users).add(rule.value.trim().toLowerCase());
  return { identifiers, users };
}

export function identifierExcluded(exclusions: Exclusions, skuId: string, skuPartNumber: string): boolean {
  const { identifiers } = exclusions;
  return identifiers.size > 0 && (identifiers.has(skuPartNumber.toLowerCase()) || identifiers.has(skuId.toLowerCase()));
}

export function userExcluded(exclusions: Exclusions, user: Licensee): boolean {
  const { users } = exclusions;
  return users.size > 0 && (users.has(user.userId.toLowerCase()) || users.has(user.userPrincipalName.toLowerCase()));
}

/**
 * Whether a subscription is kept out of cost and optimisation (low usage, consolidation, monthly cost); it still
 * counts as assigned, because an excluded subscription still consumes a purchased unit.
 */
export function isExcluded(view: LedgerView): (user: Licensee, license: License) => boolean {
  const exclusions = exclusionsOf(view.exclusionRules);
  const bySkuId = new Map<string, boolean>();
  // Callers walk a user's licenses together, so remembering the last user saves re-lower-casing its names.
  let lastUser: Licensee | undefined;
  let lastUserExcluded = false;
  return (user, license) => {
    if (user !== lastUser) {
      lastUser = user;
      lastUserExcluded = userExcluded(exclusions, user);
    }
    if (lastUserExcluded) return true;
    let excluded = bySkuId.get(license.skuId);
    if (excluded === undefined) {
      excluded = identifierExcluded(exclusions, license.skuId, license.skuPartNumber);
      bySkuId.set(license.skuId, excluded);
    }
    return excluded;
  };
}
