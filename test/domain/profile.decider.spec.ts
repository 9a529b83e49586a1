import { profileDecider, type ProfileCommand } from '../../src/domain/profile/profile.decider';
import type { ProfileEvent, ProfileSettings } from '../../src/domain/profile/profile.events';
import { deciderSpec } from '../support/decider-spec';

const spec = deciderSpec(profileDecider);
const profileId = '0f7c4f1e-9d4b-4a8f-a2a1-3a6f1c2b9d10';
const at = '2026-11-01T10:00:00.000Z';
const later = '2026-11-02T10:00:00.000Z';

const settings: ProfileSettings = {
  displayName: 'Contoso production',
  cloud: 'public',
  endpoints: null,
  analyzeActivityFrom: '2026-01-01',
  downloadActivity: true,
  subscriptionConnection: {
    tenantId: '8d0f4c35-1a1e-4a55-9a8f-0c1f0e2d3b4a',
    clientId: 'e5c1b2a3-4d5e-4f60-8a71-b2c3d4e5f607',
    permissionType: 'application',
    credentialRef: 'cred-1',
    consentRef: null,
  },
  activityConnection: {
    environmentUrl: 'https://contoso.crm.dynamics.com',
    clientId: 'e5c1b2a3-4d5e-4f60-8a71-b2c3d4e5f607',
    permissionType: 'application',
    credentialRef: 'cred-2',
    consentRef: null,
  },
};

const drafted: ProfileEvent = { type: 'ProfileDrafted', data: { profileId, createdAt: at, ...settings } };
const validated: ProfileEvent = {
  type: 'ProfileValidated',
  data: { profileId, checks: [{ name: 'downloadSubscriptions', ok: true }], validatedAt: at },
};
const published: ProfileEvent = { type: 'ProfilePublished', data: { profileId, publishedAt: at } };
const update = (changes: Partial<ProfileSettings>): ProfileCommand => ({
  type: 'UpdateProfile',
  data: { changes, at: later },
});

