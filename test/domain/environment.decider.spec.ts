import { awaitingRead, coverageOf } from '../../src/domain/conclusions/coverage';
import { environmentDecider } from '../../src/domain/environment/environment.decider';
import type { EnvironmentEvent } from '../../src/domain/environment/environment.events';
import { deciderSpec } from '../support/decider-spec';

const profileId = '0f7c4f1e-9d4b-4a8f-a2a1-3a6f1c2b9d10';
const environmentUrl = 'https://contoso.crm.dynamics.com';
const runId = 'c1c1c1c1-0000-4000-8000-000000000001';
const subject = { profileId, environmentUrl };
const spec = deciderSpec(environmentDecider);
const settings = {
  auditEnabled: true,
  userAccessAuditEnabled: true,
  userAccessAuditingIntervalHours: 4,
  auditRetentionDays: -1,
  unauditedTables: ['activitypointer'],
};
const observed: EnvironmentEvent = {
  type: 'AuditSettingsObserved',
  data: { ...subject, ...settings, observedAt: '2026-01-01T00:00:00.000Z' },
};
const pulled: EnvironmentEvent = {
  type: 'ActivityPulled',
  data: {
    ...subject,
    runId,
    from: '2026-01-01T00:00:00.000Z',
    through: '2026-06-30T00:00:00.000Z',
    rowsRead: 10,
    pulledAt: '2026-06-30T00:00:00.000Z',
  },
};
const disabledRow = { auditId: 'a-110', action: 110, at: '2026-03-01T00:00:00.000Z' };
const enabledRow = { auditId: 'a-107', action: 107, at: '2026-03-10T00:00:00.000Z' };

describe('an environment: audit settings, the rows that switch auditing, the reads and their coverage', () => {
  it('records what a refresh saw of the settings', () =>
    spec
      .given([])
      .when({ type: 'RecordAuditSettings', data: { ...subject, settings, at: '2026-01-01T00:00:00.000Z' } })
      .then([observed]));

  it('records each audit-setting row once, and nothing for rows of other actions', () => {
    const rows = [disabledRow, enabledRow, { auditId: 'a-2', action: 2, at: '2026-03-05T00:00:00.000Z' }];
    const first = spec
      .given([])
      .when({ type: 'RecordAuditSettingRows', data: { ...subject, rows } })
      .events();
    expect(first).toMatchObject([
      { type: 'AuditSettingChanged', data: { auditId: 'a-110', change: 'audit-disabled' } },
      { type: 'AuditSettingChanged', data: { auditId: 'a-107', change: 'audit-enabled' } },
    ]);
    spec
      .given(first)
      .when({ type: 'RecordAuditSettingRows', data: { ...subject, rows } })
      .then([]);
  });

  it('records a read and a failed read; the coverage that follows names the gaps', () => {
    const failed = spec
      .given([observed, pulled])
      .when({
        type: 'RecordActivityPullFailure',
        data: {
          ...subject,
          runId,
          cause: 'permission',
          message: 'prvReadAuditSummary',
          at: '2026-06-30T01:00:00.000Z',
        },
      })
      .events();
    expect(failed).toMatchObject([{ type: 'ActivityPullFailed', data: { cause: 'permission' } }]);
    const rows = spec
      .given([observed, pulled])
      .when({ type: 'RecordAuditSettingRows', data: { ...subject, rows: [disabledRow, enabledRow] } })
      .events();
    spec
      .given([observed, pulled, ...rows])
      .when({
        type: 'RecordCoverage',
        data: { ...subject, runId, analyzeActivityFrom: '2026-01-01', at: '2026-06-30T12:00:00.000Z' },
      })
      .then([
        {
          type: 'ActivityCoverageRecorded',
          data: {
            ...subject,
            runId,
            coveredFrom: '2026-01-01T00:00:00.000Z',
            through: '2026-06-30T12:00:00.000Z',
            gaps: [{ from: '2026-03-01T00:00:00.000Z', to: '2026-03-10T00:00:00.000Z', reason: 'audit-off' }],
          },
        },
      ]);
  });
});

