import { SkuScope, type SubscribedSku } from '../../src/domain/catalog/sku-scope';
import { licenseeDecider } from '../../src/domain/licensee/licensee.decider';
import type { LicenseeEvent } from '../../src/domain/licensee/licensee.events';
import {
  observe,
  type GraphUserLicenses,
  type Observation,
} from '../../src/domain/licensee/record-subscription-snapshot';
import { SnapshotRun } from '../../src/domain/licensee/snapshot-run';
import { tenantCatalogDecider } from '../../src/domain/tenant/tenant-catalog.decider';
import type { TenantEvent } from '../../src/domain/tenant/tenant.events';
import { deciderSpec } from '../support/decider-spec';

const profileId = '0f7c4f1e-9d4b-4a8f-a2a1-3a6f1c2b9d10';
const SALES = { skuId: '1e1a282c-9c54-43a2-9310-98ef728faace', part: 'DYN365_ENTERPRISE_SALES' };
const CS = { skuId: '749742bf-0d37-4158-a120-33567104deeb', part: 'DYN365_ENTERPRISE_CUSTOMER_SERVICE' };
const E3 = { skuId: '6fd2c87f-b296-42f0-b197-1e91e994b900', part: 'ENTERPRISEPACK' };
const UNKNOWN = { skuId: '5b1f5c3a-0000-4000-8000-000000002027', part: 'DYN365_SALES_AGENT_2027' };
const group = 'a1a1a1a1-0000-4000-8000-000000000001';
const u1 = '11111111-0000-4000-8000-000000000001';
const u2 = '22222222-0000-4000-8000-000000000002';
const takenAt = '2026-06-01T00:00:00.000Z';
const assignedAt = '2026-03-01T00:00:00Z';

const sku = (s: { skuId: string; part: string }, enabled = 10, plans: string[] = []): SubscribedSku => ({
  skuId: s.skuId,
  skuPartNumber: s.part,
  appliesTo: 'User',
  capabilityStatus: 'Enabled',
  prepaidUnits: { enabled, warning: 0, suspended: 0, lockedOut: 0 },
  servicePlanNames: plans,
});
const SKUS = [sku(SALES), sku(CS), sku(E3, 50, ['EXCHANGE_S_ENTERPRISE']), sku(UNKNOWN, 5, ['DYN365_SALES_AGENT'])];
const scope = new SkuScope(SKUS);

const graphUser = (
  id: string,
  licenses: { skuId: string; via?: (string | null)[]; state?: string }[],
  upn = `${id.slice(0, 4)}@contoso.com`,
): GraphUserLicenses => ({
  id,
  userPrincipalName: upn,
  accountEnabled: true,
  userType: 'Member',
  skuIds: licenses.map((l) => l.skuId),
  states: licenses.flatMap((l) =>
    (l.via ?? [null]).map((g) => ({
      skuId: l.skuId,
      assignedByGroup: g,
      state: l.state ?? 'Active',
      lastUpdatedDateTime: assignedAt,
    })),
  ),
});
const snapshotOf = (userId: string, observation: Observation) => ({
  type: 'RecordSubscriptionSnapshot' as const,
  data: { profileId, userId, takenAt, observation },
});
const seen = (user: GraphUserLicenses) => snapshotOf(user.id, observe(user, scope));
const assigned = (userId: string, s: { skuId: string; part: string }, upn = `${userId.slice(0, 4)}@contoso.com`) =>
  ({
    type: 'LicenseAssigned',
    data: {
      profileId,
      userId,
      userPrincipalName: upn,
      skuId: s.skuId,
      skuPartNumber: s.part,
      assignedVia: 'direct',
      groupIds: [],
      assignedAt,
      accountEnabled: true,
      userType: 'Member',
      recognized: true,
    },
  }) satisfies LicenseeEvent;

const licensee = deciderSpec(licenseeDecider);
const catalog = deciderSpec(tenantCatalogDecider);

describe('RecordSubscriptionSnapshot (one user)', () => {
  it('given nothing, records each in-scope license; Office is ignored and an unknown Dynamics SKU is marked unrecognised', () => {
    licensee
      .given([])
      .when(seen(graphUser(u1, [{ skuId: SALES.skuId }, { skuId: E3.skuId }, { skuId: UNKNOWN.skuId }])))
      .then([
        assigned(u1, SALES),
        { type: 'LicenseAssigned', data: { ...assigned(u1, UNKNOWN).data, recognized: false } },
      ]);
  });

  it('a license held through a group and directly is one subscription assigned via both, naming the group', () =>
    licensee
      .given([])
      .when(seen(graphUser(u1, [{ skuId: SALES.skuId, via: [null, group] }])))
      .thenMatch([{ type: 'LicenseAssigned', data: { assignedVia: 'both', groupIds: [group], assignedAt } }]));

  it('a group assignment in an error state grants nothing; the direct one still counts', () =>
    licensee
      .given([])
      .when(seen(graphUser(u1, [{ skuId: SALES.skuId, via: [group], state: 'Error' }, { skuId: CS.skuId }])))
      .thenMatch([
        { type: 'LicenseAssigned', data: { skuPartNumber: SALES.part, assignedVia: 'direct', groupIds: [] } },
        { type: 'LicenseAssigned', data: { skuPartNumber: CS.part } },
      ]));

  it('given the same licenses again, records nothing', () =>
    licensee
      .given([assigned(u1, SALES)])
      .when(seen(graphUser(u1, [{ skuId: SALES.skuId }])))
      .then([]));

  it('an unassigned license is removed as unassigned; a user gone from the directory loses every license', () => {
    licensee
      .given([assigned(u2, SALES), assigned(u2, CS)])
      .when(seen(graphUser(u2, [{ skuId: CS.skuId }])))
      .thenMatch([
        { type: 'LicenseRemoved', data: { skuPartNumber: SALES.part, reason: 'unassigned', removedAt: takenAt } },
      ]);
    licensee
      .given([assigned(u1, SALES)])
      .when(snapshotOf(u1, { present: false, reason: 'user-deleted' }))
      .thenMatch([{ type: 'LicenseRemoved', data: { userId: u1, skuPartNumber: SALES.part, reason: 'user-deleted' } }]);
  });

  it('a change of group or of direct assignment is a LicenseAssignmentChanged with the previous value', () =>
    licensee
      .given([assigned(u1, SALES)])
      .when(seen(graphUser(u1, [{ skuId: SALES.skuId, via: [group] }])))
      .thenMatch([
        {
          type: 'LicenseAssignmentChanged',
          data: { assignedVia: 'group', groupIds: [group], previousAssignedVia: 'direct', previousGroupIds: [] },
        },
      ]));

  it('a renamed user is recorded', () =>
    licensee
      .given([assigned(u1, SALES, 'old@contoso.com')])
      .when(seen(graphUser(u1, [{ skuId: SALES.skuId }], 'new@contoso.com')))
      .thenMatch([{ type: 'LicenseeDetailsChanged', data: { userPrincipalName: 'new@contoso.com' } }]));
});

