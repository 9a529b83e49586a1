import { licensePosition, lowUsage, subscriptionRows } from '../../src/domain/conclusions';
import {
  activityPulled,
  activityRecorded,
  ANALYZE_FROM_ISO,
  auditSettingChanged,
  auditSettingsObserved,
  coveredEnvironment,
  daysBefore,
  given,
  licenseAssigned,
  modelsFor,
  NOW,
  ruleChanged,
} from './given';

const SALES = 'DYN365_ENTERPRISE_SALES';
const TEAM_MEMBERS = 'DYN365_TEAM_MEMBERS';
const SALES_ENV = 'https://sales.crm.dynamics.com';

/** Bob holds Sales and did nothing for 90 days: low usage wherever the audit log proves it. */
const idleBob = [...modelsFor(SALES), licenseAssigned('bob', SALES), activityRecorded('bob', 'sales', daysBefore(90))];

describe('low usage is listed only where inactivity is proven', () => {
  it('a window the audit log covered in every environment: proven', () => {
    expect(lowUsage(given(idleBob), NOW)).toMatchObject([{ userId: 'bob', proven: true, unprovenReason: null }]);
  });

  it('auditing switched off for a while inside the window: unproven (audit-off), shown only on request', () => {
    const view = given([
      ...coveredEnvironment(),
      auditSettingChanged(110, daysBefore(40)),
      auditSettingChanged(107, daysBefore(30)),
      ...idleBob,
    ]);
    expect(lowUsage(view, NOW)).toEqual([]);
    expect(lowUsage(view, NOW, { includeUnproven: true })).toMatchObject([
      { userId: 'bob', proven: false, unprovenReason: 'audit-off' },
    ]);
  });

  it('auditing off before the window and on throughout it: proven', () => {
    const view = given([
      ...coveredEnvironment(),
      auditSettingChanged(110, daysBefore(120)),
      auditSettingChanged(107, daysBefore(100)),
      ...idleBob,
    ]);
    expect(lowUsage(view, NOW)).toMatchObject([{ userId: 'bob', proven: true }]);
  });

  it('auditing seen off by the last refresh: every window from then on is unproven', () => {
    const view = given([
      auditSettingsObserved({}, ANALYZE_FROM_ISO),
      activityPulled(ANALYZE_FROM_ISO, NOW),
      auditSettingsObserved({ auditEnabled: false }, daysBefore(5)),
      ...idleBob,
    ]);
    expect(lowUsage(view, NOW, { includeUnproven: true })).toMatchObject([{ unprovenReason: 'audit-off' }]);
  });

  it('logs deleted (row 111) inside the window: unproven (log-deleted)', () => {
    const view = given([...coveredEnvironment(), auditSettingChanged(111, daysBefore(20)), ...idleBob]);
    expect(lowUsage(view, NOW, { includeUnproven: true })).toMatchObject([{ unprovenReason: 'log-deleted' }]);
  });

  it('a retention shorter than the threshold: the start of the window is gone (log-deleted)', () => {
    const view = given([
      auditSettingsObserved({ retentionDays: 30 }),
      activityPulled(ANALYZE_FROM_ISO, NOW),
      ...idleBob,
    ]);
    expect(lowUsage(view, NOW, { includeUnproven: true })).toMatchObject([{ unprovenReason: 'log-deleted' }]);
  });

  it('a second environment read only lately, or whose last read is stale: unproven (not-connected)', () => {
    const lately = given([
      ...coveredEnvironment(),
      auditSettingsObserved({}, daysBefore(10), SALES_ENV),
      activityPulled(daysBefore(10), NOW, SALES_ENV),
      ...idleBob,
    ]);
    expect(lowUsage(lately, NOW, { includeUnproven: true })).toMatchObject([{ unprovenReason: 'not-connected' }]);
    const stale = given([auditSettingsObserved(), activityPulled(ANALYZE_FROM_ISO, daysBefore(3)), ...idleBob]);
    expect(lowUsage(stale, NOW, { includeUnproven: true })).toMatchObject([{ unprovenReason: 'not-connected' }]);
    const fresh = given([auditSettingsObserved(), activityPulled(ANALYZE_FROM_ISO, daysBefore(1)), ...idleBob]);
    expect(lowUsage(fresh, NOW)).toMatchObject([{ proven: true }]);
  });

  it('no environment read at all proves nothing', () => {
    expect(lowUsage(given(idleBob, { coverage: false }), NOW, { includeUnproven: true })).toMatchObject([
      { proven: false, unprovenReason: 'not-connected' },
    ]);
  });

  it('user-access auditing off breaks proof only where sign-ins would count (Team Members, or the basis any)', () => {
    const accessOff = [
      ...coveredEnvironment(),
      auditSettingChanged(113, daysBefore(20)),
      auditSettingChanged(112, daysBefore(10)),
    ];
    expect(lowUsage(given([...accessOff, ...idleBob]), NOW)).toMatchObject([{ userId: 'bob', proven: true }]);
    const anyBasis = given([...accessOff, ...idleBob, ruleChanged(SALES, { activityBasis: 'any' })]);
    expect(lowUsage(anyBasis, NOW, { includeUnproven: true })).toMatchObject([
      { unprovenReason: 'user-access-audit-off' },
    ]);
    const teamMembers = given([
      ...accessOff,
      ...modelsFor(TEAM_MEMBERS),
      licenseAssigned('tina', TEAM_MEMBERS),
      activityRecorded('tina', 'access', daysBefore(90)),
    ]);
    expect(lowUsage(teamMembers, NOW, { includeUnproven: true })).toMatchObject([
      { userId: 'tina', unprovenReason: 'user-access-audit-off' },
    ]);
  });

  it('the license position and the subscriptions view count proven low usage only', () => {
    const view = given([...coveredEnvironment(), auditSettingChanged(111, daysBefore(20)), ...idleBob]);
    expect(licensePosition(view, NOW).find((r) => r.skuPartNumber === SALES)).toMatchObject({ lowUsage: 0 });
    expect(subscriptionRows(view, NOW)).toMatchObject([{ userId: 'bob', lowUsage: false }]);
    expect(licensePosition(given(idleBob), NOW).find((r) => r.skuPartNumber === SALES)).toMatchObject({ lowUsage: 1 });
  });
});

