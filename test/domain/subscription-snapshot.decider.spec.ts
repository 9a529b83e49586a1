import {
  decideSubscriptionSnapshot,
  type RecordSubscriptionSnapshot,
  type SnapshotSku,
  type SnapshotUser,
} from '../../src/domain/licensee/subscription-snapshot.decider';
import { LedgerState } from '../support/ledger-state';

const profileId = '0f7c4f1e-9d4b-4a8f-a2a1-3a6f1c2b9d10';
const SALES = { skuId: '1e1a282c-9c54-43a2-9310-98ef728faace', part: 'DYN365_ENTERPRISE_SALES' };
const CS = { skuId: '749742bf-0d37-4158-a120-33567104deeb', part: 'DYN365_ENTERPRISE_CUSTOMER_SERVICE' };
const E3 = { skuId: '6fd2c87f-b296-42f0-b197-1e91e994b900', part: 'ENTERPRISEPACK' };
const UNKNOWN = { skuId: '5b1f5c3a-0000-4000-8000-000000002027', part: 'DYN365_SALES_AGENT_2027' };
const group = 'a1a1a1a1-0000-4000-8000-000000000001';

const sku = (s: { skuId: string; part: string }, enabled = 10, plans: string[] = []): SnapshotSku => ({
  skuId: s.skuId,
  skuPartNumber: s.part,
  appliesTo: 'User',
  capabilityStatus: 'Enabled',
  prepaidUnits: { enabled, warning: 0, suspended: 0, lockedOut: 0 },
  servicePlanNames: plans,
});
const user = (
  id: string,
  licenses: { skuId: string; via?: (string | null)[] }[],
  upn = `${id.slice(0, 4)}@contoso.com`,
): SnapshotUser => ({
  id,
  userPrincipalName: upn,
  accountEnabled: true,
  userType: 'Member',
  skuIds: licenses.map((l) => l.skuId),
  states: licenses.flatMap((l) =>
    (l.via ?? [null]).map((g) => ({
      skuId: l.skuId,
      assignedByGroup: g,
      state: 'Active',
      lastUpdatedDateTime: '2026-03-01T00:00:00Z',
    })),
  ),
});
const snapshot = (
  users: SnapshotUser[],
  skus: SnapshotSku[],
  extraIds: string[] = [],
  takenAt = '2026-06-01T00:00:00.000Z',
): RecordSubscriptionSnapshot => ({
  profileId,
  runId: 'b0b0b0b0-0000-4000-8000-000000000001',
  takenAt,
  skus,
  licensedUsers: users,
  allUserIds: new Set([...users.map((u) => u.id), ...extraIds]),
});
const u1 = '11111111-0000-4000-8000-000000000001';
const u2 = '22222222-0000-4000-8000-000000000002';

const typesOf = (d: ReturnType<typeof decideSubscriptionSnapshot>) =>
  d.licensees.flatMap((c) =>
    c.events.map((e) => `${e.event.type}:${(e.event.data as { skuPartNumber?: string }).skuPartNumber ?? ''}`),
  );

