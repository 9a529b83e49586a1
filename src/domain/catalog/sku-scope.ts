import { findCatalogEntry, isDynamicsOrPowerPlatform } from './catalog';
import type { CatalogEntry } from './catalog.types';

/** A SKU as Graph's subscribedSkus describes it, reduced to what the ledger needs. */
export interface SubscribedSku {
  readonly skuId: string;
  readonly skuPartNumber: string;
  /** `User` for SKUs assigned to people; `Company` for tenant-wide capacity (never a subscription). */
  readonly appliesTo: string;
  readonly capabilityStatus: string;
  readonly prepaidUnits: {
    readonly enabled: number;
    readonly warning: number;
    readonly suspended: number;
    readonly lockedOut?: number;
  };
  readonly servicePlanNames: readonly string[];
}

/** How the ledger treats one SKU the tenant holds. */
export interface SkuInScope {
  /** The catalog's spelling when it knows the SKU, else Graph's. */
  readonly skuPartNumber: string;
  /** Undefined for a Dynamics / Power SKU the catalog does not know (an unrecognised identifier). */
  readonly entry: CatalogEntry | undefined;
}

/**
 * Which of the tenant's SKUs the ledger tracks: one the catalog knows, or one whose name or
 * plans mark it as Dynamics 365 / Power Platform (Office suites stay out even though they
 * carry Power Apps plans). A SKU assigned to a user but missing from subscribedSkus can
 * only be vouched for by the catalog. Look-ups are by lower-cased skuId and memoised: a
 * tenant has a few dozen SKUs across hundreds of thousands of licenses.
 */
export class SkuScope {
  private readonly known = new Map<string, SkuInScope | undefined>();

  constructor(skus: readonly SubscribedSku[]) {
    for (const sku of skus) {
      const entry = findCatalogEntry({ skuId: sku.skuId, skuPartNumber: sku.skuPartNumber });
      const inScope =
        entry !== undefined ||
        isDynamicsOrPowerPlatform({
          skuId: sku.skuId,
          skuPartNumber: sku.skuPartNumber,
          servicePlanNames: sku.servicePlanNames,
        });
      this.known.set(
        sku.skuId.toLowerCase(),
        inScope ? { skuPartNumber: entry?.skuPartNumber ?? sku.skuPartNumber, entry } : undefined,
      );
    }
  }

  /** The SKU's scope, or undefined when the ledger does not track it. */
  of(skuId: string): SkuInScope | undefined {
    const key = skuId.toLowerCase();
    if (this.known.has(key)) return this.known.get(key);
    const entry = findCatalogEntry({ skuId: key });
    const scope = entry ? { skuPartNumber: entry.skuPartNumber, entry } : undefined;
    this.known.set(key, scope);
    return scope;
  }
}
