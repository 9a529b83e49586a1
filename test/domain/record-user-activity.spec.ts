import { licenseeDecider } from '../../src/domain/licensee/licensee.decider';
import type { LicenseeEvent } from '../../src/domain/licensee/licensee.events';
import { AuditActivity, type AuditRow, type ObservedActivity } from '../../src/domain/licensee/record-user-activity';
import { deciderSpec } from '../support/decider-spec';

const profileId = '0f7c4f1e-9d4b-4a8f-a2a1-3a6f1c2b9d10';
const SALES = '1e1a282c-9c54-43a2-9310-98ef728faace';
const ENV = 'https://contoso.crm.dynamics.com';
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
    fullname: 'Marketing sync',
  },
  {
    systemuserid: sysStranger,
    azureactivedirectoryobjectid: 'eeeeeeee-0000-4000-8000-000000000005',
    accessmode: 0,
    applicationid: null,
  },
];
const licensed = new Set([alice, bob]);

/** One environment's audit log read in two pages, reduced to each user's latest activity of each kind. */
function pull(rows: AuditRow[]): AuditActivity {
  const activity = new AuditActivity(ENV, '2026-01-01', systemUsers, (id) => licensed.has(id));
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
const seen = (app: ObservedActivity['app'], at: string, beyondTeamMembers = true): ObservedActivity => ({
  app,
  at,
  beyondTeamMembers,
  environmentUrl: ENV,
});
const recorded = (a: ObservedActivity): LicenseeEvent => ({
  type: 'UserActivityRecorded',
  data: {
    profileId,
    userId: alice,
    app: a.app,
    lastActivityAt: a.at,
    source: 'dataverse-audit',
    environmentUrl: a.environmentUrl,
    beyondTeamMembers: a.beyondTeamMembers,
  },
});
const record = (activity: ObservedActivity[]) => ({
  type: 'RecordUserActivity' as const,
  data: { profileId, userId: alice, activity, source: 'dataverse-audit' },
});
const spec = deciderSpec(licenseeDecider);

describe('audit rows → each user’s latest activity of each kind', () => {
  it('keeps the latest row per user and kind, attributing by table; sign-ins are access, within Team Members', () => {
    const activity = pull([
      { createdon: '2026-05-01T10:00:00Z', _userid_value: sysAlice, objecttypecode: 'opportunity', action: 2 },
      { createdon: '2026-05-20T10:00:00Z', _userid_value: sysAlice, objecttypecode: 'lead', action: 1 },
      { createdon: '2026-03-01T10:00:00Z', _userid_value: sysAlice, objecttypecode: 'incident', action: 2 },
      { createdon: '2026-05-25T10:00:00Z', _userid_value: sysAlice, objecttypecode: 'contact', action: 2 },
      { createdon: '2026-05-30T08:00:00Z', _userid_value: sysAlice, objecttypecode: 'systemuser', action: 64 },
    ]);
    expect([...activity.perUser()]).toEqual([
      {
        userId: alice,
        activity: [
          seen('customerService', '2026-03-01T10:00:00.000Z'),
          seen('sales', '2026-05-20T10:00:00.000Z'),
          seen('common', '2026-05-25T10:00:00.000Z', false),
          seen('access', '2026-05-30T08:00:00.000Z', false),
        ],
      },
    ]);
    expect(activity.rowsRead).toBe(5);
  });

  it('two rows of one kind at the same moment, one beyond Team Members rights, are one observation beyond them', () => {
    const activity = pull([
      { createdon: '2026-05-25T10:00:00Z', _userid_value: sysAlice, objecttypecode: 'contact', action: 2 },
      { createdon: '2026-05-25T10:00:00Z', _userid_value: sysAlice, objecttypecode: 'account', action: 2 },
    ]);
    expect([...activity.perUser()]).toEqual([
      { userId: alice, activity: [seen('common', '2026-05-25T10:00:00.000Z', true)] },
    ]);
  });

  it("ignores an application user's rows, users Graph does not know, activity before the window and audit housekeeping", () => {
    const activity = pull([
      { createdon: '2026-05-01T00:00:00Z', _userid_value: sysApp, objecttypecode: 'opportunity', action: 1 },
      { createdon: '2026-05-01T00:00:00Z', _userid_value: sysStranger, objecttypecode: 'opportunity', action: 1 },
      { createdon: '2025-12-31T23:59:59Z', _userid_value: sysAlice, objecttypecode: 'opportunity', action: 1 },
      { createdon: '2026-05-01T00:00:00Z', _userid_value: sysAlice, objecttypecode: 'audit', action: 112 },
    ]);
    expect([...activity.perUser()]).toEqual([]);
    expect(activity.ignored).toEqual({
      applicationUsers: 1,
      unknownUsers: 1,
      beforeWindow: 1,
      notActivity: 1,
      impersonated: 0,
    });
  });

  it("a row an integration wrote impersonating a user is the integration's activity, never the user's", () => {
    const activity = pull([
      {
        createdon: '2026-05-10T00:00:00Z',
        _userid_value: sysAlice,
        _callinguserid_value: sysApp,
        objecttypecode: 'opportunity',
        action: 2,
      },
      {
        createdon: '2026-05-11T00:00:00Z',
        _userid_value: sysAlice,
        _callinguserid_value: sysApp,
        objecttypecode: 'contact',
        action: 2,
      },
      // The user's own row, with the calling user set to the user itself: the user's.
      {
        createdon: '2026-04-01T00:00:00Z',
        _userid_value: sysAlice,
        _callinguserid_value: sysAlice,
        objecttypecode: 'lead',
        action: 1,
      },
    ]);
    expect([...activity.perUser()]).toEqual([{ userId: alice, activity: [seen('sales', '2026-04-01T00:00:00.000Z')] }]);
    expect(activity.integrations()).toEqual([
      {
        systemUserId: sysApp,
        name: 'Marketing sync',
        applicationId: 'dddddddd-0000-4000-8000-000000000004',
        rows: 2,
        usersActedFor: 1,
        lastActivityAt: '2026-05-11T00:00:00.000Z',
      },
    ]);
    expect(activity.ignored.impersonated).toBe(2);
  });
});

describe('RecordUserActivity (licensee decider)', () => {
  it('given no activity, records each kind’s latest, with its environment', () => {
    const sales = seen('sales', '2026-05-20T10:00:00.000Z');
    const access = seen('access', '2026-05-30T08:00:00.000Z', false);
    spec
      .given([assigned])
      .when(record([sales, access]))
      .then([recorded(sales), recorded(access)]);
  });

  it('records only where the last activity of a kind moves forward, whichever environment it came from', () => {
    const history = [assigned, recorded(seen('sales', '2026-05-20T10:00:00.000Z'))];
    spec
      .given(history)
      .when(record([seen('sales', '2026-05-20T10:00:00.000Z')]))
      .then([]);
    spec
      .given(history)
      .when(record([seen('sales', '2026-05-10T10:00:00.000Z')]))
      .then([]);
    const elsewhere = {
      ...seen('sales', '2026-05-21T10:00:00.000Z'),
      environmentUrl: 'https://sales.crm.dynamics.com',
    };
    spec
      .given(history)
      .when(record([elsewhere]))
      .then([recorded(elsewhere)]);
  });

  it('records an older row when it is the latest beyond Team Members rights', () => {
    const history = [assigned, recorded(seen('common', '2026-05-20T10:00:00.000Z', false))];
    const accountEdit = seen('common', '2026-05-10T10:00:00.000Z', true);
    spec
      .given(history)
      .when(record([accountEdit]))
      .then([recorded(accountEdit)]);
    const state = spec.given([...history, recorded(accountEdit)]).state;
    expect(state.lastActivity).toMatchObject({
      common: '2026-05-20T10:00:00.000Z',
      beyondTeamMembers: '2026-05-10T10:00:00.000Z',
    });
  });
});