describe('the activity basis of a rule', () => {
  const accountKeeper = [
    ...modelsFor(SALES),
    licenseAssigned('ann', SALES),
    activityRecorded('ann', 'common', daysBefore(5)),
  ];

  it('by default (app-and-common) keeping accounts and contacts up to date keeps a Sales license in use', () =>
    expect(lowUsage(given(accountKeeper), NOW)).toEqual([]));

  it("with the basis app, only the app's own tables count", () =>
    expect(lowUsage(given([...accountKeeper, ruleChanged(SALES, { activityBasis: 'app' })]), NOW)).toMatchObject([
      { userId: 'ann', skuPartNumber: SALES },
    ]));

  it('sign-ins count only with the basis any', () => {
    const signedIn = [
      ...modelsFor(SALES),
      licenseAssigned('sam', SALES),
      activityRecorded('sam', 'access', daysBefore(2)),
    ];
    expect(lowUsage(given(signedIn), NOW)).toMatchObject([{ userId: 'sam' }]);
    expect(lowUsage(given([...signedIn, ruleChanged(SALES, { activityBasis: 'any' })]), NOW)).toEqual([]);
  });
});

describe('what if (?inactivityDays=)', () => {
  it('answers every rule with another threshold from the same history, and changes nothing', () => {
    const view = given([
      ...modelsFor(SALES),
      licenseAssigned('bob', SALES),
      activityRecorded('bob', 'sales', daysBefore(45)),
    ]);
    expect(lowUsage(view, NOW)).toEqual([]);
    expect(lowUsage(view, NOW, { inactivityDays: 30 })).toMatchObject([{ userId: 'bob', thresholdDays: 30 }]);
    expect(lowUsage(view, NOW)).toEqual([]);
  });
});
