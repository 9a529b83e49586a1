import { Type, type Static } from '@sinclair/typebox';
import {
  array,
  bool,
  date,
  dateTime,
  defineEvent,
  nullable,
  object,
  oneOf,
  optional,
  str,
  uuid,
  type EventsOf,
} from '../event-definition';
import { CLOUD_NAMES } from './clouds';

export const PERMISSION_TYPES = ['application', 'delegated'] as const;
export type PermissionType = (typeof PERMISSION_TYPES)[number];
export type ConnectionName = 'subscription' | 'activity';
export type ExclusionRuleType = 'identifier' | 'user';

const permissionType = oneOf(...PERMISSION_TYPES);
const endpoints = object({
  authorityHost: str(),
  graphBaseUrl: str(),
  /** A custom cloud's base of the Global Discovery Service and the Power Platform admin API. */
  discoveryBaseUrl: optional(str()),
});
/** A connection as events and responses carry it: references to the credential store, never secrets. */
const subscriptionConnection = object({
  tenantId: uuid,
  clientId: uuid,
  permissionType,
  /** The encrypted client secret. */
  credentialRef: nullable(str()),
  /** The encrypted refresh token from an admin's delegated sign-in. */
  consentRef: nullable(str()),
});
const activityConnection = object({
  /** The first of environmentUrls (the only one on profiles made before several were read). */
  environmentUrl: str(),
  /** Every environment to read, 1 to 50 distinct URLs. */
  environmentUrls: optional(array(str())),
  /** Also read every environment the connection can find (Global Discovery or the Power Platform admin list). */
  discoverEnvironments: optional(bool),
  clientId: uuid,
  permissionType,
  credentialRef: nullable(str()),
  consentRef: nullable(str()),
});
/** Where reclamation notices go: a webhook signed with the secret behind secretRef. */
const notifications = object({
  /** Shown to people: secrets in its query or user-info are redacted. */
  webhookUrl: str(),
  secretRef: str(),
  /** The whole URL, in the credential store, when webhookUrl had secrets redacted. */
  webhookUrlRef: optional(str()),
});
const settings = {
  displayName: str({ minLength: 1 }),
  cloud: oneOf(...CLOUD_NAMES),
  endpoints: nullable(endpoints),
  analyzeActivityFrom: date,
  downloadActivity: bool,
  subscriptionConnection,
  activityConnection: nullable(activityConnection),
  /** Absent on profiles drafted before notifications existed: read as null. */
  notifications: optional(nullable(notifications)),
};
const settingsSchema = object(settings);
const check = object({
  name: oneOf('downloadSubscriptions', 'calculateActivity', 'auditSettings'),
  /** calculateActivity and auditSettings: which environment. */
  environmentUrl: optional(str()),
  ok: bool,
  error: optional(str()),
  /** auditSettings: catalog tables whose own auditing is off (they only warn). */
  warnings: optional(array(str())),
});

export type SubscriptionConnection = Static<typeof subscriptionConnection>;
export type ActivityConnection = Static<typeof activityConnection>;
export type NotificationSettings = Static<typeof notifications>;
export type ProfileSettings = Static<typeof settingsSchema>;
export type ValidationCheck = Static<typeof check>;

const CATEGORY = 'profile';

/** An integration profile's life, on `profile-{profileId}`. */
export const PROFILE_EVENTS = [
  defineEvent({
    type: 'ProfileDrafted',
    category: CATEGORY,
    schemaVersion: 1,
    description:
      'An integration profile was created as a draft. Connections carry credential references, never secrets.',
    data: object({ profileId: uuid, createdAt: dateTime, ...settings }),
  }),
  defineEvent({
    type: 'ProfileUpdated',
    category: CATEGORY,
    schemaVersion: 1,
    description: 'Profile settings changed; validationCleared when a connection, endpoint or downloadActivity changed.',
    data: object({
      profileId: uuid,
      changes: Type.Partial(settingsSchema),
      validationCleared: bool,
      updatedAt: dateTime,
    }),
  }),
  defineEvent({
    type: 'ProfileValidated',
    category: CATEGORY,
    schemaVersion: 1,
    description: 'Every connection check passed: the profile may be published.',
    data: object({ profileId: uuid, checks: array(check), validatedAt: dateTime }),
  }),
  defineEvent({
    type: 'ProfileValidationFailed',
    category: CATEGORY,
    schemaVersion: 1,
    description: 'At least one connection check failed; each failed check carries its cause.',
    data: object({ profileId: uuid, checks: array(check), validatedAt: dateTime }),
  }),
  defineEvent({
    type: 'ProfilePublished',
    category: CATEGORY,
    schemaVersion: 2,
    description: 'The profile is live: its daily jobs run from now on.',
    data: object({ profileId: uuid, publishedAt: dateTime }),
    // v1 did not require publishedAt: the profile was published when the event was recorded.
    upcasters: { 1: (data, { recordedAt }) => ({ publishedAt: recordedAt, ...data }) },
  }),
  defineEvent({
    type: 'ProfileReturnedToDraft',
    category: CATEGORY,
    schemaVersion: 1,
    description: 'A change to a published profile sent it back to draft; it must be validated and published again.',
    data: object({ profileId: uuid, reason: str(), removedJobs: array(str()), at: dateTime }),
  }),
  defineEvent({
    type: 'DelegatedConsentGranted',
    category: CATEGORY,
    schemaVersion: 1,
    description:
      'An administrator signed in for a delegated connection; the refresh token is stored encrypted under consentRef.',
    data: object({
      profileId: uuid,
      connection: oneOf('subscription', 'activity'),
      consentRef: str(),
      grantedTo: nullable(str()),
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
      ruleType: oneOf('identifier', 'user'),
      value: str({ minLength: 1 }),
      reason: str(),
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
] as const;

export type ProfileEvent = EventsOf<typeof PROFILE_EVENTS>;

/** Every environment a connection names (the first is `environmentUrl`). */
export const environmentUrlsOf = (connection: ActivityConnection): readonly string[] =>
  connection.environmentUrls && connection.environmentUrls.length > 0
    ? connection.environmentUrls
    : [connection.environmentUrl];
