import {
  attachEntryFor,
  attachPriceFor,
  catalogEntries,
  effectiveListPrice,
  findCatalogEntry,
  isDynamicsOrPowerPlatform,
} from '../../src/domain/catalog/catalog';
import type { CatalogEntry, Price } from '../../src/domain/catalog/catalog.types';

const entry = (skuPartNumber: string): CatalogEntry => {
  const found = findCatalogEntry({ skuPartNumber });
  if (!found) throw new Error(`not in catalog: ${skuPartNumber}`);
  return found;
};
const price = (amount: number): Price => ({
  amount,
  currency: 'USD',
  source: 'negotiated EA, contract 42',
  asOf: '2026-05-01',
});
const NO_OVERRIDES = new Map<string, Price | null>();

describe('findCatalogEntry', () => {
  const salesEnterprise = entry('DYN365_ENTERPRISE_SALES');

  it('finds by skuId, case-insensitively', () => {
    expect(findCatalogEntry({ skuId: '1e1a282c-9c54-43a2-9310-98ef728faace' })).toBe(salesEnterprise);
    expect(findCatalogEntry({ skuId: '1E1A282C-9C54-43A2-9310-98EF728FAACE' })).toBe(salesEnterprise);
  });

  it('prefers the skuId over the part number', () => {
    expect(findCatalogEntry({ skuId: salesEnterprise.skuId, skuPartNumber: 'D365_SALES_PRO' })).toBe(salesEnterprise);
  });

  it('falls back to the part number, case-insensitively, when the skuId is unknown or absent', () => {
    expect(
      findCatalogEntry({ skuId: '00000000-0000-0000-0000-000000000000', skuPartNumber: 'dyn365_enterprise_sales' }),
    ).toBe(salesEnterprise);
    expect(findCatalogEntry({ skuPartNumber: ' Dynamics_365_Multi_App_ ' })?.skuPartNumber).toBe(
      'Dynamics_365_Multi_app_',
    );
  });

  it('returns undefined for unknown SKUs and prototype names', () => {
    expect(findCatalogEntry({ skuPartNumber: 'ENTERPRISEPACK' })).toBeUndefined();
    expect(findCatalogEntry({ skuPartNumber: 'constructor' })).toBeUndefined();
    expect(findCatalogEntry({})).toBeUndefined();
  });

  it('lists all entries', () => {
    expect(catalogEntries()).toHaveLength(196);
  });
});

describe('isDynamicsOrPowerPlatform', () => {
  it('is true for SKUs the catalog knows, even without plans', () => {
    expect(isDynamicsOrPowerPlatform({ skuPartNumber: 'DYN365_ENTERPRISE_SALES', servicePlanNames: [] })).toBe(true);
    expect(isDynamicsOrPowerPlatform({ skuPartNumber: 'Microsoft_Copilot_for_Sales' })).toBe(true);
    expect(
      isDynamicsOrPowerPlatform({ skuPartNumber: 'whatever', skuId: 'b30411f5-fea1-4a59-9ad9-3db7c7ead579' }),
    ).toBe(true);
  });

  it('is true for an unknown SKU whose part number names Dynamics 365 or Power Platform', () => {
    expect(
      isDynamicsOrPowerPlatform({ skuPartNumber: 'DYN365_SALES_AGENT_2027', servicePlanNames: ['DYN365_SALES_AGENT'] }),
    ).toBe(true);
    for (const skuPartNumber of [
      'D365_CONTACT_CENTER_2027',
      'Dynamics_365_Something_New',
      'POWERAUTOMATE_HOSTED_RPA',
      'Power_Apps_New_Plan',
      'POWER_PAGES_ANON',
      'FLOW_HOSTED',
      'CDS_API_CAPACITY',
      'VIRTUAL_AGENT_PAYG',
      'CRM_NEW_ADDON',
      'Power Pages authenticated users T4_CN_CN',
    ])
      expect([skuPartNumber, isDynamicsOrPowerPlatform({ skuPartNumber })]).toEqual([skuPartNumber, true]);
  });

  it('is true for an opaque part number that carries a dedicated Dynamics plan and no suite plan', () => {
    expect(
      isDynamicsOrPowerPlatform({
        skuPartNumber: 'CONTOSO_BUNDLE_X',
        servicePlanNames: ['DYN365_ENTERPRISE_SALES', 'SHAREPOINTWAC', 'PROJECT_ESSENTIALS', 'EXCHANGE_S_FOUNDATION'],
      }),
    ).toBe(true);
  });

  it('is false for Office suites even though they carry Power Apps and Flow plans', () => {
    const e3Plans = ['EXCHANGE_S_ENTERPRISE', 'SHAREPOINTENTERPRISE', 'POWERAPPS_O365_P2', 'FLOW_O365_P2'];
    expect(isDynamicsOrPowerPlatform({ skuPartNumber: 'ENTERPRISEPACK', servicePlanNames: e3Plans })).toBe(false);
    expect(
      isDynamicsOrPowerPlatform({
        skuPartNumber: 'SPE_E5',
        servicePlanNames: [...e3Plans, 'DYN365_CDS_O365_P3', 'POWER_VIRTUAL_AGENTS_O365_P3'],
      }),
    ).toBe(false);
    expect(isDynamicsOrPowerPlatform({ skuPartNumber: 'EMS', servicePlanNames: ['AAD_PREMIUM', 'INTUNE_A'] })).toBe(
      false,
    );
    expect(
      isDynamicsOrPowerPlatform({ skuPartNumber: 'AAD_PREMIUM', servicePlanNames: ['AAD_PREMIUM', 'MFA_PREMIUM'] }),
    ).toBe(false);
  });

  it('is false for an unknown suite recognised by its plans alone', () => {
    // Mailbox-anchored suite with seeded Power Platform rights.
    expect(
      isDynamicsOrPowerPlatform({
        skuPartNumber: 'CONTOSO_SUITE',
        servicePlanNames: ['EXCHANGE_S_STANDARD', 'POWERAPPS_O365_P1', 'FLOW_O365_P1'],
      }),
    ).toBe(false);
    // Dynamics plans in a mailbox-anchored suite still do not make it a Dynamics product.
    expect(
      isDynamicsOrPowerPlatform({
        skuPartNumber: 'CONTOSO_SUITE',
        servicePlanNames: ['EXCHANGE_S_ENTERPRISE', 'DYN365_ENTERPRISE_SALES'],
      }),
    ).toBe(false);
    // Project plans carry Dataverse and Flow use rights for Project only.
    expect(
      isDynamicsOrPowerPlatform({
        skuPartNumber: 'PROJECTPROFESSIONAL',
        servicePlanNames: ['PROJECT_PROFESSIONAL', 'FLOW_FOR_PROJECT', 'DYN365_CDS_PROJECT'],
      }),
    ).toBe(false);
    expect(
      isDynamicsOrPowerPlatform({
        skuPartNumber: 'CONTOSO_PROJECT',
        servicePlanNames: ['FLOW_FOR_PROJECT', 'DYN365_CDS_PROJECT'],
      }),
    ).toBe(false);
    // Business Apps (free) carries Microsoft Invoicing, a plan seeded into Microsoft 365 Business.
    expect(
      isDynamicsOrPowerPlatform({
        skuPartNumber: 'SMB_APPS',
        servicePlanNames: ['DYN365BC_MS_INVOICING', 'MICROSOFTBOOKINGS'],
      }),
    ).toBe(false);
    expect(isDynamicsOrPowerPlatform({ skuPartNumber: 'POWER_BI_PRO', servicePlanNames: ['BI_AZURE_P2'] })).toBe(false);
    expect(isDynamicsOrPowerPlatform({ skuPartNumber: 'UNKNOWN_THING' })).toBe(false);
  });
});

