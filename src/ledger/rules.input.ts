import type { ActivityBasis } from '../domain/catalog/catalog.types';

/** What a client sends to change rules, prices and entitlements; the HTTP DTOs implement these. */
export interface ReclamationRulePatch {
  readonly inactivityDays?: number;
  readonly enabled?: boolean;
  readonly notify?: boolean;
  readonly graceDays?: number;
  /** Which audited activity keeps a Sales or Customer Service license in use. */
  readonly activityBasis?: ActivityBasis;
}

export interface PriceOverrideInput {
  /** null: the SKU has no price for this profile. */
  readonly listPriceMonthly: number | null;
  readonly currency?: string;
  readonly source?: string;
}

export interface EntitlementInput {
  readonly purchased: number;
  readonly source?: string;
}
