import { MICROSOFT_SKUS } from '../domain/catalog/microsoft-skus';
import { SERVICE_PLANS } from './sku-catalog.data';

/** What a SKU is for the sandbox's generator; the product must work this out itself from its catalog. */
export type SkuFamily = 'dynamics' | 'power' | 'office' | 'unlisted';

export interface SandboxServicePlan {
  readonly servicePlanId: string;
  readonly servicePlanName: string;
  /** Graph reports tenant-wide plans such as EXCHANGE_S_FOUNDATION with appliesTo "Company". */
  readonly appliesTo: 'User' | 'Company';
}

export interface SandboxSku {
  readonly skuId: string;
  readonly skuPartNumber: string;
  readonly family: SkuFamily;
  readonly servicePlans: readonly SandboxServicePlan[];
}

/** Office suites are not in the Dynamics/Power list, so their well-known ids are spelled out here. */
const OFFICE_SKU_IDS: Readonly<Record<string, string>> = {
  ENTERPRISEPACK: '6fd2c87f-b296-42f0-b197-1e91e994b900',
  SPE_E5: '06ebc4ee-1bb5-47dd-8120-11324bc54e06',
};

/** A Dynamics SKU Microsoft's list does not contain: the product must list it as unrecognised, not drop it. */
export const UNLISTED_SKU_PART_NUMBER = 'DYN365_SALES_AGENT_2027';
export const UNLISTED_SKU_ID = '5a1e5a9e-2027-4d65-9a6e-a9e27c0d2027';

const COMPANY_PLANS = new Set(['EXCHANGE_S_FOUNDATION']);

const FAMILIES: ReadonlyArray<readonly [string, SkuFamily]> = [
  ['DYN365_ENTERPRISE_SALES', 'dynamics'],
  ['D365_SALES_PRO', 'dynamics'],
  ['DYN365_SALES_PREMIUM', 'dynamics'],
  ['DYN365_ENTERPRISE_RELATIONSHIP_SALES', 'dynamics'],
  ['DYN365_ENTERPRISE_CUSTOMER_SERVICE', 'dynamics'],
  ['DYN365_CUSTOMER_SERVICE_PRO', 'dynamics'],
  ['DYN365_ENTERPRISE_SALES_CUSTOMERSERVICE', 'dynamics'],
  ['DYN365_ENTERPRISE_FIELD_SERVICE', 'dynamics'],
  ['DYN365_TEAM_MEMBERS', 'dynamics'],
  ['DYN365_FINANCE', 'dynamics'],
  ['DYN365_SCM', 'dynamics'],
  ['DYN365_RETAIL', 'dynamics'],
  ['DYN365_PROJECT_OPERATIONS', 'dynamics'],
  ['D365_SALES_ENT_ATTACH', 'dynamics'],
  ['D365_CUSTOMER_SERVICE_ENT_ATTACH', 'dynamics'],
  ['DYN365_SCM_ATTACH', 'dynamics'],
  ['POWERAPPS_PER_USER', 'power'],
  ['FLOW_PER_USER', 'power'],
  ['ENTERPRISEPACK', 'office'],
  ['SPE_E5', 'office'],
  [UNLISTED_SKU_PART_NUMBER, 'unlisted'],
];

function skuIdFor(partNumber: string, family: SkuFamily): string {
  if (family === 'office') return OFFICE_SKU_IDS[partNumber]!;
  if (family === 'unlisted') return UNLISTED_SKU_ID;
  const listed = MICROSOFT_SKUS.find((sku) => sku.skuPartNumber === partNumber);
  if (!listed) throw new Error(`Sandbox SKU ${partNumber} is missing from MICROSOFT_SKUS`);
  return listed.skuId;
}

export const SANDBOX_SKUS: readonly SandboxSku[] = FAMILIES.map(([skuPartNumber, family]) => ({
  skuId: skuIdFor(skuPartNumber, family),
  skuPartNumber,
  family,
  servicePlans: (SERVICE_PLANS[skuPartNumber] ?? []).map(([servicePlanName, servicePlanId]) => ({
    servicePlanId,
    servicePlanName,
    appliesTo: COMPANY_PLANS.has(servicePlanName) ? ('Company' as const) : ('User' as const),
  })),
}));

const BY_PART_NUMBER = new Map(SANDBOX_SKUS.map((sku) => [sku.skuPartNumber, sku]));

export function skuByPartNumber(partNumber: string): SandboxSku {
  const sku = BY_PART_NUMBER.get(partNumber);
  if (!sku) throw new Error(`Unknown sandbox SKU ${partNumber}`);
  return sku;
}

const BY_ID = new Map(SANDBOX_SKUS.map((sku) => [sku.skuId.toLowerCase(), sku]));

export function skuById(skuId: string): SandboxSku | undefined {
  return BY_ID.get(skuId.toLowerCase());
}

/**
 * A tenant-level SKU (Graph `appliesTo: "Company"`): Dataverse database capacity is bought for the
 * tenant, never assigned to a user. Its service plans are left out: the committed CSV copy lacks them.
 */
export const COMPANY_SKU: SandboxSku = {
  skuId: skuIdFor('CDS_DB_CAPACITY', 'power'),
  skuPartNumber: 'CDS_DB_CAPACITY',
  family: 'power',
  servicePlans: [],
};
