import type { License, LicenseeState } from '../licensee/licensee.state';
import type { ExclusionRule } from '../profile/profile.decider';
import type { LedgerView } from './ledger-view';

type Licensee = Pick<LicenseeState, 'userId' | 'userPrincipalName'>;

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
export function isExcluded(view: Pick<LedgerView, 'exclusionRules'>): (user: Licensee, license: License) => boolean {
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

/**
 * The rule that keeps one subscription out of optimisation, or null: what a reclaim is
 * blocked by, named in its detail. Matches exactly as `isExcluded` does.
 */
export function exclusionRuleFor(
  rules: readonly ExclusionRule[],
  user: Licensee,
  license: Pick<License, 'skuId' | 'skuPartNumber'>,
): ExclusionRule | null {
  for (const rule of rules) {
    const one = exclusionsOf([rule]);
    const matches =
      rule.type === 'identifier'
        ? identifierExcluded(one, license.skuId, license.skuPartNumber)
        : userExcluded(one, user);
    if (matches) return rule;
  }
  return null;
}
