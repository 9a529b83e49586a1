import { consolidation, consolidationTotals } from '../../src/domain/conclusions';
import { exclusionRuleAdded, given, licenseAssigned, modelsFor, priceOverridden, priceOverrideRemoved } from './given';

const SALES_PREMIUM = 'DYN365_SALES_PREMIUM';
const SALES = 'DYN365_ENTERPRISE_SALES';
const SALES_PRO = 'D365_SALES_PRO';
const CS_PRO = 'DYN365_CUSTOMER_SERVICE_PRO';
const CUSTOMER_SERVICE = 'DYN365_ENTERPRISE_CUSTOMER_SERVICE';
const CS_ATTACH = 'D365_CUSTOMER_SERVICE_ENT_ATTACH';
const RELATIONSHIP_SALES = 'DYN365_ENTERPRISE_RELATIONSHIP_SALES';
const COMMERCE = 'DYN365_RETAIL';
const FINANCE = 'DYN365_FINANCE';
const TEAM_MEMBERS = 'DYN365_TEAM_MEMBERS';

describe('consolidation', () => {
  it('keeps the highest-priced base: Sales Premium $150 over Customer Service Enterprise $105, which becomes its $20 attach', () => {
    const view = given([
      ...modelsFor(SALES_PREMIUM, CUSTOMER_SERVICE),
      licenseAssigned('alice', CUSTOMER_SERVICE),
      licenseAssigned('alice', SALES_PREMIUM),
    ]);

    expect(consolidation(view)).toEqual([
      {
        userId: 'alice',
        userPrincipalName: 'alice@contoso.com',
        baseLicenses: [CUSTOMER_SERVICE, SALES_PREMIUM],
        suggestedBase: SALES_PREMIUM,
        suggestedAttach: [CS_ATTACH],
        notConvertible: [],
        currentMonthlyCost: 255,
        suggestedMonthlyCost: 170,
        monthlySavings: 85,
        currency: 'USD',
        unpriced: [],
      },
    ]);
  });

  it("keeps Commerce over Finance at the same price, since Commerce has no attach form (the brief's example)", () => {
    const expected = {
      suggestedBase: COMMERCE,
      suggestedAttach: ['DYN365_FINANCE_ATTACH'],
      currentMonthlyCost: 420,
      suggestedMonthlyCost: 240,
      monthlySavings: 180,
    };

    expect(
      consolidation(
        given([...modelsFor(COMMERCE, FINANCE), licenseAssigned('bob', COMMERCE), licenseAssigned('bob', FINANCE)]),
      ),
    ).toMatchObject([expected]);
    expect(
      consolidation(
        given([...modelsFor(COMMERCE, FINANCE), licenseAssigned('bob', FINANCE), licenseAssigned('bob', COMMERCE)]),
      ),
    ).toMatchObject([expected]);
  });

  it('ignores users with one base license, and licenses that are not base licenses', () => {
    const view = given([
      ...modelsFor(SALES, TEAM_MEMBERS, CS_ATTACH),
      licenseAssigned('carol', SALES),
      licenseAssigned('carol', TEAM_MEMBERS),
      licenseAssigned('carol', CS_ATTACH),
    ]);

    expect(consolidation(view)).toEqual([]);
  });

  it('an unknown price (Microsoft Relationship Sales) ranks below a known one and never produces a saving', () => {
    const view = given([
      ...modelsFor(RELATIONSHIP_SALES, CUSTOMER_SERVICE),
      licenseAssigned('dave', RELATIONSHIP_SALES),
      licenseAssigned('dave', CUSTOMER_SERVICE),
    ]);

    expect(consolidation(view)).toEqual([
      expect.objectContaining({
        suggestedBase: CUSTOMER_SERVICE,
        suggestedAttach: [],
        notConvertible: [RELATIONSHIP_SALES],
        unpriced: [RELATIONSHIP_SALES],
        currentMonthlyCost: 105,
        suggestedMonthlyCost: 105,
        monthlySavings: 0,
      }),
    ]);
  });

  it('a base whose attach SKU has no price counts at its current price on both sides', () => {
    const view = given([
      ...modelsFor(SALES_PRO, CS_PRO),
      licenseAssigned('erin', SALES_PRO),
      licenseAssigned('erin', CS_PRO),
    ]);

    expect(consolidation(view)).toEqual([
      expect.objectContaining({
        suggestedBase: SALES_PRO,
        suggestedAttach: ['D365_CUSTOMER_SERVICE_PRO_ATTACH'],
        notConvertible: [],
        unpriced: [CS_PRO],
        currentMonthlyCost: 115,
        suggestedMonthlyCost: 115,
        monthlySavings: 0,
      }),
    ]);
  });

  it('a base with no attach SKU that is not kept stays at its current cost', () => {
    const view = given([
      ...modelsFor(SALES_PREMIUM, FINANCE),
      licenseAssigned('fay', SALES_PREMIUM),
      licenseAssigned('fay', FINANCE),
    ]);

    expect(consolidation(view)).toEqual([
      expect.objectContaining({
        suggestedBase: FINANCE,
        suggestedAttach: [],
        notConvertible: [SALES_PREMIUM],
        unpriced: [],
        currentMonthlyCost: 360,
        suggestedMonthlyCost: 360,
        monthlySavings: 0,
      }),
    ]);
  });

  it('applies price overrides to the bases and to the attach price, an explicit null included', () => {
    const history = [
      ...modelsFor(SALES_PREMIUM, CUSTOMER_SERVICE),
      licenseAssigned('gus', SALES_PREMIUM),
      licenseAssigned('gus', CUSTOMER_SERVICE),
    ];

    expect(
      consolidation(given([...history, priceOverridden(CS_ATTACH, 25), priceOverridden(SALES_PREMIUM, 120)])),
    ).toMatchObject([
      { suggestedBase: SALES_PREMIUM, currentMonthlyCost: 225, suggestedMonthlyCost: 145, monthlySavings: 80 },
    ]);
    // Premium without a price ranks last; it has no attach form, so nothing can be saved on it.
    expect(consolidation(given([...history, priceOverridden(SALES_PREMIUM, null)]))).toMatchObject([
      {
        suggestedBase: CUSTOMER_SERVICE,
        notConvertible: [SALES_PREMIUM],
        unpriced: [SALES_PREMIUM],
        monthlySavings: 0,
      },
    ]);
    expect(consolidation(given([...history, priceOverridden(CS_ATTACH, null)]))).toMatchObject([
      {
        suggestedBase: SALES_PREMIUM,
        suggestedAttach: [CS_ATTACH],
        unpriced: [CUSTOMER_SERVICE],
        currentMonthlyCost: 255,
        monthlySavings: 0,
      },
    ]);
    expect(
      consolidation(given([...history, priceOverridden(CS_ATTACH, null), priceOverrideRemoved(CS_ATTACH)])),
    ).toMatchObject([{ monthlySavings: 85 }]);
  });

  it('leaves excluded licenses and users out', () => {
    const history = [
      ...modelsFor(SALES_PREMIUM, CUSTOMER_SERVICE, SALES),
      licenseAssigned('hal', SALES_PREMIUM),
      licenseAssigned('hal', CUSTOMER_SERVICE),
      licenseAssigned('ida', SALES),
      licenseAssigned('ida', CUSTOMER_SERVICE),
    ];

    expect(consolidation(given([...history, exclusionRuleAdded('identifier', CUSTOMER_SERVICE)]))).toEqual([]);
    expect(
      consolidation(given([...history, exclusionRuleAdded('user', 'HAL@contoso.com')])).map((i) => i.userId),
    ).toEqual(['ida']);
  });

  it('sorts by saving and totals the saving', () => {
    const view = given([
      ...modelsFor(SALES_PREMIUM, CUSTOMER_SERVICE, COMMERCE, FINANCE, RELATIONSHIP_SALES),
      licenseAssigned('a', SALES_PREMIUM),
      licenseAssigned('a', CUSTOMER_SERVICE),
      licenseAssigned('b', COMMERCE),
      licenseAssigned('b', FINANCE),
      licenseAssigned('c', RELATIONSHIP_SALES),
      licenseAssigned('c', CUSTOMER_SERVICE),
      licenseAssigned('d', CUSTOMER_SERVICE),
      licenseAssigned('d', SALES_PREMIUM),
    ]);
    const items = consolidation(view);

    expect(items.map((i) => `${i.userId} ${i.monthlySavings}`)).toEqual(['b 180', 'a 85', 'd 85', 'c 0']);
    expect(consolidationTotals(items)).toEqual({ users: 4, monthlySavings: 350, currency: 'USD', otherCurrencies: {} });
  });
});
