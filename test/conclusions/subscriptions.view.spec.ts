import { subscriptionRowKey, subscriptionRows } from '../../src/domain/conclusions';
import {
  activityRecorded,
  daysBefore,
  exclusionRuleAdded,
  given,
  identifierUnrecognized,
  licenseAssigned,
  licenseAssignmentChanged,
  licenseRemoved,
  modelsFor,
  NOW,
} from './given';

const SALES = 'DYN365_ENTERPRISE_SALES';
const CUSTOMER_SERVICE = 'DYN365_ENTERPRISE_CUSTOMER_SERVICE';
const POWER_APPS = 'POWERAPPS_PER_USER';
const UNKNOWN_SKU_ID = '0a0b0c0d-1111-2222-3333-444455556666';

describe('subscriptions view', () => {
  it('lists a license held through a group and directly once, with its groups', () => {
    const view = given([
      ...modelsFor(SALES),
      licenseAssigned('alice', SALES, { via: 'direct' }),
      licenseAssignmentChanged('alice', SALES, 'both', ['sales-team']),
      activityRecorded('alice', 'sales', daysBefore(2)),
    ]);

    expect(subscriptionRows(view, NOW)).toEqual([
      {
        userId: 'alice',
        userPrincipalName: 'alice@contoso.com',
        skuId: '1e1a282c-9c54-43a2-9310-98ef728faace',
        skuPartNumber: SALES,
        assignedVia: 'both',
        groupIds: ['sales-team'],
        assignedAt: '2025-06-01T00:00:00.000Z',
        lastActivityAt: daysBefore(2),
        lowUsage: false,
        excluded: false,
      },
    ]);
  });

  it('no longer lists the licenses of a user deleted between syncs', () => {
    const view = given([
      ...modelsFor(SALES, CUSTOMER_SERVICE),
      licenseAssigned('alice', SALES),
      licenseAssigned('bob', SALES),
      licenseAssigned('bob', CUSTOMER_SERVICE),
      licenseRemoved('bob', SALES, 'user-deleted'),
      licenseRemoved('bob', CUSTOMER_SERVICE, 'user-deleted'),
    ]);

    expect(subscriptionRows(view, NOW).map((r) => r.userId)).toEqual(['alice']);
  });

  it('shows qualifying activity for tracked licenses and any activity for the others', () => {
    const view = given([
      ...modelsFor(SALES, POWER_APPS),
      licenseAssigned('carol', SALES),
      licenseAssigned('carol', POWER_APPS),
      activityRecorded('carol', 'access', daysBefore(1)),
      activityRecorded('carol', 'customerService', daysBefore(5)),
    ]);

    expect(subscriptionRows(view, NOW).map((r) => [r.skuPartNumber, r.lastActivityAt, r.lowUsage])).toEqual([
      [SALES, null, true],
      [POWER_APPS, daysBefore(1), false],
    ]);
  });

  it('marks excluded subscriptions, which are never low usage', () => {
    const view = given([
      ...modelsFor(SALES),
      licenseAssigned('dave', SALES, { upn: 'Dave@Contoso.com' }),
      licenseAssigned('erin', SALES),
      exclusionRuleAdded('user', 'dave@contoso.com'),
    ]);

    expect(subscriptionRows(view, NOW).map((r) => [r.userId, r.excluded, r.lowUsage])).toEqual([
      ['dave', true, false],
      ['erin', false, true],
    ]);
  });

  it('includes licenses of unrecognised identifiers', () => {
    const view = given([
      identifierUnrecognized(UNKNOWN_SKU_ID, 'DYN365_NEW_THING'),
      licenseAssigned('frank', 'DYN365_NEW_THING', { skuId: UNKNOWN_SKU_ID }),
      activityRecorded('frank', 'sales', daysBefore(400)),
    ]);

    expect(subscriptionRows(view, NOW)).toMatchObject([
      {
        userId: 'frank',
        skuId: UNKNOWN_SKU_ID,
        skuPartNumber: 'DYN365_NEW_THING',
        lowUsage: false,
        lastActivityAt: daysBefore(400),
      },
    ]);
  });

  it('sorts by user principal name, user id and SKU, and filters by user and SKU', () => {
    const view = given([
      ...modelsFor(SALES, CUSTOMER_SERVICE),
      licenseAssigned('u2', SALES, { upn: 'b@contoso.com' }),
      licenseAssigned('u1', SALES, { upn: 'b@contoso.com' }),
      licenseAssigned('u3', CUSTOMER_SERVICE, { upn: 'a@contoso.com' }),
      licenseAssigned('u3', SALES, { upn: 'a@contoso.com' }),
    ]);

    expect(subscriptionRows(view, NOW).map(subscriptionRowKey)).toEqual([
      'u3|749742bf-0d37-4158-a120-33567104deeb',
      'u3|1e1a282c-9c54-43a2-9310-98ef728faace',
      'u1|1e1a282c-9c54-43a2-9310-98ef728faace',
      'u2|1e1a282c-9c54-43a2-9310-98ef728faace',
    ]);
    expect(subscriptionRows(view, NOW, { userId: 'u3' })).toHaveLength(2);
    expect(subscriptionRows(view, NOW, { userId: 'nobody' })).toEqual([]);
    expect(subscriptionRows(view, NOW, { skuPartNumber: 'dyn365_enterprise_sales' }).map((r) => r.userId)).toEqual([
      'u3',
      'u1',
      'u2',
    ]);
    expect(
      subscriptionRows(view, NOW, { userId: 'u3', skuPartNumber: CUSTOMER_SERVICE }).map((r) => r.skuPartNumber),
    ).toEqual([CUSTOMER_SERVICE]);
  });
});
