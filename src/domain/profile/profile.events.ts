import type { DomainEvent } from '../decider';
import { defineEvent } from '../../events/event-definition';
import { array, boolean, date, dateTime, nullable, object, oneOfValues, string, uuid } from '../../events/json-schema';
import type { CloudName, Endpoints } from './clouds';

export type PermissionType = 'application' | 'delegated';
export type ConnectionName = 'subscription' | 'activity';

/** A connection as events and responses carry it: references, never secrets. */
export interface SubscriptionConnection {
  readonly tenantId: string;
  readonly clientId: string;
  readonly permissionType: PermissionType;
  /** Reference to the encrypted client secret in the credential store. */
  readonly credentialRef: string | null;
  /** Reference to the encrypted refresh token from an admin's delegated sign-in. */
  readonly consentRef: string | null;
}

export interface ActivityConnection {
  readonly environmentUrl: string;
  readonly clientId: string;
  readonly permissionType: PermissionType;
  readonly credentialRef: string | null;
  readonly consentRef: string | null;
}

export interface ValidationCheck {
  readonly name: 'downloadSubscriptions' | 'calculateActivity';
  readonly ok: boolean;
  readonly error?: string;
}

/** Where reclamation notices go: a webhook signed with the secret behind secretRef. */
export interface NotificationSettings {
  /** Shown to people: secrets in its query or user-info are redacted. */
  readonly webhookUrl: string;
  readonly secretRef: string;
  /** The whole URL, in the credential store, when webhookUrl had secrets redacted. */
  readonly webhookUrlRef?: string;
}

export interface ProfileSettings {
  readonly displayName: string;
  readonly cloud: CloudName;
  readonly endpoints: Endpoints | null;
  readonly analyzeActivityFrom: string;
  readonly downloadActivity: boolean;
  readonly subscriptionConnection: SubscriptionConnection;
  readonly activityConnection: ActivityConnection | null;
  /** Absent on profiles drafted before notifications existed: read as null. */
  readonly notifications?: NotificationSettings | null;
}

export type ExclusionRuleType = 'identifier' | 'user';

export type ProfileEvent =
  | DomainEvent<'ProfileDrafted', { profileId: string; createdAt: string } & ProfileSettings>
  | DomainEvent<
      'ProfileUpdated',
      { profileId: string; changes: Partial<ProfileSettings>; validationCleared: boolean; updatedAt: string }
    >
  | DomainEvent<'ProfileValidated', { profileId: string; checks: ValidationCheck[]; validatedAt: string }>
  | DomainEvent<'ProfileValidationFailed', { profileId: string; checks: ValidationCheck[]; validatedAt: string }>
  | DomainEvent<'ProfilePublished', { profileId: string; publishedAt: string }>
  | DomainEvent<'ProfileReturnedToDraft', { profileId: string; reason: string; removedJobs: string[]; at: string }>
  | DomainEvent<
      'DelegatedConsentGranted',
      { profileId: string; connection: ConnectionName; consentRef: string; grantedTo: string | null; grantedAt: string }
    >
  | DomainEvent<
      'ExclusionRuleAdded',
      { profileId: string; ruleId: string; ruleType: ExclusionRuleType; value: string; reason: string; addedAt: string }
    >
  | DomainEvent<'ExclusionRuleRemoved', { profileId: string; ruleId: string; removedAt: string }>;

export const profileStreamId = (profileId: string): string => `profile-${profileId}`;

