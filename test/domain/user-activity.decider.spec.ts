import { decideSubscriptionSnapshot } from '../../src/domain/licensee/subscription-snapshot.decider';
import { UserActivityAccumulator } from '../../src/domain/licensee/user-activity.decider';
import { LedgerState } from '../support/ledger-state';

const profileId = '0f7c4f1e-9d4b-4a8f-a2a1-3a6f1c2b9d10';
const SALES = '1e1a282c-9c54-43a2-9310-98ef728faace';
const alice = 'aaaaaaaa-0000-4000-8000-000000000001';
const bob = 'bbbbbbbb-0000-4000-8000-000000000002';
const sysAlice = '5a5a5a5a-0000-4000-8000-000000000001';
const sysApp = '5a5a5a5a-0000-4000-8000-0000000000ff';
const sysStranger = '5a5a5a5a-0000-4000-8000-0000000000ee';

function licensed(): LedgerState {
  const state = new LedgerState();
  const d = decideSubscriptionSnapshot(
    {
      profileId,
      runId: 'b0b0b0b0-0000-4000-8000-000000000001',
      takenAt: '2026-06-01T00:00:00.000Z',
      skus: [
        {
          skuId: SALES,
          skuPartNumber: 'DYN365_ENTERPRISE_SALES',
          appliesTo: 'User',
          capabilityStatus: 'Enabled',
          prepaidUnits: { enabled: 5, warning: 0, suspended: 0 },
          servicePlanNames: [],
        },
      ],
      licensedUsers: [alice, bob].map((id) => ({
        id,
        userPrincipalName: `${id}@x`,
        accountEnabled: true,
        userType: 'Member',
        skuIds: [SALES],
        states: [],
      })),
      allUserIds: new Set([alice, bob]),
    },
    undefined,
    undefined,
  );
  return state.apply([...d.licensees, d.catalog]);
}

const systemUsers = [
  { systemuserid: sysAlice, azureactivedirectoryobjectid: alice, accessmode: 0, applicationid: null },
  {
    systemuserid: sysApp,
    azureactivedirectoryobjectid: 'cccccccc-0000-4000-8000-000000000003',
    accessmode: 4,
    applicationid: 'dddddddd-0000-4000-8000-000000000004',
  },
  {
    systemuserid: sysStranger,
    azureactivedirectoryobjectid: 'eeeeeeee-0000-4000-8000-000000000005',
    accessmode: 0,
    applicationid: null,
  },
];

function accumulate(
  state: LedgerState,
  rows: { createdon: string; _userid_value: string; objecttypecode?: string; action?: number; operation?: number }[],
) {
  const tenant = state.subscriptions.get(profileId);
  const acc = new UserActivityAccumulator('2026-01-01', systemUsers, (id) => tenant?.users.has(id) ?? false);
  acc.add(rows.slice(0, 2));
  acc.add(rows.slice(2));
  return acc.decide({
    profileId,
    runId: 'b0b0b0b0-0000-4000-8000-000000000002',
    from: '2026-01-01T00:00:00.000Z',
    through: '2026-06-02T00:00:00.000Z',
    current: tenant,
  });
}

describe('RecordUserActivity', () => {
  it('keeps the latest row per user and app, attributing by table; user-access rows are general', () => {
    const d = accumulate(licensed(), [
      {
        createdon: '2026-05-01T10:00:00Z',
        _userid_value: sysAlice,
        objecttypecode: 'opportunity',
        action: 2,
        operation: 2,
      },
      { createdon: '2026-05-20T10:00:00Z', _userid_value: sysAlice, objecttypecode: 'lead', action: 1, operation: 1 },
      {
        createdon: '2026-03-01T10:00:00Z',
        _userid_value: sysAlice,
        objecttypecode: 'incident',
        action: 2,
        operation: 2,
      },
      {
        createdon: '2026-05-30T08:00:00Z',
        _userid_value: sysAlice,
        objecttypecode: 'systemuser',
        action: 64,
        operation: 4,
      },
    ]);
    expect(d.licensees).toHaveLength(1);
    expect(d.licensees[0].expectedRevision).toBe(0);
    expect(d.licensees[0].events.map((e) => e.event.data)).toEqual([
      expect.objectContaining({ userId: alice, app: 'sales', lastActivityAt: '2026-05-20T10:00:00.000Z' }),
      expect.objectContaining({ app: 'customerService', lastActivityAt: '2026-03-01T10:00:00.000Z' }),
      expect.objectContaining({ app: 'general', lastActivityAt: '2026-05-30T08:00:00.000Z' }),
    ]);
    expect(d.pull.data).toMatchObject({ rowsRead: 4, activityRecorded: 3 });
  });

  it("ignores an application user's rows, users Graph does not know, activity before the window and audit housekeeping", () => {
    const d = accumulate(licensed(), [
      { createdon: '2026-05-01T00:00:00Z', _userid_value: sysApp, objecttypecode: 'opportunity', action: 1 },
      { createdon: '2026-05-01T00:00:00Z', _userid_value: sysStranger, objecttypecode: 'opportunity', action: 1 },
      { createdon: '2025-12-31T23:59:59Z', _userid_value: sysAlice, objecttypecode: 'opportunity', action: 1 },
      { createdon: '2026-05-01T00:00:00Z', _userid_value: sysAlice, objecttypecode: 'audit', action: 112 },
    ]);
    expect(d.licensees).toEqual([]);
    expect(d.pull.data.ignored).toEqual({ applicationUsers: 1, unknownUsers: 1, beforeWindow: 1, notActivity: 1 });
  });

  it('appends only when the last activity for an app moves forward', () => {
    const state = licensed();
    const first = accumulate(state, [
      { createdon: '2026-05-20T10:00:00Z', _userid_value: sysAlice, objecttypecode: 'opportunity', action: 2 },
    ]);
    state.apply(first.licensees);
    const again = accumulate(state, [
      { createdon: '2026-05-20T10:00:00Z', _userid_value: sysAlice, objecttypecode: 'opportunity', action: 2 },
      { createdon: '2026-05-10T10:00:00Z', _userid_value: sysAlice, objecttypecode: 'quote', action: 2 },
    ]);
    expect(again.licensees).toEqual([]);
    const later = accumulate(state, [
      { createdon: '2026-05-21T10:00:00Z', _userid_value: sysAlice, objecttypecode: 'quote', action: 2 },
    ]);
    expect(later.licensees[0]).toMatchObject({
      expectedRevision: 1,
      events: [{ event: { data: { app: 'sales', lastActivityAt: '2026-05-21T10:00:00.000Z' } } }],
    });
  });
});
