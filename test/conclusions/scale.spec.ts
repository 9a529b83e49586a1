import {
  consolidation,
  consolidationTotals,
  licensePosition,
  lowUsage,
  subscriptionRows,
  unrecognizedIdentifiers,
} from '../../src/domain/conclusions';
import {
  activityRecorded,
  daysBefore,
  entitlementObserved,
  exclusionRuleAdded,
  given,
  licenseAssigned,
  modelsFor,
  NOW,
  type Event,
} from './given';

const SALES = 'DYN365_ENTERPRISE_SALES';
const CUSTOMER_SERVICE = 'DYN365_ENTERPRISE_CUSTOMER_SERVICE';
const TEAM_MEMBERS = 'DYN365_TEAM_MEMBERS';
const USERS = 100_000;

/**
 * A tenant of the size the design names: 100,000 users, 250,000 subscriptions. Every user holds Sales and
 * Customer Service Enterprise, every second one Team Members too; every fourth one works in Sales.
 */
function largeTenant(): Event[] {
  const events: Event[] = [
    ...modelsFor(SALES, CUSTOMER_SERVICE, TEAM_MEMBERS),
    entitlementObserved(SALES, 80_000),
    entitlementObserved(CUSTOMER_SERVICE, 100_000),
    entitlementObserved(TEAM_MEMBERS, 40_000),
    exclusionRuleAdded('user', 'u1@contoso.com'),
  ];
  const recently = daysBefore(10);
  for (let i = 0; i < USERS; i++) {
    const userId = `u${i}`;
    events.push(licenseAssigned(userId, SALES), licenseAssigned(userId, CUSTOMER_SERVICE));
    if (i % 2 === 0) events.push(licenseAssigned(userId, TEAM_MEMBERS));
    if (i % 4 === 0) events.push(activityRecorded(userId, 'sales', recently));
  }
  return events;
}

describe('conclusions at tenant scale', () => {
  it('draws every conclusion over 100,000 users and 250,000 subscriptions', () => {
    const view = given(largeTenant());

    expect(subscriptionRows(view, NOW)).toHaveLength(250_000);
    expect(subscriptionRows(view, NOW, { userId: 'u4' })).toHaveLength(3);
    // Sales: idle for 3 users in 4, less the excluded u1; Customer Service: everyone but u1; Team Members: even users not in Sales.
    expect(lowUsage(view, NOW)).toHaveLength(74_999 + 99_999 + 25_000);
    expect(
      licensePosition(view, NOW).map((r) => [
        r.skuPartNumber,
        r.purchased,
        r.assigned,
        r.excluded,
        r.lowUsage,
        r.active,
        r.compliance,
      ]),
    ).toEqual([
      [CUSTOMER_SERVICE, 100_000, 100_000, 1, 99_999, 0, 'compliant'],
      [SALES, 80_000, 100_000, 1, 74_999, 25_000, 'under-licensed'],
      [TEAM_MEMBERS, 40_000, 50_000, 0, 25_000, 25_000, 'under-licensed'],
    ]);
    const items = consolidation(view);
    // Sales and Customer Service Enterprise tie at $105: the lower part number stays, Sales becomes its $20 attach.
    expect(items[0]).toMatchObject({
      suggestedBase: CUSTOMER_SERVICE,
      suggestedAttach: ['D365_SALES_ENT_ATTACH'],
      monthlySavings: 85,
    });
    expect(consolidationTotals(items)).toEqual({
      users: 99_999,
      monthlySavings: 85 * 99_999,
      currency: 'USD',
      otherCurrencies: {},
    });
    expect(unrecognizedIdentifiers(view)).toEqual([]);
  });
});
