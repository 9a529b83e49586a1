import {
  consolidation,
  downgradeAdvice,
  lowUsage,
  savingsFound,
  savingsRealised,
  type ReclaimedLicense,
} from '../../src/domain/conclusions';
import {
  activityRecorded,
  auditSettingChanged,
  coveredEnvironment,
  daysBefore,
  given,
  licenseAssigned,
  modelsFor,
  NOW,
  priceOverridden,
  sku,
} from './given';

const SALES = 'DYN365_ENTERPRISE_SALES';
const CUSTOMER_SERVICE = 'DYN365_ENTERPRISE_CUSTOMER_SERVICE';
const SALES_PREMIUM = 'DYN365_SALES_PREMIUM';

const found = (view: ReturnType<typeof given>) =>
  savingsFound(lowUsage(view, NOW, { includeUnproven: true }), consolidation(view), downgradeAdvice(view, NOW));

describe('savings found', () => {
  it('adds proven low usage, consolidation and downgrade, each also on its own', () => {
    const view = given([
      ...modelsFor(SALES, CUSTOMER_SERVICE, SALES_PREMIUM),
      // Idle for 90 days, proven: $105 a month.
      licenseAssigned('bob', SALES),
      activityRecorded('bob', 'sales', daysBefore(90)),
      // Two bases: Customer Service becomes its $20 attach beside Sales Premium ($105 − $20).
      licenseAssigned('alice', SALES_PREMIUM),
      licenseAssigned('alice', CUSTOMER_SERVICE),
      activityRecorded('alice', 'sales', daysBefore(1)),
      activityRecorded('alice', 'customerService', daysBefore(1)),
    ]);
    expect(found(view)).toEqual({
      monthlySavings: 105 + 85,
      currency: 'USD',
      otherCurrencies: {},
      lowUsage: { subscriptions: 1, monthlySavings: 105, currency: 'USD', otherCurrencies: {} },
      consolidation: { users: 1, monthlySavings: 85, currency: 'USD', otherCurrencies: {} },
      downgrade: { subscriptions: 0, monthlySavings: 0, currency: null, otherCurrencies: {} },
      overlap: { users: 0, monthlySavings: 0, currency: null, otherCurrencies: {} },
    });
  });

  it('never counts unproven low usage', () => {
    const view = given([
      ...coveredEnvironment(),
      auditSettingChanged(110, daysBefore(40)),
      auditSettingChanged(107, daysBefore(30)),
      ...modelsFor(SALES),
      licenseAssigned('bob', SALES),
      activityRecorded('bob', 'sales', daysBefore(90)),
    ]);
    expect(lowUsage(view, NOW, { includeUnproven: true })).toHaveLength(1);
    expect(found(view)).toMatchObject({ monthlySavings: 0, lowUsage: { subscriptions: 0, monthlySavings: 0 } });
  });

  it('does not count a consolidation twice when the same user has low usage: its saving is shown as overlap', () => {
    const view = given([
      ...modelsFor(SALES_PREMIUM, CUSTOMER_SERVICE),
      licenseAssigned('carol', SALES_PREMIUM),
      licenseAssigned('carol', CUSTOMER_SERVICE),
      activityRecorded('carol', 'sales', daysBefore(1)),
      activityRecorded('carol', 'customerService', daysBefore(200)),
    ]);
    const answer = found(view);
    expect(answer.lowUsage).toMatchObject({ subscriptions: 1, monthlySavings: 105 });
    expect(answer.consolidation).toMatchObject({ users: 1, monthlySavings: 85 });
    expect(answer.overlap).toMatchObject({ users: 1, monthlySavings: 85 });
    expect(answer.monthlySavings).toBe(105);
  });

  it('keeps amounts in another currency apart', () => {
    const view = given([
      ...modelsFor(SALES, CUSTOMER_SERVICE),
      priceOverridden(CUSTOMER_SERVICE, 90, 'EUR'),
      licenseAssigned('bob', SALES),
      licenseAssigned('dan', CUSTOMER_SERVICE),
    ]);
    expect(found(view)).toMatchObject({ monthlySavings: 105, currency: 'USD', otherCurrencies: { EUR: 90 } });
  });
});

describe('savings realised', () => {
  const reclaim = (userId: string, skuPartNumber: string, daysAgo: number): ReclaimedLicense => ({
    userId,
    skuId: sku(skuPartNumber).skuId,
    skuPartNumber,
    reclaimedAt: daysBefore(daysAgo),
  });
  const view = given([
    ...modelsFor(SALES, CUSTOMER_SERVICE),
    // Erin's license came back after it was reclaimed.
    licenseAssigned('erin', SALES),
  ]);
  const reclaimed = [
    reclaim('bob', SALES, 100),
    reclaim('dan', SALES, 20),
    reclaim('fay', CUSTOMER_SERVICE, 10),
    reclaim('erin', SALES, 5),
  ];

  it('licenses reclaimed since a date times their monthly price, per SKU', () => {
    expect(savingsRealised(view, reclaimed, daysBefore(30), NOW)).toEqual({
      since: daysBefore(30),
      until: NOW,
      reclaimed: 2,
      reassigned: 1,
      unpriced: 0,
      monthlySavings: 105 + 105,
      currency: 'USD',
      otherCurrencies: {},
      bySku: [
        { skuPartNumber: CUSTOMER_SERVICE, reclaimed: 1, listPriceMonthly: 105, currency: 'USD', monthlySavings: 105 },
        { skuPartNumber: SALES, reclaimed: 1, listPriceMonthly: 105, currency: 'USD', monthlySavings: 105 },
      ],
    });
  });

  it('without a date, every reclaim up to the moment asked; none after it', () => {
    expect(savingsRealised(view, reclaimed, null, NOW)).toMatchObject({ reclaimed: 3, monthlySavings: 315 });
    expect(savingsRealised(view, reclaimed, null, daysBefore(15))).toMatchObject({ reclaimed: 2, monthlySavings: 210 });
  });

  it('counts a license without a price, and values it at nothing', () => {
    const unpriced = given([...modelsFor(SALES), priceOverridden(SALES, null)]);
    expect(savingsRealised(unpriced, [reclaim('bob', SALES, 3)], null, NOW)).toMatchObject({
      reclaimed: 1,
      unpriced: 1,
      monthlySavings: 0,
      currency: null,
      bySku: [{ skuPartNumber: SALES, reclaimed: 1, listPriceMonthly: null, monthlySavings: 0 }],
    });
  });
});
