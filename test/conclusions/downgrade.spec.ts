import { downgradeAdvice } from '../../src/domain/conclusions';
import {
  activityRecorded,
  auditSettingChanged,
  coveredEnvironment,
  daysBefore,
  exclusionRuleAdded,
  given,
  licenseAssigned,
  modelsFor,
  NOW,
  priceOverridden,
} from './given';

const SALES = 'DYN365_ENTERPRISE_SALES';
const FIELD_SERVICE = 'DYN365_ENTERPRISE_FIELD_SERVICE';
const TEAM_MEMBERS = 'DYN365_TEAM_MEMBERS';

/** Lee holds Sales and in the last 60 days only signed in and edited contacts and tasks. */
const lightUser = [
  ...modelsFor(SALES),
  licenseAssigned('lee', SALES),
  activityRecorded('lee', 'sales', daysBefore(200)),
  activityRecorded('lee', 'common', daysBefore(3), { beyondTeamMembers: false }),
  activityRecorded('lee', 'access', daysBefore(1)),
];

describe('downgrade advice', () => {
  it('advises Team Members for a full license used only as Team Members may, with the saving and the evidence', () => {
    expect(downgradeAdvice(given(lightUser), NOW)).toEqual([
      {
        userId: 'lee',
        userPrincipalName: 'lee@contoso.com',
        skuId: expect.any(String),
        skuPartNumber: SALES,
        suggestedSkuPartNumber: TEAM_MEMBERS,
        reason: expect.stringContaining('Team Members allows'),
        currentMonthlyCost: 105,
        suggestedMonthlyCost: 8,
        monthlySavings: 97,
        currency: 'USD',
        evidence: {
          windowFrom: daysBefore(60),
          windowTo: NOW,
          lastActivityAt: daysBefore(1),
          lastBeyondTeamMembersAt: daysBefore(200),
        },
      },
    ]);
  });

  it('none when any activity in the window was beyond Team Members (an account edited, a sales table written)', () => {
    expect(
      downgradeAdvice(
        given([...lightUser, activityRecorded('lee', 'common', daysBefore(10), { beyondTeamMembers: true })]),
        NOW,
      ),
    ).toEqual([]);
    expect(downgradeAdvice(given([...lightUser, activityRecorded('lee', 'sales', daysBefore(30))]), NOW)).toEqual([]);
  });

  it('none for a low-usage subscription, nor without activity in the window', () => {
    const idle = [
      ...modelsFor(SALES),
      licenseAssigned('ivy', SALES),
      activityRecorded('ivy', 'access', daysBefore(70)),
    ];
    expect(downgradeAdvice(given(idle), NOW)).toEqual([]);
  });

  it('none where the window is not proven: a gap in the audit log withholds the advice', () => {
    const gap = [
      ...coveredEnvironment(),
      auditSettingChanged(110, daysBefore(20)),
      auditSettingChanged(107, daysBefore(15)),
    ];
    expect(downgradeAdvice(given([...gap, ...lightUser]), NOW)).toEqual([]);
  });

  it('time without user-access auditing does not withhold it: sign-ins are always within Team Members rights', () => {
    const accessGap = [
      ...coveredEnvironment(),
      auditSettingChanged(113, daysBefore(20)),
      auditSettingChanged(112, daysBefore(15)),
    ];
    expect(downgradeAdvice(given([...accessGap, ...lightUser]), NOW)).toMatchObject([
      { userId: 'lee', suggestedSkuPartNumber: TEAM_MEMBERS },
    ]);
  });

  it('activity recorded before kinds were told apart is never evidence for a downgrade', () => {
    const legacy = [
      ...modelsFor(SALES),
      licenseAssigned('old', SALES),
      activityRecorded('old', 'general', daysBefore(2)),
    ];
    expect(downgradeAdvice(given(legacy), NOW)).toEqual([]);
  });

  it('covers untracked full licenses (Field Service): any write to its own tables counts as beyond Team Members', () => {
    const fieldTech = [...modelsFor(FIELD_SERVICE), licenseAssigned('fay', FIELD_SERVICE)];
    expect(downgradeAdvice(given([...fieldTech, activityRecorded('fay', 'other', daysBefore(2))]), NOW)).toEqual([]);
    expect(downgradeAdvice(given([...fieldTech, activityRecorded('fay', 'access', daysBefore(2))]), NOW)).toMatchObject(
      [{ userId: 'fay', skuPartNumber: FIELD_SERVICE, suggestedSkuPartNumber: TEAM_MEMBERS }],
    );
  });

  it('an excluded user or license gets none; an unknown price invents no saving', () => {
    expect(downgradeAdvice(given([...lightUser, exclusionRuleAdded('user', 'lee')]), NOW)).toEqual([]);
    expect(downgradeAdvice(given([...lightUser, priceOverridden(SALES, null)]), NOW)).toMatchObject([
      { monthlySavings: null, currentMonthlyCost: null },
    ]);
  });
});
