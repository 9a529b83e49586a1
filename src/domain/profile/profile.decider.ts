import { conflict, invalid, notFound } from '../../shared/domain-error';
import { assertNever, type Decider } from '../decider';
import type {
  ActivityConnection,
  ConnectionName,
  ExclusionRuleType,
  ProfileEvent,
  ProfileSettings,
  SubscriptionConnection,
  ValidationCheck,
} from './profile.events';

export interface ExclusionRule {
  readonly id: string;
  readonly type: ExclusionRuleType;
  readonly value: string;
  readonly reason: string;
}

export type ProfileState =
  | { readonly status: 'none' }
  | ({
      readonly status: 'draft' | 'published';
      readonly profileId: string;
      readonly validated: boolean;
      readonly createdAt: string;
      readonly updatedAt: string;
      readonly exclusionRules: readonly ExclusionRule[];
    } & ProfileSettings);

/** A change to any of these means the last validation no longer proves anything. */
const REVALIDATE_ON: readonly (keyof ProfileSettings)[] = [
  'cloud',
  'endpoints',
  'downloadActivity',
  'subscriptionConnection',
  'activityConnection',
];

export type ProfileCommand =
  | { type: 'CreateProfile'; data: { profileId: string; settings: ProfileSettings; at: string } }
  | { type: 'UpdateProfile'; data: { changes: Partial<ProfileSettings>; at: string } }
  | { type: 'RecordValidation'; data: { checks: ValidationCheck[]; at: string } }
  | { type: 'PublishProfile'; data: { at: string } }
  | {
      type: 'GrantDelegatedConsent';
      data: { connection: ConnectionName; consentRef: string; grantedTo: string | null; at: string };
    }
  | {
      type: 'AddExclusionRule';
      data: { ruleId: string; ruleType: ExclusionRuleType; value: string; reason: string; at: string };
    }
  | { type: 'RemoveExclusionRule'; data: { ruleId: string; at: string } };