describe('coverage', () => {
  const state = (events: EnvironmentEvent[]) => spec.given(events).state;

  it('time no read covered is not connected: before the first read, between reads, after a stale last read', () => {
    const late: EnvironmentEvent = {
      ...pulled,
      data: { ...pulled.data, from: '2026-02-01T00:00:00.000Z', through: '2026-03-01T00:00:00.000Z' },
    };
    const again: EnvironmentEvent = {
      ...pulled,
      data: { ...pulled.data, from: '2026-04-01T00:00:00.000Z', through: '2026-05-01T00:00:00.000Z' },
    };
    expect(coverageOf(state([observed, late, again]), '2026-01-01', '2026-06-30T00:00:00.000Z').gaps).toEqual([
      { from: '2026-01-01T00:00:00.000Z', to: '2026-02-01T00:00:00.000Z', reason: 'not-connected' },
      { from: '2026-03-01T00:00:00.000Z', to: '2026-04-01T00:00:00.000Z', reason: 'not-connected' },
      { from: '2026-05-01T00:00:00.000Z', to: '2026-06-30T00:00:00.000Z', reason: 'not-connected' },
    ]);
  });

  it('a stale last read is the one gap that awaits a read: the next read closes it, a gap between reads stays', () => {
    const late: EnvironmentEvent = {
      ...pulled,
      data: { ...pulled.data, from: '2026-01-01T00:00:00.000Z', through: '2026-03-01T00:00:00.000Z' },
    };
    const again: EnvironmentEvent = {
      ...pulled,
      data: { ...pulled.data, from: '2026-04-01T00:00:00.000Z', through: '2026-06-30T00:00:00.000Z' },
    };
    const at = (events: EnvironmentEvent[], t: string) => [coverageOf(state(events), '2026-01-01', t)];
    expect(awaitingRead(at([observed, late], '2026-06-30T00:00:00.000Z'), '2026-06-30T00:00:00.000Z')).toBe(true);
    expect(awaitingRead(at([observed, late, again], '2026-06-30T00:00:00.000Z'), '2026-06-30T00:00:00.000Z')).toBe(
      false,
    );
    // Read the day before: within PULL_FRESHNESS_HOURS, nothing is awaited.
    expect(awaitingRead(at([observed, late], '2026-03-02T00:00:00.000Z'), '2026-03-02T00:00:00.000Z')).toBe(false);
  });

  it('auditing disabled and never enabled again is off until T; an enable row first means it was off before', () => {
    const disabled = spec
      .given([observed, pulled])
      .when({ type: 'RecordAuditSettingRows', data: { ...subject, rows: [disabledRow] } })
      .events();
    // The refresh observed it on at the start, then the row switched it off.
    expect(coverageOf(state([observed, pulled, ...disabled]), '2026-01-01', '2026-06-30T00:00:00.000Z').gaps).toEqual([
      { from: '2026-03-01T00:00:00.000Z', to: '2026-06-30T00:00:00.000Z', reason: 'audit-off' },
    ]);
    const enabled = spec
      .given([pulled])
      .when({ type: 'RecordAuditSettingRows', data: { ...subject, rows: [enabledRow] } })
      .events();
    expect(coverageOf(state([pulled, ...enabled]), '2026-01-01', '2026-06-30T00:00:00.000Z').gaps).toEqual([
      { from: '2026-01-01T00:00:00.000Z', to: '2026-03-10T00:00:00.000Z', reason: 'audit-off' },
    ]);
  });

  it('coveredFrom is the later of analyzeActivityFrom and T minus the retention; answers for a past T see only the past', () => {
    const shortRetention: EnvironmentEvent = { ...observed, data: { ...observed.data, auditRetentionDays: 30 } };
    expect(coverageOf(state([shortRetention, pulled]), '2026-01-01', '2026-06-30T00:00:00.000Z')).toMatchObject({
      coveredFrom: '2026-05-31T00:00:00.000Z',
      unauditedTables: ['activitypointer'],
      auditEnabled: true,
    });
    const disabled = spec
      .given([observed, pulled])
      .when({ type: 'RecordAuditSettingRows', data: { ...subject, rows: [disabledRow] } })
      .events();
    expect(coverageOf(state([observed, pulled, ...disabled]), '2026-01-01', '2026-02-15T00:00:00.000Z').gaps).toEqual(
      [],
    );
  });
});
