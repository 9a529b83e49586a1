/**
 * The ledger's defaults, each defined once. Sources: the product brief (a reclamation rule
 * per tracked model, 60 days of inactivity) and DESIGN.md.
 */

/** Days without qualifying activity after which a tracked subscription is low usage. */
export const DEFAULT_INACTIVITY_DAYS = 60;

/** Days a notified user has to object before a low-usage license is reclaimed. */
export const DEFAULT_GRACE_DAYS = 14;