describe('profile decider', () => {
  it('creates a draft', () => {
    spec.given([]).when({ type: 'CreateProfile', data: { profileId, settings, at } }).then([drafted]);
    expect(spec.given([drafted]).state).toMatchObject({ status: 'draft', validated: false });
  });

  it('refuses a second profile with the same id', () => {
    spec
      .given([drafted])
      .when({ type: 'CreateProfile', data: { profileId, settings, at } })
      .thenThrows('profile-exists');
  });

  it('requires an activity connection while downloadActivity is on', () => {
    spec
      .given([])
      .when({ type: 'CreateProfile', data: { profileId, settings: { ...settings, activityConnection: null }, at } })
      .thenThrows('activity-connection-required');
  });

  it('records a validation as passed only when every check passed', () => {
    const checks = [
      { name: 'downloadSubscriptions' as const, ok: true },
      { name: 'calculateActivity' as const, ok: false, error: 'AADSTS7000215: Invalid client secret provided.' },
    ];
    spec
      .given([drafted])
      .when({ type: 'RecordValidation', data: { checks, at } })
      .then([{ type: 'ProfileValidationFailed', data: { profileId, checks, validatedAt: at } }]);
  });

  it('publishes only after a successful validation since the last change', () => {
    spec.given([drafted]).when({ type: 'PublishProfile', data: { at } }).thenThrows('profile-not-validated');
    spec.given([drafted, validated]).when({ type: 'PublishProfile', data: { at } }).then([published]);
    const changed: ProfileEvent = {
      type: 'ProfileUpdated',
      data: { profileId, changes: { cloud: 'usgov' }, validationCleared: true, updatedAt: later },
    };
    spec
      .given([drafted, validated, changed])
      .when({ type: 'PublishProfile', data: { at } })
      .thenThrows('profile-not-validated');
  });

  it('publishing a published profile changes nothing', () => {
    spec.given([drafted, validated, published]).when({ type: 'PublishProfile', data: { at } }).then([]);
  });

  it('a display-name change keeps the validation and the published status', () => {
    spec
      .given([drafted, validated, published])
      .when(update({ displayName: 'Contoso EU' }))
      .then([
        {
          type: 'ProfileUpdated',
          data: { profileId, changes: { displayName: 'Contoso EU' }, validationCleared: false, updatedAt: later },
        },
      ]);
  });

  it('a connection change clears the validation and returns a published profile to draft', () => {
    const subscriptionConnection = { ...settings.subscriptionConnection, credentialRef: 'cred-rotated' };
    const events = spec.given([drafted, validated, published]).when(update({ subscriptionConnection })).events();
    expect(events).toEqual([
      {
        type: 'ProfileUpdated',
        data: { profileId, changes: { subscriptionConnection }, validationCleared: true, updatedAt: later },
      },
      {
        type: 'ProfileReturnedToDraft',
        data: { profileId, reason: 'changed: subscriptionConnection', removedJobs: [], at: later },
      },
    ]);
    expect(events.reduce(profileDecider.evolve, spec.given([drafted, validated, published]).state)).toMatchObject({
      status: 'draft',
      validated: false,
    });
  });

  it('turning downloadActivity off on a published profile returns it to draft and removes the activity job (the brief)', () => {
    spec
      .given([drafted, validated, published])
      .when(update({ downloadActivity: false }))
      .thenMatch([
        { type: 'ProfileUpdated', data: { validationCleared: true } },
        {
          type: 'ProfileReturnedToDraft',
          data: { reason: 'activity download turned off', removedJobs: ['refresh-activity'] },
        },
      ]);
  });

  it('a patch that changes nothing appends nothing', () => {
    spec
      .given([drafted])
      .when(update({ displayName: settings.displayName, cloud: 'public' }))
      .then([]);
  });

  it('commands on a missing profile are not found', () => {
    spec.given([]).when({ type: 'PublishProfile', data: { at } }).thenThrows('profile-not-found');
  });

  it('accepts delegated consent only for a delegated connection', () => {
    const grant: ProfileCommand = {
      type: 'GrantDelegatedConsent',
      data: { connection: 'subscription', consentRef: 'consent-1', grantedTo: 'admin@contoso.com', at },
    };
    spec.given([drafted]).when(grant).thenThrows('not-delegated');
    const delegated: ProfileEvent = {
      type: 'ProfileUpdated',
      data: {
        profileId,
        changes: { subscriptionConnection: { ...settings.subscriptionConnection, permissionType: 'delegated' } },
        validationCleared: true,
        updatedAt: at,
      },
    };
    spec
      .given([drafted, delegated])
      .when(grant)
      .then([
        {
          type: 'DelegatedConsentGranted',
          data: {
            profileId,
            connection: 'subscription',
            consentRef: 'consent-1',
            grantedTo: 'admin@contoso.com',
            grantedAt: at,
          },
        },
      ]);
  });

  it('keeps exclusion rules unique by type and value, and removes only existing ones', () => {
    const add = (ruleId: string, value: string): ProfileCommand => ({
      type: 'AddExclusionRule',
      data: { ruleId, ruleType: 'user', value, reason: 'service account', at },
    });
    const added = spec.given([drafted]).when(add('7a0b3c4d-1111-4222-8333-944455566677', 'svc@contoso.com')).events();
    spec
      .given([drafted, ...added])
      .when(add('7a0b3c4d-1111-4222-8333-944455566678', 'SVC@contoso.com'))
      .thenThrows('exclusion-rule-exists');
    spec
      .given([drafted])
      .when({ type: 'RemoveExclusionRule', data: { ruleId: 'nope', at } })
      .thenThrows('exclusion-rule-not-found');
    spec
      .given([drafted, ...added])
      .when({ type: 'RemoveExclusionRule', data: { ruleId: '7a0b3c4d-1111-4222-8333-944455566677', at } })
      .then([
        {
          type: 'ExclusionRuleRemoved',
          data: { profileId, ruleId: '7a0b3c4d-1111-4222-8333-944455566677', removedAt: at },
        },
      ]);
  });
});
