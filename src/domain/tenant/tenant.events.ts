import type { DomainEvent } from '../decider';
import type { ActivityNeeded, LicenseType } from '../../catalog/catalog.types';
import { defineEvent } from '../../events/event-definition';
import {
  array,
  boolean,
  dateTime,
  integer,
  nullable,
  number,
  object,
  oneOfValues,
  string,
  uuid,
} from '../../events/json-schema';

export interface PrepaidUnits {
  readonly enabled: number;
  readonly warning: number;
  readonly suspended: number;
  readonly lockedOut: number;
}

export interface PriceValue {
  readonly amount: number;
  readonly currency: string;
  readonly source: string;
  readonly asOf: string;
}

export type TenantEvent =
  | DomainEvent<
      'SoftwareModelCreated',
      {
        profileId: string;
        skuId: string;
        skuPartNumber: string;
        name: string;
        licenseType: LicenseType;
        activityTracked: boolean;
        activityNeeded: ActivityNeeded;
        createdAt: string;
      }
    >
  | DomainEvent<
      'SubscriptionIdentifierUnrecognized',
      { profileId: string; skuId: string; skuPartNumber: string; servicePlanNames: string[]; firstSeenAt: string }
    >
  | DomainEvent<
      'EntitlementObserved',
      {
        profileId: string;
        skuId: string;
        skuPartNumber: string;
        prepaidUnits: PrepaidUnits;
        capabilityStatus: string;
        observedAt: string;
      }
    >
  | DomainEvent<
      'ReclamationRuleCreated',
      {
        profileId: string;
        ruleId: string;
        skuId: string;
        skuPartNumber: string;
        inactivityDays: number;
        enabled: boolean;
        notify: boolean;
        graceDays: number;
        createdAt: string;
      }
    >
  | DomainEvent<
      'ReclamationRuleChanged',
      {
        profileId: string;
        ruleId: string;
        skuPartNumber: string;
        inactivityDays: number;
        enabled: boolean;
        notify: boolean;
        graceDays: number;
        changedAt: string;
      }
    >
  | DomainEvent<
      'EntitlementEntered',
      { profileId: string; skuId: string; skuPartNumber: string; purchased: number; source: string; enteredAt: string }
    >
  | DomainEvent<
      'EntitlementEntryRemoved',
      { profileId: string; skuId: string; skuPartNumber: string; removedAt: string }
    >
  | DomainEvent<
      'ListPriceOverridden',
      { profileId: string; skuPartNumber: string; price: PriceValue | null; overriddenAt: string }
    >
  | DomainEvent<'ListPriceOverrideRemoved', { profileId: string; skuPartNumber: string; removedAt: string }>
  | DomainEvent<
      'SubscriptionSnapshotRecorded',
      {
        profileId: string;
        runId: string;
        takenAt: string;
        counts: {
          users: number;
          licensedUsers: number;
          subscriptions: number;
          assigned: number;
          changed: number;
          removed: number;
          modelsCreated: number;
          unrecognized: number;
          outOfScopeSkus: number;
        };
      }
    >
  | DomainEvent<
      'ActivityPullRecorded',
      {
        profileId: string;
        runId: string;
        from: string;
        through: string;
        rowsRead: number;
        activityRecorded: number;
        ignored: { applicationUsers: number; unknownUsers: number; notActivity: number; beforeWindow: number };
      }
    >;

/** What the organisation's tenant holds, as learned by the jobs: `catalog-{profileId}`. */
export const catalogStreamId = (profileId: string): string => `catalog-${profileId}`;

const priceSchema = object({
  amount: number({ minimum: 0 }),
  currency: string({ minLength: 3, maxLength: 3 }),
  source: string(),
  asOf: string(),
});
const units = object({ enabled: integer(), warning: integer(), suspended: integer(), lockedOut: integer() });
const rule = {
  profileId: uuid,
  ruleId: uuid,
  skuPartNumber: string(),
  inactivityDays: integer({ minimum: 1, maximum: 3650 }),
  enabled: boolean,
  notify: boolean,
  graceDays: integer({ minimum: 0, maximum: 365 }),
};
const CATEGORY = 'catalog';

export const TENANT_EVENTS = [
  defineEvent({
    type: 'SoftwareModelCreated',
    category: CATEGORY,
    schemaVersion: 1,
    description: 'A recognised product (SKU) appeared in the tenant for the first time and became a software model.',
    data: object({
      profileId: uuid,
      skuId: uuid,
      skuPartNumber: string(),
      name: string(),
      licenseType: oneOfValues('base', 'attach', 'addon', 'other'),
      activityTracked: boolean,
      activityNeeded: oneOfValues('sales', 'customerService', 'salesOrCustomerService', 'any', null),
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
      skuPartNumber: string(),
      servicePlanNames: array(string()),
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
      skuPartNumber: string(),
      prepaidUnits: units,
      capabilityStatus: string(),
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
      skuPartNumber: string(),
      purchased: integer({ minimum: 0 }),
      source: string(),
      enteredAt: dateTime,
    }),
  }),
  defineEvent({
    type: 'EntitlementEntryRemoved',
    category: CATEGORY,
    schemaVersion: 1,
    description: "The hand-entered entitlement no longer applies: Graph's enabled prepaid units count again.",
    data: object({ profileId: uuid, skuId: uuid, skuPartNumber: string(), removedAt: dateTime }),
  }),
  defineEvent({
    type: 'ReclamationRuleCreated',
    category: CATEGORY,
    schemaVersion: 1,
    description:
      'A reclamation rule made automatically for a software model with activity tracking (60 days by default).',
    data: object({ ...rule, skuId: uuid, createdAt: dateTime }),
  }),
  defineEvent({
    type: 'ReclamationRuleChanged',
    category: CATEGORY,
    schemaVersion: 1,
    description: 'An administrator changed a reclamation rule.',
    data: object({ ...rule, changedAt: dateTime }),
  }),
  defineEvent({
    type: 'ListPriceOverridden',
    category: CATEGORY,
    schemaVersion: 1,
    description: "The profile's own price for a SKU (null: no price), replacing the catalog's list price.",
    data: object({
      profileId: uuid,
      skuPartNumber: string({ minLength: 1 }),
      price: nullable(priceSchema),
      overriddenAt: dateTime,
    }),
  }),
  defineEvent({
    type: 'ListPriceOverrideRemoved',
    category: CATEGORY,
    schemaVersion: 1,
    description: "The profile uses the catalog's list price for a SKU again.",
    data: object({ profileId: uuid, skuPartNumber: string({ minLength: 1 }), removedAt: dateTime }),
  }),
  defineEvent({
    type: 'SubscriptionSnapshotRecorded',
    category: CATEGORY,
    schemaVersion: 1,
    description:
      'A download of every subscription completed; the changes were appended before it. Counts summarise the tenant and the diff.',
    data: object({ profileId: uuid, runId: uuid, takenAt: dateTime, counts: object({}, []) }),
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
      rowsRead: integer({ minimum: 0 }),
      activityRecorded: integer({ minimum: 0 }),
      ignored: object({}, []),
    }),
  }),
];
