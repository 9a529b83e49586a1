import { ATTACH_RULES, attachQualifies } from '../../src/domain/catalog/attach-rules';
import { catalogEntries, findCatalogEntry } from '../../src/domain/catalog/catalog';

describe('attach rules (catalog data)', () => {
  it.each(ATTACH_RULES.map((rule) => [rule.id, rule] as const))(
    '%s names catalog base and attach SKUs of its own family, with a source',
    (_, rule) => {
      expect(rule.source.length).toBeGreaterThan(40);
      for (const base of rule.bases)
        expect({ base, ...pick(findCatalogEntry({ skuPartNumber: base })) }).toEqual({
          base,
          skuPartNumber: base,
          licenseType: 'base',
          family: rule.family,
          isGovernment: false,
        });
      for (const attach of rule.attaches)
        expect({ attach, ...pick(findCatalogEntry({ skuPartNumber: attach })) }).toEqual({
          attach,
          skuPartNumber: attach,
          licenseType: 'attach',
          family: rule.family,
          isGovernment: false,
        });
    },
  );

  it('no pair crosses families, and Business Central takes or gives no attach', () => {
    const entries = catalogEntries();
    let pairs = 0;
    for (const base of entries.filter((e) => e.licenseType === 'base'))
      for (const attach of entries.filter((e) => e.licenseType === 'attach')) {
        if (!attachQualifies(base.skuPartNumber, attach.skuPartNumber)) continue;
        pairs++;
        expect([base.skuPartNumber, attach.family]).toEqual([base.skuPartNumber, base.family]);
        expect(base.family).not.toBe('business-central');
      }
    expect(pairs).toBe(ATTACH_RULES.reduce((n, rule) => n + rule.bases.length * rule.attaches.length, 0));
  });

  it('matches part numbers whatever their case and spacing; another tier or Team Members does not qualify', () => {
    expect(attachQualifies('dyn365_enterprise_sales', ' D365_CUSTOMER_SERVICE_ENT_ATTACH ')).toBe(true);
    expect(attachQualifies('DYN365_ENTERPRISE_SALES', 'D365_CUSTOMER_SERVICE_PRO_ATTACH')).toBe(false);
    expect(attachQualifies('DYN365_TEAM_MEMBERS', 'D365_SALES_ENT_ATTACH')).toBe(false);
  });
});

function pick(entry: ReturnType<typeof findCatalogEntry>) {
  return entry === undefined
    ? {}
    : {
        skuPartNumber: entry.skuPartNumber,
        licenseType: entry.licenseType,
        family: entry.family,
        isGovernment: entry.isGovernment,
      };
}
