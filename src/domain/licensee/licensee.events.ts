import {
  array,
  bool,
  dateTime,
  defineEvent,
  nullable,
  object,
  oneOf,
  str,
  uuid,
  type EventsOf,
} from '../event-definition';

export const ASSIGNED_VIA = ['direct', 'group', 'both'] as const;
export type AssignedVia = (typeof ASSIGNED_VIA)[number];
/** Kinds of audited activity (catalog.types AuditApp): the three of schema v2 first. */
export const ACTIVITY_APPS = ['sales', 'customerService', 'general', 'common', 'access', 'other'] as const;
export type ActivityApp = (typeof ACTIVITY_APPS)[number];
export type RemovalReason = 'unassigned' | 'user-deleted';

const via = oneOf(...ASSIGNED_VIA);
const app = oneOf(...ACTIVITY_APPS);
const userId = str({ minLength: 1 });
const CATEGORY = 'licensee';

/** The facts of one user's licenses and activity, on `licensee-{profileId}.{userId}`. */
export const LICENSEE_EVENTS = [
  defineEvent({
    type: 'LicenseAssigned',
    category: CATEGORY,
    schemaVersion: 2,
    description:
      'A user holds a Dynamics 365 / Power Platform SKU (a software subscription), directly, through groups, or both.',
    data: object({
      profileId: uuid,
      userId,
      userPrincipalName: str(),
      skuId: uuid,
      skuPartNumber: str(),
      assignedVia: via,
      groupIds: array(str()),
      assignedAt: dateTime,
      accountEnabled: nullable(bool),
      userType: nullable(str()),
      /** Whether the catalog knows the SKU (an unrecognised identifier is tracked, not dropped). */
      recognized: bool,
    }),
    // v1 left the three directory fields optional; the read models assumed a recognised SKU and unknown details.
    upcasters: {
      1: (data) => ({ accountEnabled: null, userType: null, recognized: true, ...data }),
    },
  }),
  defineEvent({
    type: 'LicenseAssignmentChanged',
    category: CATEGORY,
    schemaVersion: 1,
    description: 'How a user holds a license changed: direct, through groups, or both, or through other groups.',
    data: object({
      profileId: uuid,
      userId,
      skuId: uuid,
      skuPartNumber: str(),
      assignedVia: via,
      groupIds: array(str()),
      previousAssignedVia: via,
      previousGroupIds: array(str()),
      changedAt: dateTime,
    }),
  }),
  defineEvent({
    type: 'LicenseRemoved',
    category: CATEGORY,
    schemaVersion: 2,
    description: 'A user no longer holds a SKU: it was unassigned, or the user was deleted.',
    data: object({
      profileId: uuid,
      userId,
      skuId: uuid,
      skuPartNumber: str(),
      reason: oneOf('unassigned', 'user-deleted'),
      removedAt: dateTime,
    }),
    // v1 did not require removedAt: the moment it was recorded is when the removal was seen.
    upcasters: { 1: (data, { recordedAt }) => ({ removedAt: recordedAt, ...data }) },
  }),
  defineEvent({
    type: 'LicenseeDetailsChanged',
    category: CATEGORY,
    schemaVersion: 1,
    description: "A licensed user's principal name, enabled state or user type changed in the directory.",
    data: object({
      profileId: uuid,
      userId,
      userPrincipalName: str(),
      accountEnabled: nullable(bool),
      userType: nullable(str()),
      changedAt: dateTime,
    }),
  }),
  defineEvent({
    type: 'UserActivityRecorded',
    category: CATEGORY,
    schemaVersion: 3,
    description:
      "A user's last activity of a kind moved forward, from the Dataverse audit log of an environment: writes to Sales, Customer Service, common or other tables, or sign-ins (access); beyondTeamMembers when Team Members rights do not cover it.",
    data: object({
      profileId: uuid,
      userId,
      app,
      lastActivityAt: dateTime,
      source: str(),
      /** The Dynamics 365 environment the row came from; null on events recorded before several were read. */
      environmentUrl: nullable(str()),
      beyondTeamMembers: bool,
    }),
    upcasters: {
      // v1 did not require source; the audit log was the only one.
      1: (data) => ({ source: 'dataverse-audit', ...data }),
      // v2 had one environment and no Team Members distinction: unknown, so never evidence for a downgrade.
      2: (data) => ({ environmentUrl: null, beyondTeamMembers: true, ...data }),
    },
  }),
  defineEvent({
    type: 'SubscriptionReclaimed',
    category: CATEGORY,
    schemaVersion: 2,
    description: 'A direct assignment was removed through Graph assignLicense; the user no longer holds the license.',
    data: object({
      profileId: uuid,
      userId,
      skuId: uuid,
      skuPartNumber: str(),
      reclamationId: uuid,
      reason: str(),
      reclaimedAt: dateTime,
    }),
    // v1 did not require reason and reclaimedAt: no reason given, reclaimed when recorded.
    upcasters: { 1: (data, { recordedAt }) => ({ reason: '', reclaimedAt: recordedAt, ...data }) },
  }),
] as const;

export type LicenseeEvent = EventsOf<typeof LICENSEE_EVENTS>;