export const profileDecider: Decider<ProfileCommand, ProfileEvent, ProfileState> = {
  initialState: () => ({ status: 'none' }),

  evolve(state, event) {
    if (event.type === 'ProfileDrafted') {
      const { profileId, createdAt, ...settings } = event.data;
      return {
        status: 'draft',
        profileId,
        validated: false,
        createdAt,
        updatedAt: createdAt,
        exclusionRules: [],
        ...settings,
      };
    }
    if (state.status === 'none') return state;
    switch (event.type) {
      case 'ProfileUpdated':
        return {
          ...state,
          ...event.data.changes,
          validated: state.validated && !event.data.validationCleared,
          updatedAt: event.data.updatedAt,
        };
      case 'ProfileValidated':
        return { ...state, validated: true };
      case 'ProfileValidationFailed':
        return { ...state, validated: false };
      case 'ProfilePublished':
        return { ...state, status: 'published' };
      case 'ProfileReturnedToDraft':
        return { ...state, status: 'draft', validated: false };
      case 'DelegatedConsentGranted':
        return event.data.connection === 'subscription'
          ? { ...state, subscriptionConnection: { ...state.subscriptionConnection, consentRef: event.data.consentRef } }
          : state.activityConnection
            ? { ...state, activityConnection: { ...state.activityConnection, consentRef: event.data.consentRef } }
            : state;
      case 'ExclusionRuleAdded': {
        const { ruleId, ruleType, value, reason } = event.data;
        return { ...state, exclusionRules: [...state.exclusionRules, { id: ruleId, type: ruleType, value, reason }] };
      }
      case 'ExclusionRuleRemoved':
        return { ...state, exclusionRules: state.exclusionRules.filter((r) => r.id !== event.data.ruleId) };
      default:
        return assertNever(event);
    }
  },

  decide(command, state) {
    if (command.type === 'CreateProfile') {
      if (state.status !== 'none') throw conflict('profile-exists', `profile ${command.data.profileId} already exists`);
      requireActivityConnection(command.data.settings);
      return [
        {
          type: 'ProfileDrafted',
          data: { profileId: command.data.profileId, createdAt: command.data.at, ...command.data.settings },
        },
      ];
    }
    if (state.status === 'none') throw notFound('profile', 'requested');
    const profileId = state.profileId;
    switch (command.type) {
      case 'UpdateProfile':
        return update(state, command.data.changes, command.data.at);
      case 'RecordValidation': {
        const { checks, at } = command.data;
        const ok = checks.length > 0 && checks.every((c) => c.ok);
        return [
          { type: ok ? 'ProfileValidated' : 'ProfileValidationFailed', data: { profileId, checks, validatedAt: at } },
        ];
      }
      case 'PublishProfile':
        if (state.status === 'published') return [];
        if (!state.validated) {
          throw conflict(
            'profile-not-validated',
            'validate the profile successfully after its last change before publishing it',
          );
        }
        return [{ type: 'ProfilePublished', data: { profileId, publishedAt: command.data.at } }];
      case 'GrantDelegatedConsent': {
        const { connection, consentRef, grantedTo, at } = command.data;
        const target = connection === 'subscription' ? state.subscriptionConnection : state.activityConnection;
        if (!target) throw conflict('no-activity-connection', 'the profile has no activity connection');
        if (target.permissionType !== 'delegated') {
          throw conflict(
            'not-delegated',
            `the ${connection} connection uses application permissions; sign-in is only for delegated connections`,
          );
        }
        return [
          { type: 'DelegatedConsentGranted', data: { profileId, connection, consentRef, grantedTo, grantedAt: at } },
        ];
      }
      case 'AddExclusionRule': {
        const { ruleId, ruleType, value, reason, at } = command.data;
        if (state.exclusionRules.some((r) => r.type === ruleType && r.value.toLowerCase() === value.toLowerCase())) {
          throw conflict('exclusion-rule-exists', `an ${ruleType} exclusion rule for ${value} already exists`);
        }
        return [{ type: 'ExclusionRuleAdded', data: { profileId, ruleId, ruleType, value, reason, addedAt: at } }];
      }
      case 'RemoveExclusionRule':
        if (!state.exclusionRules.some((r) => r.id === command.data.ruleId))
          throw notFound('exclusion-rule', command.data.ruleId);
        return [
          {
            type: 'ExclusionRuleRemoved',
            data: { profileId, ruleId: command.data.ruleId, removedAt: command.data.at },
          },
        ];
      default:
        return assertNever(command);
    }
  },
};

function update(
  state: Extract<ProfileState, { status: 'draft' | 'published' }>,
  requested: Partial<ProfileSettings>,
  at: string,
): ProfileEvent[] {
  const changes: Partial<Record<keyof ProfileSettings, unknown>> = {};
  for (const key of Object.keys(requested) as (keyof ProfileSettings)[]) {
    if (requested[key] !== undefined && !sameValue(requested[key], state[key])) changes[key] = requested[key];
  }
  const keys = Object.keys(changes) as (keyof ProfileSettings)[];
  if (keys.length === 0) return [];
  const next = { ...state, ...changes } as ProfileSettings;
  requireActivityConnection(next);
  const validationCleared = keys.some((k) => REVALIDATE_ON.includes(k));
  const events: ProfileEvent[] = [
    {
      type: 'ProfileUpdated',
      data: {
        profileId: state.profileId,
        changes: changes as Partial<ProfileSettings>,
        validationCleared,
        updatedAt: at,
      },
    },
  ];
  if (state.status === 'published' && validationCleared) {
    const activityTurnedOff = state.downloadActivity && !next.downloadActivity;
    events.push({
      type: 'ProfileReturnedToDraft',
      data: {
        profileId: state.profileId,
        reason: activityTurnedOff
          ? 'activity download turned off'
          : `changed: ${keys.filter((k) => REVALIDATE_ON.includes(k)).join(', ')}`,
        removedJobs: activityTurnedOff ? ['refresh-activity'] : [],
        at,
      },
    });
  }
  return events;
}

function requireActivityConnection(settings: ProfileSettings): void {
  if (settings.downloadActivity && !settings.activityConnection) {
    throw invalid('activity-connection-required', 'activityConnection is required while downloadActivity is true', [
      { field: 'activityConnection', problem: 'is required when downloadActivity is true' },
    ]);
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export type { SubscriptionConnection, ActivityConnection };
