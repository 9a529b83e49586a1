import type { ActivityBasis } from './catalog/catalog.types';

/**
 * The ledger's defaults, each defined once. Sources: the product brief (a reclamation rule
 * per tracked model, 60 days of inactivity) and DESIGN.md.
 */

/** Days without qualifying activity after which a tracked subscription is low usage. */
export const DEFAULT_INACTIVITY_DAYS = 60;

/** Days a notified user has to object before a low-usage license is reclaimed. */
export const DEFAULT_GRACE_DAYS = 14;

/** Which activity keeps a Sales or Customer Service license in use: also the tables both apps share. */
export const DEFAULT_ACTIVITY_BASIS: ActivityBasis = 'app-and-common';

/**
 * How old an environment's last audit read may be before the time since counts as a
 * `not-connected` gap: the refresh runs daily, so a read within two days still covers "now".
 */
export const PULL_FRESHNESS_HOURS = 48;

/** Dataverse writes user-access rows at most once per interval; 4 hours unless the environment says otherwise. */
export const DEFAULT_USER_ACCESS_AUDITING_INTERVAL_HOURS = 4;