describe('RecordSubscriptionSnapshot', () => {
  it('given nothing, when the first snapshot arrives, then licenses, models, rules, entitlements and the unrecognised SKU are recorded; Office is ignored', () => {
    const d = decideSubscriptionSnapshot(
      snapshot(
        [user(u1, [{ skuId: SALES.skuId }, { skuId: E3.skuId }, { skuId: UNKNOWN.skuId }])],
        [sku(SALES), sku(E3, 50, ['EXCHANGE_S_ENTERPRISE']), sku(UNKNOWN, 5, ['DYN365_SALES_AGENT'])],
      ),
      undefined,
      undefined,
    );
    expect(typesOf(d)).toEqual(['LicenseAssigned:DYN365_ENTERPRISE_SALES', 'LicenseAssigned:DYN365_SALES_AGENT_2027']);
    expect(d.catalog.events.map((e) => e.event.type)).toEqual([
      'SoftwareModelCreated',
      'ReclamationRuleCreated',
      'EntitlementObserved',
      'SubscriptionIdentifierUnrecognized',
      'EntitlementObserved',
    ]);
    expect(d.catalog.events[1].event.data).toMatchObject({
      skuPartNumber: 'DYN365_ENTERPRISE_SALES',
      inactivityDays: 60,
      enabled: true,
    });
    expect(d.licensees[0].events[1].event.data).toMatchObject({ recognized: false });
    expect(d.summary.data.counts).toMatchObject({
      users: 1,
      licensedUsers: 1,
      subscriptions: 2,
      assigned: 2,
      modelsCreated: 1,
      unrecognized: 1,
      outOfScopeSkus: 1,
    });
    expect(d.licensees[0].expectedRevision).toBe('no-stream');
  });

  it('a license held through a group and directly is one subscription assigned via both, naming the group', () => {
    const d = decideSubscriptionSnapshot(
      snapshot([user(u1, [{ skuId: SALES.skuId, via: [null, group] }])], [sku(SALES)]),
      undefined,
      undefined,
    );
    expect(d.licensees[0].events.map((e) => e.event.data)).toEqual([
      expect.objectContaining({ assignedVia: 'both', groupIds: [group], assignedAt: '2026-03-01T00:00:00Z' }),
    ]);
  });

  it('given the same tenant again, appends nothing but the snapshot summary', () => {
    const skus = [sku(SALES)];
    const first = snapshot([user(u1, [{ skuId: SALES.skuId }])], skus);
    const state = new LedgerState();
    const d1 = decideSubscriptionSnapshot(first, undefined, undefined);
    state.apply([...d1.licensees, d1.catalog]);
    const d2 = decideSubscriptionSnapshot(first, state.subscriptions.get(profileId), state.catalog.get(profileId));
    expect(d2.licensees).toEqual([]);
    expect(d2.catalog.events).toEqual([]);
    expect(d2.summary.data.counts).toMatchObject({ assigned: 0, changed: 0, removed: 0, subscriptions: 1 });
  });

  it('a user deleted between syncs loses every license with reason user-deleted; an unassigned license is removed as unassigned', () => {
    const state = new LedgerState();
    const d1 = decideSubscriptionSnapshot(
      snapshot(
        [user(u1, [{ skuId: SALES.skuId }]), user(u2, [{ skuId: SALES.skuId }, { skuId: CS.skuId }])],
        [sku(SALES), sku(CS)],
      ),
      undefined,
      undefined,
    );
    state.apply([...d1.licensees, d1.catalog]);
    const d2 = decideSubscriptionSnapshot(
      snapshot([user(u2, [{ skuId: CS.skuId }])], [sku(SALES), sku(CS)]),
      state.subscriptions.get(profileId),
      state.catalog.get(profileId),
    );
    const removed = d2.licensees.flatMap((c) =>
      c.events.map((e) => e.event.data as { userId: string; skuPartNumber: string; reason: string }),
    );
    expect(removed).toEqual([
      expect.objectContaining({ userId: u2, skuPartNumber: 'DYN365_ENTERPRISE_SALES', reason: 'unassigned' }),
      expect.objectContaining({ userId: u1, skuPartNumber: 'DYN365_ENTERPRISE_SALES', reason: 'user-deleted' }),
    ]);
    expect(d2.licensees.find((c) => c.streamId.endsWith(u1))!.expectedRevision).toBe(0);
  });

  it('a change of group or of direct assignment is a LicenseAssignmentChanged with the previous value', () => {
    const state = new LedgerState();
    const d1 = decideSubscriptionSnapshot(
      snapshot([user(u1, [{ skuId: SALES.skuId }])], [sku(SALES)]),
      undefined,
      undefined,
    );
    state.apply([...d1.licensees, d1.catalog]);
    const d2 = decideSubscriptionSnapshot(
      snapshot([user(u1, [{ skuId: SALES.skuId, via: [group] }])], [sku(SALES)]),
      state.subscriptions.get(profileId),
      state.catalog.get(profileId),
    );
    expect(d2.licensees[0].events[0].event).toEqual({
      type: 'LicenseAssignmentChanged',
      data: expect.objectContaining({
        assignedVia: 'group',
        groupIds: [group],
        previousAssignedVia: 'direct',
        previousGroupIds: [],
      }),
    });
  });

  it('prepaid units are observed again only when they change; a renamed user is recorded', () => {
    const state = new LedgerState();
    const d1 = decideSubscriptionSnapshot(
      snapshot([user(u1, [{ skuId: SALES.skuId }], 'old@contoso.com')], [sku(SALES, 10)]),
      undefined,
      undefined,
    );
    state.apply([...d1.licensees, d1.catalog]);
    const d2 = decideSubscriptionSnapshot(
      snapshot([user(u1, [{ skuId: SALES.skuId }], 'new@contoso.com')], [sku(SALES, 12)]),
      state.subscriptions.get(profileId),
      state.catalog.get(profileId),
    );
    expect(d2.catalog.events.map((e) => e.event)).toEqual([
      expect.objectContaining({
        type: 'EntitlementObserved',
        data: expect.objectContaining({ prepaidUnits: { enabled: 12, warning: 0, suspended: 0, lockedOut: 0 } }),
      }),
    ]);
    expect(d2.licensees[0].events[0].event).toMatchObject({
      type: 'LicenseeDetailsChanged',
      data: { userPrincipalName: 'new@contoso.com' },
    });
  });

  it('event ids are stable for the same decision and differ for a different fact at the same revision', () => {
    const a = decideSubscriptionSnapshot(
      snapshot([user(u1, [{ skuId: SALES.skuId }])], [sku(SALES)]),
      undefined,
      undefined,
    );
    const b = decideSubscriptionSnapshot(
      snapshot([user(u1, [{ skuId: SALES.skuId }])], [sku(SALES)], [], '2026-06-02T00:00:00.000Z'),
      undefined,
      undefined,
    );
    const c = decideSubscriptionSnapshot(snapshot([user(u1, [{ skuId: CS.skuId }])], [sku(CS)]), undefined, undefined);
    expect(a.licensees[0].events[0].id).toBe(b.licensees[0].events[0].id);
    expect(a.licensees[0].events[0].id).not.toBe(c.licensees[0].events[0].id);
  });
});