describe('RecordSubscribedSkus (the tenant catalog)', () => {
  const recordSkus = (skus: SubscribedSku[]) => ({
    type: 'RecordSubscribedSkus' as const,
    data: { profileId, skus, scope: new SkuScope(skus), takenAt },
  });

  it('given nothing, a known SKU becomes a model with a 60-day rule, an unknown Dynamics SKU is listed, units are observed; Office is ignored', () => {
    const events = catalog
      .given([])
      .when(recordSkus(SKUS.filter((s) => s.skuId !== CS.skuId)))
      .events();
    expect(events.map((e) => `${e.type}:${(e.data as { skuPartNumber: string }).skuPartNumber}`)).toEqual([
      `SoftwareModelCreated:${SALES.part}`,
      `ReclamationRuleCreated:${SALES.part}`,
      `EntitlementObserved:${SALES.part}`,
      `SubscriptionIdentifierUnrecognized:${UNKNOWN.part}`,
      `EntitlementObserved:${UNKNOWN.part}`,
    ]);
    expect(events[1].data).toMatchObject({ inactivityDays: 60, enabled: true, notify: false });
  });

  it('prepaid units are observed again only when they change', () => {
    const first = catalog
      .given([])
      .when(recordSkus([sku(SALES, 10)]))
      .events();
    catalog
      .given(first)
      .when(recordSkus([sku(SALES, 10)]))
      .then([]);
    catalog
      .given(first)
      .when(recordSkus([sku(SALES, 12)]))
      .thenMatch([
        {
          type: 'EntitlementObserved',
          data: { prepaidUnits: { enabled: 12, warning: 0, suspended: 0, lockedOut: 0 } },
        },
      ]);
  });
});

describe('a snapshot run, page by page', () => {
  const decideAll = (
    run: SnapshotRun,
    commands: ReturnType<SnapshotRun['page']>,
    given: Map<string, LicenseeEvent[]>,
  ) => {
    const events = commands.flatMap(({ command }) =>
      licensee
        .given(given.get(command.data.userId) ?? [])
        .when(command)
        .events(),
    );
    run.recorded(events);
    return events;
  };

  it('commands only users who hold or held something in scope, each once, and counts the run', () => {
    const run = new SnapshotRun(profileId, 'b0b0b0b0-0000-4000-8000-000000000001', takenAt, SKUS);
    const history = new Map([[u2, [assigned(u2, SALES)] as LicenseeEvent[]]]);
    const officeOnly = graphUser('33333333-0000-4000-8000-000000000003', [{ skuId: E3.skuId }]);
    const page = run.page([graphUser(u1, [{ skuId: SALES.skuId }]), graphUser(u2, []), officeOnly], (id) =>
      history.has(id),
    );
    expect(page.map((c) => c.command.data.userId)).toEqual([u1, u2]);
    decideAll(run, page, history);
    expect(run.page([graphUser(u1, [{ skuId: SALES.skuId }])], () => true)).toEqual([]);
    const end = run.end([u2, '44444444-0000-4000-8000-000000000004'], () => 'user-deleted');
    expect(end.map((c) => c.command.data)).toEqual([
      expect.objectContaining({
        userId: '44444444-0000-4000-8000-000000000004',
        observation: { present: false, reason: 'user-deleted' },
      }),
    ]);
    expect(run.counts()).toEqual({
      users: 3,
      licensedUsers: 1,
      subscriptions: 1,
      assigned: 1,
      changed: 0,
      removed: 1,
      modelsCreated: 0,
      unrecognized: 0,
      outOfScopeSkus: 1,
    });
    expect(run.summary().command).toMatchObject({ type: 'RecordSnapshotSummary', data: { counts: run.counts() } });
  });

  it('counts the models and identifiers the catalog recorded', () => {
    const run = new SnapshotRun(profileId, 'b0b0b0b0-0000-4000-8000-000000000001', takenAt, SKUS);
    const events: TenantEvent[] = catalog.given([]).when(run.subscribedSkus().command).events();
    run.recorded(events);
    expect(run.counts()).toMatchObject({ modelsCreated: 2, unrecognized: 1 });
  });
});
