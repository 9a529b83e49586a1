import { licenseeDecider } from '../../src/domain/licensee/licensee.decider';
import type { LicenseeEvent } from '../../src/domain/licensee/licensee.events';
import { AuditActivity, type AuditRow, type ObservedActivity } from '../../src/domain/licensee/record-user-activity';
import { deciderSpec } from '../support/decider-spec';

const profileId = '0f7c4f1e-9d4b-4a8f-a2a1-3a6f1c2b9d10';
const SALES = '1e1a282c-9c54-43a2-9310-98ef728faace';
const alice = 'aaaaaaaa-0000-4000-8000-000000000001';
const bob = 'bbbbbbbb-0000-4000-8000-000000000002';
const sysAlice = '5a5a5a5a-0000-4000-8000-000000000001';
const sysApp = '5a5a5a5a-0000-4000-8000-0000000000ff';
const sysStranger = '5a5a5a5a-0000-4000-8000-0000000000ee';

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
const licensed = new Set([alice, bob]);

/** The audit log read in two pages, reduced to each user's latest activity per app. */
function pull(rows: AuditRow[]): AuditActivity {
  const activity = new AuditActivity('2026-01-01', systemUsers, (id) => licensed.has(id));
  activity.add(rows.slice(0, 2));
  activity.add(rows.slice(2));
  return activity;
}

const assigned: LicenseeEvent = {
  type: 'LicenseAssigned',
  data: {
    profileId,
    userId: alice,
    userPrincipalName: 'alice@x',
    skuId: SALES,
    skuPartNumber: 'DYN365_ENTERPRISE_SALES',
    assignedVia: 'direct',
    groupIds: [],
    assignedAt: '2026-01-01T00:00:00.000Z',
    accountEnabled: true,
    userType: 'Member',
    recognized: true,
  },
};
const recorded = (app: ObservedActivity['app'], lastActivityAt: string): LicenseeEvent => ({
  type: 'UserActivityRecorded',
  data: { profileId, userId: alice, app, lastActivityAt, source: 'dataverse-audit' },
});
const record = (activity: ObservedActivity[]) => ({
  type: 'RecordUserActivity' as const,
  data: { profileId, userId: alice, activity, source: 'dataverse-audit' },
});
const spec = deciderSpec(licenseeDecider);

describe('audit rows → each user’s latest activity per app', () => {
  it('keeps the latest row per user and app, attributing by table; user-access rows are general', () => {
    const activity = pull([
      { createdon: '2026-05-01T10:00:00Z', _userid_value: sysAlice, objecttypecode: 'opportunity', action: 2 },
      { createdon: '2026-05-20T10:00:00Z', _userid_value: sysAlice, objecttypecode: 'lead', action: 1 },
      { createdon: '2026-03-01T10:00:00Z', _userid_value: sysAlice, objecttypecode: 'incident', action: 2 },
      { createdon: '2026-05-30T08:00:00Z', _userid_value: sysAlice, objecttypecode: 'systemuser', action: 64 },
    ]);
    expect([...activity.perUser()]).toEqual([
      {
        userId: alice,
        activity: [
          { app: 'sales', at: '2026-05-20T10:00:00.000Z' },
          { app: 'customerService', at: '2026-03-01T10:00:00.000Z' },
          { app: 'general', at: '2026-05-30T08:00:00.000Z' },
        ],
      },
    ]);
    expect(activity.rowsRead).toBe(4);
  });

  it("ignores an application user's rows, users Graph does not know, activity before the window and audit housekeeping", () => {
    const activity = pull([
      { createdon: '2026-05-01T00:00:00Z', _userid_value: sysApp, objecttypecode: 'opportunity', action: 1 },
      { createdon: '2026-05-01T00:00:00Z', _userid_value: sysStranger, objecttypecode: 'opportunity', action: 1 },
      { createdon: '2025-12-31T23:59:59Z', _userid_value: sysAlice, objecttypecode: 'opportunity', action: 1 },
      { createdon: '2026-05-01T00:00:00Z', _userid_value: sysAlice, objecttypecode: 'audit', action: 112 },
    ]);
    expect([...activity.perUser()]).toEqual([]);
    expect(activity.ignored).toEqual({ applicationUsers: 1, unknownUsers: 1, beforeWindow: 1, notActivity: 1 });
  });
});

describe('RecordUserActivity (licensee decider)', () => {
  it('given no activity, records each app’s latest', () =>
    spec
      .given([assigned])
      .when(
        record([
          { app: 'sales', at: '2026-05-20T10:00:00.000Z' },
          { app: 'general', at: '2026-05-30T08:00:00.000Z' },
        ]),
      )
      .then([recorded('sales', '2026-05-20T10:00:00.000Z'), recorded('general', '2026-05-30T08:00:00.000Z')]));

  it('records only where the last activity moves forward', () => {
    const history = [assigned, recorded('sales', '2026-05-20T10:00:00.000Z')];
    spec
      .given(history)
      .when(record([{ app: 'sales', at: '2026-05-20T10:00:00.000Z' }]))
      .then([]);
    spec
      .given(history)
      .when(record([{ app: 'sales', at: '2026-05-10T10:00:00.000Z' }]))
      .then([]);
    spec
      .given(history)
      .when(record([{ app: 'sales', at: '2026-05-21T10:00:00.000Z' }]))
      .then([recorded('sales', '2026-05-21T10:00:00.000Z')]);
  });
});
