// Types of the Dynamics 365 / Power Platform catalog: what each Microsoft SKU is, which activity proves it is
// used, what it becomes as an attach license, and what it costs (with the evidence for the price).

/**
 * Role of a SKU in Microsoft's base + attach model (reference/licensing.md section 1):
 * - `base`: a full-user application license that can be bought as the first, highest-priced license.
 * - `attach`: a further application for a user who already holds a qualifying base (`*_ATTACH*` SKUs).
 * - `addon`: capacity, storage, instances, portals, add-ins and other add-ons; never a base (rule R6).
 * - `other`: Team Members, Power Platform plans, trials, devices, tenant licenses, legacy suites.
 */
export type LicenseType = 'base' | 'attach' | 'addon' | 'other';

/**
 * Audit activity that shows a license is used (DESIGN.md "Rules the conclusions follow").
 * `salesOrCustomerService` is for bundles such as Sales and Customer Service Enterprise; `any` (Team Members)
 * also counts general activity; `null` means the license has no activity tracking and is never low usage.
 */
export type ActivityNeeded = 'sales' | 'customerService' | 'salesOrCustomerService' | 'any' | null;

/**
 * Which kind of activity a Dataverse audit row is (see audit-tables.ts): a write to the Sales or
 * Customer Service tables, to the tables both share (`common`), to any other table (`other`),
 * or a sign-in (`access`). `general` is what events recorded before this split carry: common
 * or access, which cannot be told apart any more.
 */
export type AuditApp = 'sales' | 'customerService' | 'common' | 'access' | 'other' | 'general';

/**
 * Which audited activity keeps a Sales or Customer Service license in use (a reclamation
 * rule's setting): the app's own tables, also the tables both apps share (the default), or
 * any activity, sign-ins included.
 */
export type ActivityBasis = 'app' | 'app-and-common' | 'any';

/** Microsoft's product families (reference/licensing.md section 3). */
export type ProductFamily =
  'customer-engagement' | 'finance-operations' | 'business-central' | 'power-platform' | 'other';

/**
 * A list price in USD per user (or per unit) per month on annual commitment, with its evidence.
 * `asOf` is the ISO 8601 date of the source: `YYYY-MM-DD`, or the reduced precision `YYYY-MM` / `YYYY`
 * when the source itself is dated only to the month or year (inventing a day would overstate what is known).
 */
export interface Price {
  readonly amount: number;
  readonly currency: 'USD';
  /** URL or citation of the source, with any caveat about its date or reliability. */
  readonly source: string;
  readonly asOf: string;
}

export interface CatalogEntry {
  readonly skuId: string;
  readonly skuPartNumber: string;
  /** Readable product name (Microsoft's display names are sometimes internal, e.g. "UNF OPS Plan"). */
  readonly name: string;
  readonly licenseType: LicenseType;
  readonly family: ProductFamily;
  readonly activityNeeded: ActivityNeeded;
  /** True exactly when `activityNeeded` is not null: the apps whose last activity is tracked. */
  readonly activityTracked: boolean;
  /** For a base app: the SKU it becomes when attached to another base; null when no attach SKU exists. */
  readonly attachSkuPartNumber: string | null;
  readonly listPrice: Price | null;
  readonly isTrial: boolean;
  readonly isGovernment: boolean;
}

/** What catalog.data.ts records per SKU; identity comes from MICROSOFT_SKUS, `activityTracked` is derived. */
export type SkuClassification = Omit<CatalogEntry, 'skuId' | 'skuPartNumber' | 'activityTracked'>;

/** Per-profile price overrides by skuPartNumber; an explicit null means "no price" and also wins. */
export type PriceOverrides = ReadonlyMap<string, Price | null>;