describe('prices and overrides', () => {
  const salesEnterprise = entry('DYN365_ENTERPRISE_SALES');

  it('uses the catalog list price without an override', () => {
    expect(effectiveListPrice(salesEnterprise, NO_OVERRIDES)).toBe(salesEnterprise.listPrice);
  });

  it('lets a per-profile override win, including an explicit null', () => {
    expect(effectiveListPrice(salesEnterprise, new Map([['DYN365_ENTERPRISE_SALES', price(88)]]))?.amount).toBe(88);
    expect(effectiveListPrice(salesEnterprise, new Map([['DYN365_ENTERPRISE_SALES', null]]))).toBeNull();
    expect(
      effectiveListPrice(
        entry('DYN365_ENTERPRISE_RELATIONSHIP_SALES'),
        new Map([['DYN365_ENTERPRISE_RELATIONSHIP_SALES', price(162)]]),
      )?.amount,
    ).toBe(162);
  });

  it('ignores overrides for other SKUs', () => {
    expect(effectiveListPrice(salesEnterprise, new Map([['D365_SALES_PRO', price(1)]]))).toBe(
      salesEnterprise.listPrice,
    );
  });

  it('prices a base app as its attach SKU, overridable by the attach SKU part number', () => {
    expect(attachEntryFor(salesEnterprise)?.skuPartNumber).toBe('D365_SALES_ENT_ATTACH');
    expect(attachPriceFor(salesEnterprise, NO_OVERRIDES)?.amount).toBe(20);
    expect(attachPriceFor(salesEnterprise, new Map([['D365_SALES_ENT_ATTACH', price(25)]]))?.amount).toBe(25);
    expect(attachPriceFor(salesEnterprise, new Map([['D365_SALES_ENT_ATTACH', null]]))).toBeNull();
    expect(attachPriceFor(salesEnterprise, new Map([['DYN365_ENTERPRISE_SALES', price(1)]]))?.amount).toBe(20);
    expect(attachPriceFor(entry('DYN365_FINANCE'), NO_OVERRIDES)?.amount).toBe(30);
  });

  it('has no attach price for apps without an attach SKU, and its own price for an attach SKU', () => {
    expect(attachEntryFor(entry('DYN365_RETAIL'))).toBeUndefined();
    expect(attachPriceFor(entry('DYN365_RETAIL'), NO_OVERRIDES)).toBeNull();
    expect(attachPriceFor(entry('DYN365_TEAM_MEMBERS'), NO_OVERRIDES)).toBeNull();
    expect(attachPriceFor(entry('D365_FIELD_SERVICE_ATTACH'), NO_OVERRIDES)?.amount).toBe(20);
    // The Sales Professional attach SKU exists but no dated public price was found for it.
    expect(attachPriceFor(entry('D365_SALES_PRO'), NO_OVERRIDES)).toBeNull();
  });
});
