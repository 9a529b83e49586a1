import { lowUsage, lowUsageKey } from '../../src/domain/conclusions';
import {
  activityRecorded,
  analyzeActivityFromChanged,
  daysBefore,
  exclusionRuleAdded,
  given,
  licenseAssigned,
  licenseRemoved,
  modelsFor,
  NOW,
  priceOverridden,
  ruleChanged,
} from './given';

const SALES = 'DYN365_ENTERPRISE_SALES';
const CUSTOMER_SERVICE = 'DYN365_ENTERPRISE_CUSTOMER_SERVICE';
const TEAM_MEMBERS = 'DYN365_TEAM_MEMBERS';
const FINANCE = 'DYN365_FINANCE';

describe('low usage', () => {
  it('flags only the Customer Service license of a user with recent sales and 100-day-old customer-service activity', () => {
    const view = given([
      ...modelsFor(SALES, CUSTOMER_SERVICE),
      licenseAssigned('alice', SALES),
      licenseAssigned('alice', CUSTOMER_SERVICE),
      activityRecorded('alice', 'sales', daysBefore(3)),
      activityRecorded('alice', 'customerService', daysBefore(100)),
    ]);

    expect(lowUsage(view, NOW)).toEqual([
      {
        userId: 'alice',
        userPrincipalName: 'alice@contoso.com',
        skuId: '749742bf-0d37-4158-a120-33567104deeb',
        skuPartNumber: CUSTOMER_SERVICE,
        lastActivityAt: daysBefore(100),
        daysInactive: 100,
        thresholdDays: 60,
        monthlyCost: 105,
        proven: true,
        unprovenReason: null,
        currency: 'USD',
        assignedAt: '2025-06-01T00:00:00.000Z',
      },
    ]);
  });

  it('measures idle time from the assignment when the last activity came before it: a license held 14 days is not idle for 60', () => {
    const history = [
      ...modelsFor(SALES),
      licenseAssigned('carol', SALES, { at: daysBefore(14) }),
      activityRecorded('carol', 'sales', daysBefore(170)),
    ];

    expect(lowUsage(given(history), NOW)).toEqual([]);
    // Held past the threshold, idle counts from the assignment, not from the older work (and
    // 50 days from now no pull has covered the time since: unproven).
    expect(lowUsage(given(history), daysBefore(-50), { includeUnproven: true })).toMatchObject([
      { userId: 'carol', daysInactive: 64, lastActivityAt: daysBefore(170) },
    ]);
  });

  it('a 30-day rule flags a 45-day-idle user that the default 60 days would not', () => {
    const history = [
      ...modelsFor(SALES),
      licenseAssigned('bob', SALES),
      activityRecorded('bob', 'sales', daysBefore(45)),
    ];

    expect(lowUsage(given(history), NOW)).toEqual([]);
    expect(lowUsage(given([...history, ruleChanged(SALES, { inactivityDays: 30 })]), NOW)).toMatchObject([
      { userId: 'bob', daysInactive: 45, thresholdDays: 30 },
    ]);
  });

  it('a disabled rule flags nothing', () => {
    const view = given([
      ...modelsFor(SALES),
      licenseAssigned('bob', SALES),
      activityRecorded('bob', 'sales', daysBefore(200)),
      ruleChanged(SALES, { enabled: false }),
    ]);

    expect(lowUsage(view, NOW)).toEqual([]);
  });

  it('a model without a rule yet uses the default 60 days', () => {
    const view = given([licenseAssigned('bob', SALES), activityRecorded('bob', 'sales', daysBefore(61))]);

    expect(lowUsage(view, NOW)).toMatchObject([{ userId: 'bob', thresholdDays: 60, daysInactive: 61 }]);
  });

  it('Team Members counts sign-ins, a Sales license (by default) does not', () => {
    const view = given([
      ...modelsFor(SALES, TEAM_MEMBERS),
      licenseAssigned('carol', TEAM_MEMBERS),
      licenseAssigned('carol', SALES),
      activityRecorded('carol', 'access', daysBefore(10)),
    ]);

    expect(lowUsage(view, NOW)).toMatchObject([{ userId: 'carol', skuPartNumber: SALES, lastActivityAt: null }]);
  });

  it('never-used counts from assignment', () => {
    const view = given([
      ...modelsFor(SALES),
      licenseAssigned('dave', SALES, { at: daysBefore(70) }),
      licenseAssigned('erin', SALES, { at: daysBefore(30) }),
    ]);

    expect(lowUsage(view, NOW)).toMatchObject([{ userId: 'dave', lastActivityAt: null, daysInactive: 70 }]);
  });

  it('never-used counts from analyzeActivityFrom when assigned before it, since no audit row before it was read', () => {
    const history = [...modelsFor(SALES), licenseAssigned('dave', SALES, { at: '2024-01-01T00:00:00.000Z' })];

    expect(lowUsage(given([...history, analyzeActivityFromChanged('2026-05-11')]), NOW)).toEqual([]);
    expect(lowUsage(given([...history, analyzeActivityFromChanged('2026-04-01')]), NOW)).toMatchObject([
      { userId: 'dave', daysInactive: 90, assignedAt: '2024-01-01T00:00:00.000Z' },
    ]);
  });

  it('asOf before some activity ignores that activity', () => {
    const view = given([
      ...modelsFor(SALES),
      licenseAssigned('frank', SALES, { at: '2026-01-15T00:00:00.000Z' }),
      activityRecorded('frank', 'sales', '2026-06-20T09:00:00.000Z'),
    ]);

    expect(lowUsage(view, '2026-06-30T00:00:00.000Z')).toEqual([]);
    expect(lowUsage(view, new Date('2026-06-10T00:00:00.000Z'))).toMatchObject([
      { userId: 'frank', lastActivityAt: null, daysInactive: 146 },
    ]);
  });

  it('licenses without activity tracking are never low usage', () => {
    const view = given([...modelsFor(FINANCE), licenseAssigned('gina', FINANCE)]);

    expect(lowUsage(view, NOW)).toEqual([]);
  });

  it('a removed license is no longer a candidate', () => {
    const view = given([
      ...modelsFor(SALES),
      licenseAssigned('hank', SALES),
      licenseRemoved('hank', SALES, 'user-deleted'),
    ]);

    expect(lowUsage(view, NOW)).toEqual([]);
  });

  it('leaves excluded subscriptions out, by user principal name in any case and by skuId', () => {
    const history = [
      ...modelsFor(SALES, CUSTOMER_SERVICE),
      licenseAssigned('ivy', SALES, { upn: 'Ivy@Contoso.com' }),
      licenseAssigned('jack', SALES),
      licenseAssigned('jack', CUSTOMER_SERVICE),
    ];

    expect(lowUsage(given(history), NOW)).toHaveLength(3);
    expect(lowUsage(given([...history, exclusionRuleAdded('user', 'IVY@contoso.COM')]), NOW).map(lowUsageKey)).toEqual([
      'jack|749742bf-0d37-4158-a120-33567104deeb',
      'jack|1e1a282c-9c54-43a2-9310-98ef728faace',
    ]);
    expect(
      lowUsage(given([...history, exclusionRuleAdded('identifier', '749742BF-0D37-4158-A120-33567104DEEB')]), NOW).map(
        lowUsageKey,
      ),
    ).toEqual(['ivy|1e1a282c-9c54-43a2-9310-98ef728faace', 'jack|1e1a282c-9c54-43a2-9310-98ef728faace']);
  });

  it('sorts the most overdue first, then by user and SKU', () => {
    const view = given([
      ...modelsFor(SALES, CUSTOMER_SERVICE),
      ruleChanged(CUSTOMER_SERVICE, { inactivityDays: 90 }),
      licenseAssigned('zoe', SALES, { at: daysBefore(100) }),
      licenseAssigned('amy', CUSTOMER_SERVICE, { at: daysBefore(100) }),
      licenseAssigned('amy', SALES, { at: daysBefore(100) }),
      licenseAssigned('bea', SALES, { at: daysBefore(120) }),
    ]);

    expect(
      lowUsage(view, NOW).map((i) => `${i.userId} ${i.skuPartNumber} ${i.daysInactive - i.thresholdDays}`),
    ).toEqual([
      'bea DYN365_ENTERPRISE_SALES 60',
      'amy DYN365_ENTERPRISE_SALES 40',
      'zoe DYN365_ENTERPRISE_SALES 40',
      'amy DYN365_ENTERPRISE_CUSTOMER_SERVICE 10',
    ]);
  });

  it('reports the overridden price as the monthly cost, and null for an explicit null', () => {
    const history = [...modelsFor(SALES), licenseAssigned('kim', SALES)];

    expect(lowUsage(given([...history, priceOverridden(SALES, 95)]), NOW)).toMatchObject([
      { monthlyCost: 95, currency: 'USD' },
    ]);
    expect(lowUsage(given([...history, priceOverridden(SALES, null)]), NOW)).toMatchObject([
      { monthlyCost: null, currency: null },
    ]);
  });
});
