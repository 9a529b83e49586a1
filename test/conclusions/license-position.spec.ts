import { licensePosition, licensePositionTotals } from '../../src/domain/conclusions';
import {
  activityRecorded,
  daysBefore,
  entitlementObserved,
  exclusionRuleAdded,
  given,
  licenseAssigned,
  licenseAssignmentChanged,
  licenseRemoved,
  modelsFor,
  NOW,
  priceOverridden,
  PROFILE,
  ruleChanged,
  sku,
} from './given';
import type { TenantEvent } from '../../src/domain/tenant/tenant.events';

const SALES = 'DYN365_ENTERPRISE_SALES';
const CUSTOMER_SERVICE = 'DYN365_ENTERPRISE_CUSTOMER_SERVICE';
const FINANCE = 'DYN365_FINANCE';
const RELATIONSHIP_SALES = 'DYN365_ENTERPRISE_RELATIONSHIP_SALES';

const rowOf = (rows: ReturnType<typeof licensePosition>, skuPartNumber: string) =>
  rows.find((r) => r.skuPartNumber === skuPartNumber);

describe('license position', () => {
  it('reconciles purchased, assigned, active and low usage per software model', () => {
    const view = given([
      ...modelsFor(SALES),
      entitlementObserved(SALES, 5),
      licenseAssigned('active', SALES),
      activityRecorded('active', 'sales', daysBefore(10)),
      licenseAssigned('idle', SALES),
      activityRecorded('idle', 'sales', daysBefore(90)),
      licenseAssigned('new', SALES, { at: daysBefore(5) }),
    ]);

    expect(licensePosition(view, NOW)).toEqual([
      {
        skuId: '1e1a282c-9c54-43a2-9310-98ef728faace',
        skuPartNumber: SALES,
        name: 'Dynamics 365 Sales Enterprise',
        licenseType: 'base',
        purchased: 5,
        purchasedSource: 'graph',
        inGracePeriod: 0,
        suspended: 0,
        lockedOut: 0,
        assigned: 3,
        active: 1,
        lowUsage: 1,
        excluded: 0,
        available: 2,
        compliance: 'over-licensed',
        listPriceMonthly: 105,
        currency: 'USD',
        monthlyCost: 315,
        purchasedMonthlyCost: 525,
      },
    ]);
  });

  it('purchased below assigned is under-licensed, above over-licensed, equal compliant; warning units are not purchased', () => {
    const view = given([
      ...modelsFor(SALES, CUSTOMER_SERVICE, FINANCE),
      entitlementObserved(SALES, 1, { warning: 5 }),
      entitlementObserved(CUSTOMER_SERVICE, 3),
      entitlementObserved(FINANCE, 2, { suspended: 1, lockedOut: 1 }),
      licenseAssigned('a', SALES),
      licenseAssigned('b', SALES),
      licenseAssigned('a', CUSTOMER_SERVICE),
      licenseAssigned('a', FINANCE),
      licenseAssigned('b', FINANCE),
    ]);
    const rows = licensePosition(view, NOW);

    expect(rows.map((r) => [r.skuPartNumber, r.purchased, r.assigned, r.available, r.compliance])).toEqual([
      [CUSTOMER_SERVICE, 3, 1, 2, 'over-licensed'],
      [SALES, 1, 2, -1, 'under-licensed'],
      [FINANCE, 2, 2, 0, 'compliant'],
    ]);
    expect(licensePositionTotals(rows)).toEqual({
      models: 3,
      purchased: 6,
      assigned: 5,
      inGracePeriod: 5,
      suspended: 1,
      lockedOut: 1,
      monthlyCost: 105 + 210 + 420,
      purchasedMonthlyCost: 315 + 105 + 420,
      currency: 'USD',
      otherCurrencies: {},
    });
  });

  describe('units that have lapsed (Graph prepaidUnits warning, suspended, lockedOut)', () => {
    it('given units in the renewal grace period, when the position is read, then they show as inGracePeriod and not as purchased', () => {
      const view = given([
        ...modelsFor(CUSTOMER_SERVICE),
        entitlementObserved(CUSTOMER_SERVICE, 10, { warning: 5 }),
        ...Array.from({ length: 12 }, (_, i) => licenseAssigned(`u${i}`, CUSTOMER_SERVICE)),
      ]);

      // 12 assigned on 10 owned: under-licensed, although 15 units can still be assigned until the renewal date.
      expect(rowOf(licensePosition(view, NOW), CUSTOMER_SERVICE)).toMatchObject({
        purchased: 10,
        inGracePeriod: 5,
        suspended: 0,
        lockedOut: 0,
        assigned: 12,
        available: -2,
        compliance: 'under-licensed',
        purchasedMonthlyCost: 1050,
      });
    });

    it('given suspended and locked-out units, when the position is read, then each is shown apart and neither is owned', () => {
      const view = given([
        ...modelsFor(SALES, FINANCE),
        entitlementObserved(SALES, 0, { suspended: 4 }),
        entitlementObserved(FINANCE, 2, { lockedOut: 3 }),
        licenseAssigned('a', FINANCE),
      ]);
      const rows = licensePosition(view, NOW);

      expect(rowOf(rows, SALES)).toMatchObject({ purchased: 0, inGracePeriod: 0, suspended: 4, lockedOut: 0 });
      expect(rowOf(rows, FINANCE)).toMatchObject({
        purchased: 2,
        suspended: 0,
        lockedOut: 3,
        compliance: 'over-licensed',
      });
      expect(licensePositionTotals(rows)).toMatchObject({ purchased: 2, inGracePeriod: 0, suspended: 4, lockedOut: 3 });
    });

    it("given a hand-entered entitlement, when the position is read, then purchased is the entry and Graph's grace units still show", () => {
      const view = given([
        ...modelsFor(SALES),
        entitlementObserved(SALES, 3, { warning: 2 }),
        {
          type: 'EntitlementEntered',
          data: {
            profileId: PROFILE,
            skuId: sku(SALES).skuId,
            skuPartNumber: SALES,
            purchased: 7,
            source: 'EA enrollment',
            enteredAt: NOW,
          },
        },
      ]);

      expect(licensePosition(view, NOW)[0]).toMatchObject({
        purchased: 7,
        purchasedSource: 'manual',
        inGracePeriod: 2,
      });
    });

    it('given no entitlement observed, then nothing is in grace, suspended or locked out', () => {
      const view = given([...modelsFor(SALES), licenseAssigned('a', SALES)]);

      expect(licensePosition(view, NOW)[0]).toMatchObject({ inGracePeriod: 0, suspended: 0, lockedOut: 0 });
    });
  });

  it('a model with no entitlement observed has nothing purchased', () => {
    const view = given([...modelsFor(SALES), licenseAssigned('a', SALES)]);

    expect(rowOf(licensePosition(view, NOW), SALES)).toMatchObject({
      purchased: 0,
      assigned: 1,
      compliance: 'under-licensed',
    });
  });

  it('an excluded subscription still counts as assigned but not in the cost, low usage or active', () => {
    const view = given([
      ...modelsFor(SALES),
      entitlementObserved(SALES, 2),
      licenseAssigned('svc', SALES, { upn: 'svc-crm@contoso.com' }),
      licenseAssigned('ann', SALES),
      exclusionRuleAdded('user', 'SVC-CRM@CONTOSO.COM'),
    ]);

    expect(rowOf(licensePosition(view, NOW), SALES)).toMatchObject({
      assigned: 2,
      excluded: 1,
      lowUsage: 1,
      active: 0,
      compliance: 'compliant',
      monthlyCost: 105,
      purchasedMonthlyCost: 210,
    });
  });

  it('counts a license held through a group and directly once, and a deleted user not at all', () => {
    const view = given([
      ...modelsFor(SALES),
      licenseAssigned('a', SALES, { via: 'group', groupIds: ['g1'] }),
      licenseAssignmentChanged('a', SALES, 'both', ['g1']),
      licenseAssigned('gone', SALES),
      licenseRemoved('gone', SALES, 'user-deleted'),
    ]);

    expect(rowOf(licensePosition(view, NOW), SALES)).toMatchObject({ assigned: 1 });
  });

  it('has no active count for a model without activity tracking, and never low usage', () => {
    const view = given([...modelsFor(FINANCE), licenseAssigned('a', FINANCE)]);

    expect(rowOf(licensePosition(view, NOW), FINANCE)).toMatchObject({ active: null, lowUsage: 0 });
  });

  it('a disabled rule flags nothing, and active still means activity within the threshold', () => {
    const view = given([
      ...modelsFor(SALES),
      ruleChanged(SALES, { inactivityDays: 30, enabled: false }),
      licenseAssigned('a', SALES),
      activityRecorded('a', 'sales', daysBefore(20)),
      licenseAssigned('b', SALES),
      activityRecorded('b', 'sales', daysBefore(45)),
    ]);

    expect(rowOf(licensePosition(view, NOW), SALES)).toMatchObject({ lowUsage: 0, active: 1 });
  });

  it('answers as of a moment: activity after it did not exist yet', () => {
    const view = given([
      ...modelsFor(SALES),
      licenseAssigned('a', SALES, { at: '2026-01-02T00:00:00.000Z' }),
      activityRecorded('a', 'sales', '2026-06-20T00:00:00.000Z'),
    ]);

    expect(rowOf(licensePosition(view, '2026-06-25T00:00:00Z'), SALES)).toMatchObject({ active: 1, lowUsage: 0 });
    expect(rowOf(licensePosition(view, '2026-06-01T00:00:00Z'), SALES)).toMatchObject({ active: 0, lowUsage: 1 });
  });

  it('a null price (Microsoft Relationship Sales) gives a null monthly cost, left out of the totals', () => {
    const view = given([
      ...modelsFor(RELATIONSHIP_SALES, SALES),
      entitlementObserved(RELATIONSHIP_SALES, 10),
      licenseAssigned('a', RELATIONSHIP_SALES),
      licenseAssigned('a', SALES),
    ]);
    const rows = licensePosition(view, NOW);

    expect(rowOf(rows, RELATIONSHIP_SALES)).toMatchObject({
      listPriceMonthly: null,
      currency: null,
      monthlyCost: null,
      purchasedMonthlyCost: null,
    });
    expect(licensePositionTotals(rows)).toMatchObject({
      purchased: 10,
      assigned: 2,
      monthlyCost: 105,
      purchasedMonthlyCost: 0,
    });
  });

  it('applies price overrides, an explicit null included, and keeps other currencies apart in the totals', () => {
    const history = [
      ...modelsFor(SALES, CUSTOMER_SERVICE),
      licenseAssigned('a', SALES),
      licenseAssigned('a', CUSTOMER_SERVICE),
    ];

    expect(rowOf(licensePosition(given([...history, priceOverridden(SALES, 95.5)]), NOW), SALES)).toMatchObject({
      listPriceMonthly: 95.5,
      monthlyCost: 95.5,
    });
    expect(rowOf(licensePosition(given([...history, priceOverridden(SALES, null)]), NOW), SALES)).toMatchObject({
      listPriceMonthly: null,
      monthlyCost: null,
    });
    const rows = licensePosition(given([...history, priceOverridden(SALES, 80, 'EUR')]), NOW);
    expect(licensePositionTotals(rows)).toMatchObject({
      monthlyCost: 105,
      currency: 'USD',
      otherCurrencies: { EUR: { monthlyCost: 80, purchasedMonthlyCost: 0 } },
    });
  });

  it('an entitlement entered by hand replaces the prepaid units; removing it brings them back', () => {
    const entered: TenantEvent = {
      type: 'EntitlementEntered',
      data: {
        profileId: PROFILE,
        skuId: sku(SALES).skuId,
        skuPartNumber: SALES,
        purchased: 2,
        source: 'EA enrollment',
        enteredAt: NOW,
      },
    };
    const removed: TenantEvent = {
      type: 'EntitlementEntryRemoved',
      data: { profileId: PROFILE, skuId: sku(SALES).skuId, skuPartNumber: SALES, removedAt: NOW },
    };
    const base = [
      ...modelsFor(SALES),
      entitlementObserved(SALES, 10),
      licenseAssigned('a', SALES),
      licenseAssigned('b', SALES),
      licenseAssigned('c', SALES),
    ];
    expect(licensePosition(given([...base, entered]), NOW)[0]).toMatchObject({
      purchased: 2,
      purchasedSource: 'manual',
      compliance: 'under-licensed',
      available: -1,
    });
    expect(licensePosition(given([...base, entered, removed]), NOW)[0]).toMatchObject({
      purchased: 10,
      purchasedSource: 'graph',
      compliance: 'over-licensed',
    });
    expect(licensePosition(given([...modelsFor(SALES)]), NOW)[0]).toMatchObject({
      purchased: 0,
      purchasedSource: 'none',
    });
  });
});
