// Which base + attach pairs consolidation may suggest: only those the Licensing Guide allows
// (src/domain/catalog/attach-rules.ts); any other base stays a base and is named as not convertible.
import { consolidation, consolidationTotals } from '../../src/domain/conclusions';
import { given, licenseAssigned, modelsFor } from './given';

const SALES = 'DYN365_ENTERPRISE_SALES';
const SALES_PREMIUM = 'DYN365_SALES_PREMIUM';
const SALES_PRO = 'D365_SALES_PRO';
const CUSTOMER_SERVICE = 'DYN365_ENTERPRISE_CUSTOMER_SERVICE';
const FIELD_SERVICE = 'DYN365_ENTERPRISE_FIELD_SERVICE';
const FINANCE = 'DYN365_FINANCE';
const SCM = 'DYN365_SCM';
const PROJECT_OPERATIONS = 'DYN365_PROJECT_OPERATIONS';
const BC_PREMIUM = 'DYN365_BUSCENTRAL_PREMIUM';
const BC_ESSENTIALS = 'DYN365_BUSCENTRAL_ESSENTIAL';
const TEAM_MEMBERS = 'DYN365_TEAM_MEMBERS';

/** One user holding the given licenses; the answer for that user, or undefined when nothing is suggested. */
function consolidate(...partNumbers: string[]) {
  const view = given([...modelsFor(...partNumbers), ...partNumbers.map((p) => licenseAssigned('u', p))]);
  const items = consolidation(view);
  expect(items.length).toBeLessThanOrEqual(1);
  return items[0];
}

describe('consolidation: only the attach pairs the Licensing Guide allows', () => {
  it('given a Customer Engagement base and another Customer Engagement app, then the app becomes its attach', () => {
    expect(consolidate(FIELD_SERVICE, SALES_PREMIUM)).toMatchObject({
      suggestedBase: SALES_PREMIUM,
      suggestedAttach: ['D365_FIELD_SERVICE_ATTACH'],
      notConvertible: [],
      currentMonthlyCost: 255,
      suggestedMonthlyCost: 170,
      monthlySavings: 85,
    });
  });

  it('given a finance and operations base and a Customer Engagement app, then the app is not convertible', () => {
    expect(consolidate(FINANCE, CUSTOMER_SERVICE)).toMatchObject({
      suggestedBase: FINANCE,
      suggestedAttach: [],
      notConvertible: [CUSTOMER_SERVICE],
      unpriced: [],
      currentMonthlyCost: 315,
      suggestedMonthlyCost: 315,
      monthlySavings: 0,
    });
  });

  it('given a Customer Engagement base and a finance and operations app, then the app is not convertible', () => {
    // Project Operations ($135) has an attach SKU, but for finance and operations bases only.
    expect(consolidate(SALES_PREMIUM, PROJECT_OPERATIONS)).toMatchObject({
      suggestedBase: SALES_PREMIUM,
      suggestedAttach: [],
      notConvertible: [PROJECT_OPERATIONS],
      monthlySavings: 0,
    });
  });

  it('given a finance and operations base and another finance and operations app, then the app becomes its attach', () => {
    expect(consolidate(PROJECT_OPERATIONS, SCM)).toMatchObject({
      suggestedBase: SCM,
      suggestedAttach: ['DYN365_PROJECT_OPERATIONS_ATTACH'],
      monthlySavings: 105,
    });
  });

  it.each([
    ['a Business Central base', [BC_PREMIUM, SALES], BC_PREMIUM, [SALES]],
    ['a Business Central app beside a Customer Engagement base', [BC_ESSENTIALS, SALES], SALES, [BC_ESSENTIALS]],
    ['two Business Central licenses', [BC_ESSENTIALS, BC_PREMIUM], BC_PREMIUM, [BC_ESSENTIALS]],
    ['Business Central and finance and operations', [BC_PREMIUM, FINANCE], FINANCE, [BC_PREMIUM]],
  ])('given %s, then nothing converts', (_, licenses, base, notConvertible) => {
    expect(consolidate(...licenses)).toMatchObject({
      suggestedBase: base,
      suggestedAttach: [],
      notConvertible,
      monthlySavings: 0,
    });
  });

  it('given a Professional app beside an Enterprise base, then it is not convertible (the two may not be mixed)', () => {
    expect(consolidate(SALES_PRO, CUSTOMER_SERVICE)).toMatchObject({
      suggestedBase: CUSTOMER_SERVICE,
      suggestedAttach: [],
      notConvertible: [SALES_PRO],
      unpriced: [],
      monthlySavings: 0,
    });
  });

  it('Team Members is never a base: beside one base license there is nothing to consolidate', () => {
    expect(consolidate(TEAM_MEMBERS, SALES)).toBeUndefined();
    expect(consolidate(TEAM_MEMBERS, SALES, CUSTOMER_SERVICE)).toMatchObject({
      baseLicenses: [CUSTOMER_SERVICE, SALES],
      suggestedAttach: ['D365_SALES_ENT_ATTACH'],
    });
  });

  it('keeps the highest-priced base even when a cheaper one would let more apps attach', () => {
    // Finance ($210) stays; Sales and Customer Service (both $105) qualify only on a Customer Engagement base.
    expect(consolidate(SALES, FINANCE, CUSTOMER_SERVICE)).toMatchObject({
      baseLicenses: [CUSTOMER_SERVICE, SALES, FINANCE],
      suggestedBase: FINANCE,
      suggestedAttach: [],
      notConvertible: [CUSTOMER_SERVICE, SALES],
      monthlySavings: 0,
    });
    // Among Customer Engagement bases alone, Sales Premium ($150) stays and both others attach at $20.
    expect(consolidate(CUSTOMER_SERVICE, FIELD_SERVICE, SALES_PREMIUM)).toMatchObject({
      suggestedBase: SALES_PREMIUM,
      suggestedAttach: ['D365_CUSTOMER_SERVICE_ENT_ATTACH', 'D365_FIELD_SERVICE_ATTACH'],
      currentMonthlyCost: 360,
      suggestedMonthlyCost: 190,
      monthlySavings: 170,
    });
  });

  it('saves only where an allowed pair exists: the totals add the allowed pairs and nothing else', () => {
    const view = given([
      ...modelsFor(SALES, CUSTOMER_SERVICE, FINANCE, BC_PREMIUM),
      licenseAssigned('allowed', SALES),
      licenseAssigned('allowed', CUSTOMER_SERVICE),
      licenseAssigned('crossed', FINANCE),
      licenseAssigned('crossed', SALES),
      licenseAssigned('central', BC_PREMIUM),
      licenseAssigned('central', CUSTOMER_SERVICE),
    ]);
    const items = consolidation(view);

    expect(items.map((i) => [i.userId, i.suggestedAttach, i.notConvertible, i.monthlySavings])).toEqual([
      ['allowed', ['D365_SALES_ENT_ATTACH'], [], 85],
      ['central', [], [CUSTOMER_SERVICE], 0],
      ['crossed', [], [SALES], 0],
    ]);
    expect(consolidationTotals(items)).toMatchObject({ users: 3, monthlySavings: 85 });
  });
});
