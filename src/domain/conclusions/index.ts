// The conclusions the ledger draws from its read models: pure functions of a LedgerView (and a moment T).
export { isoTime } from '../../shared/time';
export {
  compareText,
  DAY_MS,
  effectivePrice,
  ledgerViewOf,
  subscriptionKey,
  timeOf,
  type LedgerView,
  type Money,
} from './ledger-view';
export {
  exclusionRuleFor,
  exclusionsOf,
  identifierExcluded,
  isExcluded,
  userExcluded,
  type Exclusions,
} from './exclusions';
export { ActivityAsOf, ALL_APPS, appsCountingFor, qualifyingActivitySince } from './activity';
export { DEFAULT_INACTIVITY_DAYS } from '../defaults';
export { reclamationRulesByPartNumber, skuFactsOf, type SkuFacts, type SkuFactsOf } from './sku-facts';
export { compareLowUsage, lowUsage, lowUsageKey, type LowUsageItem, type LowUsageOptions } from './low-usage';
export {
  compareSubscriptionRows,
  subscriptionRowKey,
  subscriptionRows,
  type SubscriptionFilter,
  type SubscriptionRow,
} from './subscriptions.view';
export { consolidation, consolidationTotals, type ConsolidationItem, type ConsolidationTotals } from './consolidation';
export {
  licensePosition,
  licensePositionTotals,
  type Compliance,
  type LicensePositionRow,
  type LicensePositionTotals,
} from './license-position';
export { unrecognizedIdentifiers, type UnrecognizedIdentifierItem } from './unrecognized';
export { downgradeAdvice, type DowngradeAdvice } from './downgrade';
export { awaitingRead, CoverageCheck, coverageOf, unprovenReason, type EnvironmentCoverage } from './coverage';
export {
  savingsFound,
  savingsRealised,
  type ReclaimedLicense,
  type SavingsFound,
  type SavingsRealised,
} from './savings';
