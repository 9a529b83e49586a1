import type { Static } from '@sinclair/typebox';
import type { JsonObject } from '../../shared/json';
import type { ActivityBasis, ActivityNeeded, LicenseType } from '../catalog/catalog.types';
import {
  array,
  bool,
  dateTime,
  defineEvent,
  int,
  nullable,
  num,
  object,
  oneOf,
  optional,
  str,
  uuid,
  type EventsOf,
} from '../event-definition';

const price = object({
  amount: num({ minimum: 0 }),
  currency: str({ minLength: 3, maxLength: 3 }),
  source: str(),
  asOf: str(),
});
const prepaidUnits = object({ enabled: int(), warning: int(), suspended: int(), lockedOut: int() });
const rule = {
  profileId: uuid,
  ruleId: uuid,
  skuPartNumber: str(),
  inactivityDays: int({ minimum: 1, maximum: 3650 }),
  enabled: bool,
  notify: bool,
  graceDays: int({ minimum: 0, maximum: 365 }),
  activityBasis: oneOf<readonly ActivityBasis[]>('app', 'app-and-common', 'any'),
};
// v1 rules had no basis: they counted only the app's own tables and general activity; they read as the default.
const ruleUpcasters = { 1: (data: JsonObject) => ({ activityBasis: 'app-and-common', ...data }) };
const snapshotCounts = object({
  users: int({ minimum: 0 }),
  licensedUsers: int({ minimum: 0 }),
  subscriptions: int({ minimum: 0 }),
  assigned: int({ minimum: 0 }),
  changed: int({ minimum: 0 }),
  removed: int({ minimum: 0 }),
  modelsCreated: int({ minimum: 0 }),
  unrecognized: int({ minimum: 0 }),
  outOfScopeSkus: int({ minimum: 0 }),
});
const ignoredRows = object({
  applicationUsers: int({ minimum: 0 }),
  unknownUsers: int({ minimum: 0 }),
  notActivity: int({ minimum: 0 }),
  beforeWindow: int({ minimum: 0 }),
  /** Rows an integration wrote in a user's name: the integration's activity, not the user's. */
  impersonated: optional(int({ minimum: 0 })),
});

/** An amount per user per month with where it comes from; overrides may be in any ISO currency. */
export type PriceValue = Static<typeof price>;
export type PrepaidUnits = Static<typeof prepaidUnits>;
export type SnapshotCounts = Static<typeof snapshotCounts>;
export type IgnoredAuditRows = Static<typeof ignoredRows>;

const CATEGORY = 'catalog';

/** What the organisation's tenant holds, as learned by the jobs and set by admins: `catalog-{profileId}`. */
export const TENANT_EVENTS = [
  defineEvent({
    type: 'SoftwareModelCreated',
    category: CATEGORY,
    schemaVersion: 1,
    description: 'A recognised product (SKU) appeared in the tenant for the first time and became a software model.',
    data: object({
      profileId: uuid,
      skuId: uuid,
      skuPartNumber: str(),
      name: str(),
      licenseType: oneOf<readonly LicenseType[]>('base', 'attach', 'addon', 'other'),
      activityTracked: bool,
      activityNeeded: oneOf<readonly ActivityNeeded[]>(
        'sales',
        'customerService',
        'salesOrCustomerService',
        'any',
        null,
      ),
      createdAt: dateTime,
    }),
  }),
  defineEvent({
    type: 'SubscriptionIdentifierUnrecognized',
    category: CATEGORY,
    schemaVersion: 1,
    description: 'A Dynamics 365 / Power Platform SKU the catalog does not know: listed, not dropped.',
    data: object({
      profileId: uuid,
      skuId: uuid,
      skuPartNumber: str(),
      servicePlanNames: array(str()),
      firstSeenAt: dateTime,
    }),
  }),
  defineEvent({
    type: 'EntitlementObserved',
    category: CATEGORY,
    schemaVersion: 1,
    description: "Licenses owned for a SKU changed (Graph prepaid units; only 'enabled' units are owned).",
    data: object({
      profileId: uuid,
      skuId: uuid,
      skuPartNumber: str(),
      prepaidUnits,
      capabilityStatus: str(),
      observedAt: dateTime,
    }),
  }),
  defineEvent({
    type: 'EntitlementEntered',
    category: CATEGORY,
    schemaVersion: 1,
    description:
      "Licenses owned for a SKU, entered by hand (an agreement Graph does not show); it replaces Graph's enabled prepaid units in the license position.",
    data: object({
      profileId: uuid,
      skuId: uuid,
      skuPartNumber: str(),
      purchased: int({ minimum: 0 }),
      source: str(),
      enteredAt: dateTime,
    }),
  }),
  defineEvent({
    type: 'EntitlementEntryRemoved',
    category: CATEGORY,
    schemaVersion: 1,
    description: "The hand-entered entitlement no longer applies: Graph's enabled prepaid units count again.",
    data: object({ profileId: uuid, skuId: uuid, skuPartNumber: str(), removedAt: dateTime }),
  }),
  defineEvent({
    type: 'ReclamationRuleCreated',
    category: CATEGORY,
    schemaVersion: 2,
    description:
      'A reclamation rule made automatically for a software model with activity tracking (60 days and the app-and-common basis by default).',
    data: object({ ...rule, skuId: uuid, createdAt: dateTime }),
    upcasters: ruleUpcasters,
  }),
  defineEvent({
    type: 'ReclamationRuleChanged',
    category: CATEGORY,
    schemaVersion: 2,
    description: 'An administrator changed a reclamation rule.',
    data: object({ ...rule, changedAt: dateTime }),
    upcasters: ruleUpcasters,
  }),
  defineEvent({
    type: 'ListPriceOverridden',
    category: CATEGORY,
    schemaVersion: 1,
    description: "The profile's own price for a SKU (null: no price), replacing the catalog's list price.",
    data: object({
      profileId: uuid,
      skuPartNumber: str({ minLength: 1 }),
      price: nullable(price),
      overriddenAt: dateTime,
    }),
  }),
  defineEvent({
    type: 'ListPriceOverrideRemoved',
    category: CATEGORY,
    schemaVersion: 1,
    description: "The profile uses the catalog's list price for a SKU again.",
    data: object({ profileId: uuid, skuPartNumber: str({ minLength: 1 }), removedAt: dateTime }),
  }),
  defineEvent({
    type: 'SubscriptionSnapshotRecorded',
    category: CATEGORY,
    schemaVersion: 1,
    description:
      'A download of every subscription completed; the changes were appended before it. Counts summarise the tenant and the diff.',
    data: object({ profileId: uuid, runId: uuid, takenAt: dateTime, counts: snapshotCounts }),
  }),
  defineEvent({
    type: 'ActivityPullRecorded',
    category: CATEGORY,
    schemaVersion: 1,
    description: 'Audit rows up to `through` were read; the next pull continues from there.',
    data: object({
      profileId: uuid,
      runId: uuid,
      from: dateTime,
      through: dateTime,
      rowsRead: int({ minimum: 0 }),
      activityRecorded: int({ minimum: 0 }),
      ignored: ignoredRows,
    }),
  }),
] as const;

export type TenantEvent = EventsOf<typeof TENANT_EVENTS>;