const endpointsSchema = object({ authorityHost: string(), graphBaseUrl: string() });
const permission = oneOfValues('application', 'delegated');
const subscriptionConnectionSchema = object({
  tenantId: uuid,
  clientId: uuid,
  permissionType: permission,
  credentialRef: nullable(string()),
  consentRef: nullable(string()),
});
const activityConnectionSchema = object({
  environmentUrl: string(),
  clientId: uuid,
  permissionType: permission,
  credentialRef: nullable(string()),
  consentRef: nullable(string()),
});
const settings = {
  displayName: string({ minLength: 1 }),
  cloud: oneOfValues('public', 'usgov', 'usgovhigh', 'dod', 'china', 'custom'),
  endpoints: nullable(endpointsSchema),
  analyzeActivityFrom: date,
  downloadActivity: boolean,
  subscriptionConnection: subscriptionConnectionSchema,
  activityConnection: nullable(activityConnectionSchema),
  notifications: nullable(
    object({ webhookUrl: string(), secretRef: string(), webhookUrlRef: string() }, ['webhookUrl', 'secretRef']),
  ),
};
const checkSchema = object(
  { name: oneOfValues('downloadSubscriptions', 'calculateActivity'), ok: boolean, error: string() },
  ['name', 'ok'],
);
const CATEGORY = 'profile';

export const PROFILE_EVENTS = [
  defineEvent({
    type: 'ProfileDrafted',
    category: CATEGORY,
    schemaVersion: 1,
    description:
      'An integration profile was created as a draft. Connections carry credential references, never secrets.',
    data: object({ profileId: uuid, createdAt: dateTime, ...settings }, [
      'profileId',
      'createdAt',
      ...Object.keys(settings).filter((k) => k !== 'notifications'),
    ]),
  }),
  defineEvent({
    type: 'ProfileUpdated',
    category: CATEGORY,
    schemaVersion: 1,
    description: 'Profile settings changed; validationCleared when a connection, endpoint or downloadActivity changed.',
    data: object({ profileId: uuid, changes: object(settings, []), validationCleared: boolean, updatedAt: dateTime }),
  }),
  defineEvent({
    type: 'ProfileValidated',
    category: CATEGORY,
    schemaVersion: 1,
    description: 'Every connection check passed: the profile may be published.',
    data: object({ profileId: uuid, checks: array(checkSchema), validatedAt: dateTime }),
  }),
  defineEvent({
    type: 'ProfileValidationFailed',
    category: CATEGORY,
    schemaVersion: 1,
    description: 'At least one connection check failed; each failed check carries its cause.',
    data: object({ profileId: uuid, checks: array(checkSchema), validatedAt: dateTime }),
  }),
  defineEvent({
    type: 'ProfilePublished',
    category: CATEGORY,
    schemaVersion: 1,
    description: 'The profile is live: its daily jobs run from now on.',
    data: object({ profileId: uuid, publishedAt: dateTime }, ['profileId']),
  }),
  defineEvent({
    type: 'ProfileReturnedToDraft',
    category: CATEGORY,
    schemaVersion: 1,
    description: 'A change to a published profile sent it back to draft; it must be validated and published again.',
    data: object({ profileId: uuid, reason: string(), removedJobs: array(string()), at: dateTime }),
  }),
  defineEvent({
    type: 'DelegatedConsentGranted',
    category: CATEGORY,
    schemaVersion: 1,
    description:
      'An administrator signed in for a delegated connection; the refresh token is stored encrypted under consentRef.',
    data: object({
      profileId: uuid,
      connection: oneOfValues('subscription', 'activity'),
      consentRef: string(),
      grantedTo: nullable(string()),
      grantedAt: dateTime,
    }),
  }),
  defineEvent({
    type: 'ExclusionRuleAdded',
    category: CATEGORY,
    schemaVersion: 1,
    description:
      'Subscriptions matching the rule (an identifier, or a user) leave cost and optimisation; they still count as assigned.',
    data: object({
      profileId: uuid,
      ruleId: uuid,
      ruleType: oneOfValues('identifier', 'user'),
      value: string({ minLength: 1 }),
      reason: string(),
      addedAt: dateTime,
    }),
  }),
  defineEvent({
    type: 'ExclusionRuleRemoved',
    category: CATEGORY,
    schemaVersion: 1,
    description: 'An exclusion rule no longer applies.',
    data: object({ profileId: uuid, ruleId: uuid, removedAt: dateTime }),
  }),
];
