import { catalogEntries, findCatalogEntry } from '../../src/domain/catalog/catalog';
import { CATALOG_DATA } from '../../src/domain/catalog/catalog.data';
import { MICROSOFT_SKUS } from '../../src/domain/catalog/microsoft-skus';

const entries = catalogEntries();
const partNumbers = (filter: (e: (typeof entries)[number]) => boolean) =>
  entries
    .filter(filter)
    .map((e) => e.skuPartNumber)
    .sort();

describe('catalog data', () => {
  it('classifies every Microsoft SKU exactly once, and nothing else', () => {
    const skus = MICROSOFT_SKUS.map((s) => s.skuPartNumber).sort();
    expect(Object.keys(CATALOG_DATA).sort()).toEqual(skus);
    expect(entries.map((e) => e.skuPartNumber).sort()).toEqual(skus);
    expect(new Set(skus.map((s) => s.toUpperCase())).size).toBe(MICROSOFT_SKUS.length);
    expect(new Set(entries.map((e) => e.skuId.toLowerCase())).size).toBe(MICROSOFT_SKUS.length);
  });

  it('tracks activity exactly for the apps the brief lists', () => {
    expect(partNumbers((e) => e.activityTracked)).toEqual(
      [
        // Dynamics 365 for Sales (Professional, Premium, Enterprise)
        'D365_SALES_PRO',
        'DYN365_SALES_PREMIUM',
        'DYN365_ENTERPRISE_SALES',
        // Customer Service Professional, Enterprise, Enterprise for Government, Professional Attach,
        // Sales and Customer Service Enterprise
        'DYN365_CUSTOMER_SERVICE_PRO',
        'DYN365_ENTERPRISE_CUSTOMER_SERVICE',
        'D365_ENTERPRISE_CUSTOMER_SERVICE_GOV',
        'DYN365_ENTERPRISE_CUSTOMER_SERVICE_GOV',
        'D365_CUSTOMER_SERVICE_PRO_ATTACH',
        'DYN365_ENTERPRISE_SALES_CUSTOMERSERVICE',
        // Team Members
        'DYN365_TEAM_MEMBERS',
        'DYN365_ENTERPRISE_TEAM_MEMBERS',
        // Microsoft Relationship Sales
        'DYN365_ENTERPRISE_RELATIONSHIP_SALES',
      ].sort(),
    );
  });

  it('derives activityTracked from activityNeeded and gives each tracked app the activity it needs', () => {
    for (const e of entries) expect(e.activityTracked).toBe(e.activityNeeded !== null);
    const needed = (pn: string) => findCatalogEntry({ skuPartNumber: pn })?.activityNeeded;
    expect(needed('D365_SALES_PRO')).toBe('sales');
    expect(needed('DYN365_ENTERPRISE_SALES')).toBe('sales');
    expect(needed('DYN365_SALES_PREMIUM')).toBe('sales');
    expect(needed('DYN365_ENTERPRISE_RELATIONSHIP_SALES')).toBe('sales');
    expect(needed('DYN365_CUSTOMER_SERVICE_PRO')).toBe('customerService');
    expect(needed('D365_CUSTOMER_SERVICE_PRO_ATTACH')).toBe('customerService');
    expect(needed('DYN365_ENTERPRISE_CUSTOMER_SERVICE_GOV')).toBe('customerService');
    expect(needed('DYN365_ENTERPRISE_SALES_CUSTOMERSERVICE')).toBe('salesOrCustomerService');
    expect(needed('DYN365_TEAM_MEMBERS')).toBe('any');
    for (const untracked of [
      'DYN365_FINANCE',
      'DYN365_SCM',
      'DYN365_RETAIL',
      'DYN365_ENTERPRISE_FIELD_SERVICE',
      'POWERAPPS_PER_USER',
      'CDS_DB_CAPACITY',
    ])
      expect(needed(untracked)).toBeNull();
  });

  it('tracks no trial', () => {
    expect(partNumbers((e) => e.isTrial && e.activityTracked)).toEqual([]);
  });

  it('points every attachSkuPartNumber of a base app at an existing attach entry', () => {
    for (const e of entries) {
      if (e.attachSkuPartNumber === null) continue;
      expect(e.licenseType).toBe('base');
      const target = CATALOG_DATA[e.attachSkuPartNumber];
      expect(target).toBeDefined();
      expect(target?.licenseType).toBe('attach');
      expect(target?.family).toBe(e.family);
    }
    const pairs = Object.fromEntries(
      entries.filter((e) => e.attachSkuPartNumber).map((e) => [e.skuPartNumber, e.attachSkuPartNumber]),
    );
    expect(pairs).toEqual({
      D365_SALES_PRO: 'D365_SALES_PRO_ATTACH',
      DYN365_ENTERPRISE_SALES: 'D365_SALES_ENT_ATTACH',
      DYN365_CUSTOMER_SERVICE_PRO: 'D365_CUSTOMER_SERVICE_PRO_ATTACH',
      DYN365_ENTERPRISE_CUSTOMER_SERVICE: 'D365_CUSTOMER_SERVICE_ENT_ATTACH',
      DYN365_ENTERPRISE_FIELD_SERVICE: 'D365_FIELD_SERVICE_ATTACH',
      DYN365_FINANCE: 'DYN365_FINANCE_ATTACH',
      DYN365_SCM: 'DYN365_SCM_ATTACH',
      DYN365_PROJECT_OPERATIONS: 'DYN365_PROJECT_OPERATIONS_ATTACH',
      DYN365_BUSCENTRAL_ESSENTIAL: 'Dynamics_365_Business_Central_Essentials_Attach',
    });
    expect(findCatalogEntry({ skuPartNumber: 'DYN365_RETAIL' })?.attachSkuPartNumber).toBeNull();
  });

  it('makes every *_ATTACH* SKU an attach entry and every attach entry an *_ATTACH* SKU', () => {
    for (const e of entries) expect(e.licenseType === 'attach').toBe(/attach/i.test(e.skuPartNumber));
  });

  it('gives every price a USD amount, a source and an ISO 8601 date of the source', () => {
    const priced = entries.filter((e) => e.listPrice !== null);
    expect(priced.length).toBeGreaterThan(20);
    for (const { listPrice } of priced) {
      expect(listPrice?.currency).toBe('USD');
      expect(listPrice?.amount).toBeGreaterThan(0);
      expect(listPrice?.source).toMatch(/https:\/\/|Licensing Guide/);
      expect(listPrice?.asOf).toMatch(/^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/);
      expect(Number.isNaN(Date.parse(listPrice?.asOf ?? ''))).toBe(false);
    }
  });

  it('prices no trial, no government SKU and no Relationship Sales', () => {
    expect(partNumbers((e) => (e.isTrial || e.isGovernment) && e.listPrice !== null)).toEqual([]);
    expect(findCatalogEntry({ skuPartNumber: 'DYN365_ENTERPRISE_RELATIONSHIP_SALES' })?.listPrice).toBeNull();
  });

  it('uses the current list prices of licensing.md section 5', () => {
    const amount = (pn: string) => findCatalogEntry({ skuPartNumber: pn })?.listPrice?.amount;
    expect(amount('D365_SALES_PRO')).toBe(65);
    expect(amount('DYN365_ENTERPRISE_SALES')).toBe(105);
    expect(amount('DYN365_SALES_PREMIUM')).toBe(150);
    expect(amount('DYN365_CUSTOMER_SERVICE_PRO')).toBe(50);
    expect(amount('DYN365_ENTERPRISE_CUSTOMER_SERVICE')).toBe(105);
    expect(amount('DYN365_ENTERPRISE_FIELD_SERVICE')).toBe(105);
    expect(amount('DYN365_FINANCE')).toBe(210);
    expect(amount('DYN365_SCM')).toBe(210);
    expect(amount('DYN365_RETAIL')).toBe(210);
    expect(amount('DYN365_PROJECT_OPERATIONS')).toBe(135);
    expect(amount('DYN365_BUSCENTRAL_ESSENTIAL')).toBe(80);
    expect(amount('DYN365_BUSCENTRAL_PREMIUM')).toBe(110);
    expect(amount('DYN365_TEAM_MEMBERS')).toBe(8);
    expect(amount('POWERAPPS_PER_USER')).toBe(20);
  });

  it('prices every attach SKU it pairs with a priced base below that base (R6: base is the higher price)', () => {
    for (const e of entries) {
      const attachPrice = e.attachSkuPartNumber ? CATALOG_DATA[e.attachSkuPartNumber]?.listPrice : null;
      if (e.listPrice && attachPrice) expect(attachPrice.amount).toBeLessThan(e.listPrice.amount);
    }
  });

  it('flags government and trial SKUs consistently with their Microsoft names', () => {
    const displayName = new Map(MICROSOFT_SKUS.map((s) => [s.skuPartNumber, s.displayName]));
    for (const e of entries) {
      const names = `${e.skuPartNumber} ${displayName.get(e.skuPartNumber)}`;
      expect([e.skuPartNumber, e.isGovernment]).toEqual([
        e.skuPartNumber,
        /_GOV|GCC|USGOV|_DOD|for Government/i.test(names),
      ]);
      expect([e.skuPartNumber, e.isTrial]).toEqual([e.skuPartNumber, /trial|viral|preview|_IW(_|\s|$)/i.test(names)]);
    }
  });

  it('never makes a trial, capacity or Team Members SKU a base', () => {
    expect(
      partNumbers(
        (e) =>
          e.licenseType === 'base' &&
          (e.isTrial || /CAPACITY|STORAGE|INSTANCE|PORTAL|ADD_?ON|TEAM_MEMBER/i.test(e.skuPartNumber)),
      ),
    ).toEqual([]);
  });

  it('freezes entries', () => {
    expect(Object.isFrozen(entries)).toBe(true);
    expect(entries.every((e) => Object.isFrozen(e))).toBe(true);
  });
});
