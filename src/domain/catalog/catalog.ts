// Read API over the catalog data. Lookups are Maps built once at module load; every entry is frozen.

import { CATALOG_DATA } from './catalog.data';
import type { CatalogEntry, Price, PriceOverrides } from './catalog.types';
import { looksDynamicsOrPowerPlatform, type SkuIdentity } from './dynamics-scope';
import { MICROSOFT_SKUS } from './microsoft-skus';

// A generated SKU without a classification is left out (it then shows up as unrecognised, like any new
// Microsoft SKU) rather than failing at start-up; test/catalog fails the build for it instead.
const ENTRIES: readonly CatalogEntry[] = Object.freeze(
  MICROSOFT_SKUS.flatMap((sku): CatalogEntry[] => {
    if (!Object.hasOwn(CATALOG_DATA, sku.skuPartNumber)) return [];
    const classification = CATALOG_DATA[sku.skuPartNumber];
    return [
      Object.freeze({
        skuId: sku.skuId,
        skuPartNumber: sku.skuPartNumber,
        ...classification,
        activityTracked: classification.activityNeeded !== null,
      }),
    ];
  }),
);

const normaliseId = (skuId: string): string => skuId.trim().toLowerCase();
const normalisePartNumber = (partNumber: string): string => partNumber.trim().toUpperCase();

const BY_SKU_ID: ReadonlyMap<string, CatalogEntry> = new Map(ENTRIES.map((e) => [normaliseId(e.skuId), e]));
const BY_PART_NUMBER: ReadonlyMap<string, CatalogEntry> = new Map(
  ENTRIES.map((e) => [normalisePartNumber(e.skuPartNumber), e]),
);

export function catalogEntries(): readonly CatalogEntry[] {
  return ENTRIES;
}

/** The skuId (GUID) decides when given and known; otherwise the part number, compared case-insensitively. */
export function findCatalogEntry(key: {
  skuId?: string | null;
  skuPartNumber?: string | null;
}): CatalogEntry | undefined {
  const byId = key.skuId ? BY_SKU_ID.get(normaliseId(key.skuId)) : undefined;
  if (byId) return byId;
  return key.skuPartNumber ? BY_PART_NUMBER.get(normalisePartNumber(key.skuPartNumber)) : undefined;
}

/** True for a SKU the catalog knows, or one whose part number or service plans mark it (dynamics-scope.ts). */
export function isDynamicsOrPowerPlatform(sku: SkuIdentity & { skuId?: string | null }): boolean {
  return findCatalogEntry(sku) !== undefined || looksDynamicsOrPowerPlatform(sku);
}

/** A per-profile override (by the entry's skuPartNumber, as spelled in the catalog) wins, an explicit null too. */
export function effectiveListPrice(entry: CatalogEntry, overrides: PriceOverrides): Price | null {
  return overrides.has(entry.skuPartNumber) ? (overrides.get(entry.skuPartNumber) ?? null) : entry.listPrice;
}

/** The attach SKU a base app becomes on a user who holds a higher-priced base; undefined when none exists. */
export function attachEntryFor(entry: CatalogEntry): CatalogEntry | undefined {
  if (entry.licenseType === 'attach') return entry;
  return entry.attachSkuPartNumber ? BY_PART_NUMBER.get(normalisePartNumber(entry.attachSkuPartNumber)) : undefined;
}

/**
 * Price of the entry as an attach license: its attach SKU's effective price (overrides keyed by the attach
 * SKU's part number), or its own price when it already is an attach SKU; null when it has no attach form.
 */
export function attachPriceFor(entry: CatalogEntry, overrides: PriceOverrides): Price | null {
  const attachEntry = attachEntryFor(entry);
  return attachEntry ? effectiveListPrice(attachEntry, overrides) : null;
}
