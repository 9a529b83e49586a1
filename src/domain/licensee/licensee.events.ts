import type { DomainEvent } from '../decider';
import { defineEvent } from '../../events/event-definition';
import { array, boolean, dateTime, nullable, object, oneOfValues, string, uuid } from '../../events/json-schema';

export type AssignedVia = 'direct' | 'group' | 'both';
export type ActivityApp = 'sales' | 'customerService' | 'general';
export type RemovalReason = 'unassigned' | 'user-deleted';

export type LicenseeEvent =
  | DomainEvent<
      'LicenseAssigned',
      {
        profileId: string;
        userId: string;
        userPrincipalName: string;
        skuId: string;
        skuPartNumber: string;
        assignedVia: AssignedVia;
        groupIds: string[];
        assignedAt: string;
        accountEnabled: boolean | null;
        userType: string | null;
        recognized: boolean;
      }
    >
  | DomainEvent<
      'LicenseAssignmentChanged',
      {
        profileId: string;
        userId: string;
        skuId: string;
        skuPartNumber: string;
        assignedVia: AssignedVia;
        groupIds: string[];
        previousAssignedVia: AssignedVia;
        previousGroupIds: string[];
        changedAt: string;
      }
    >
  | DomainEvent<
      'LicenseRemoved',
      {
        profileId: string;
        userId: string;
        skuId: string;
        skuPartNumber: string;
        reason: RemovalReason;
        removedAt: string;
      }
    >
  | DomainEvent<
      'LicenseeDetailsChanged',
      {
        profileId: string;
        userId: string;
        userPrincipalName: string;
        accountEnabled: boolean | null;
        userType: string | null;
        changedAt: string;
      }
    >
  | DomainEvent<
      'UserActivityRecorded',
      { profileId: string; userId: string; app: ActivityApp; lastActivityAt: string; source: string }
    >
  | DomainEvent<
      'SubscriptionReclaimed',
      {
        profileId: string;
        userId: string;
        skuId: string;
        skuPartNumber: string;
        reclamationId: string;
        reason: string;
        reclaimedAt: string;
      }
    >;

/** One stream per user of a profile: `licensee-{profileId}.{userId}`. */
export const licenseeStreamId = (profileId: string, userId: string): string => `licensee-${profileId}.${userId}`;

const via = oneOfValues('direct', 'group', 'both');
const CATEGORY = 'licensee';

export const LICENSEE_EVENTS = [
  defineEvent({
    type: 'LicenseAssigned',
    category: CATEGORY,
    schemaVersion: 1,
    description:
      'A user holds a Dynamics 365 / Power Platform SKU (a software subscription), directly, through groups, or both.',
    data: object(
      {
        profileId: uuid,
        userId: string({ minLength: 1 }),
        userPrincipalName: string(),
        skuId: uuid,
        skuPartNumber: string(),
        assignedVia: via,
        groupIds: array(string()),
        assignedAt: dateTime,
        accountEnabled: nullable(boolean),
        userType: nullable(string()),
        recognized: boolean,
      },
      ['profileId', 'userId', 'userPrincipalName', 'skuId', 'skuPartNumber', 'assignedVia', 'groupIds', 'assignedAt'],
    ),
  }),
  defineEvent({
    type: 'LicenseAssignmentChanged',
    category: CATEGORY,
    schemaVersion: 1,
    description: 'How a user holds a license changed: direct, through groups, or both, or through other groups.',
    data: object({
      profileId: uuid,
      userId: string({ minLength: 1 }),
      skuId: uuid,
      skuPartNumber: string(),
      assignedVia: via,
      groupIds: array(string()),
      previousAssignedVia: via,
      previousGroupIds: array(string()),
      changedAt: dateTime,
    }),
  }),
  defineEvent({
    type: 'LicenseRemoved',
    category: CATEGORY,
    schemaVersion: 1,
    description: 'A user no longer holds a SKU: it was unassigned, or the user was deleted.',
    data: object(
      {
        profileId: uuid,
        userId: string({ minLength: 1 }),
        skuId: uuid,
        skuPartNumber: string(),
        reason: oneOfValues('unassigned', 'user-deleted'),
        removedAt: dateTime,
      },
      ['profileId', 'userId', 'skuId', 'skuPartNumber', 'reason'],
    ),
  }),
  defineEvent({
    type: 'LicenseeDetailsChanged',
    category: CATEGORY,
    schemaVersion: 1,
    description: "A licensed user's principal name, enabled state or user type changed in the directory.",
    data: object({
      profileId: uuid,
      userId: string({ minLength: 1 }),
      userPrincipalName: string(),
      accountEnabled: nullable(boolean),
      userType: nullable(string()),
      changedAt: dateTime,
    }),
  }),
  defineEvent({
    type: 'UserActivityRecorded',
    category: CATEGORY,
    schemaVersion: 1,
    description:
      "A user's last activity in an app (sales, customerService or general) moved forward, from the Dataverse audit log.",
    data: object(
      {
        profileId: uuid,
        userId: string({ minLength: 1 }),
        app: oneOfValues('sales', 'customerService', 'general'),
        lastActivityAt: dateTime,
        source: string(),
      },
      ['profileId', 'userId', 'app', 'lastActivityAt'],
    ),
  }),
  defineEvent({
    type: 'SubscriptionReclaimed',
    category: CATEGORY,
    schemaVersion: 1,
    description: 'A direct assignment was removed through Graph assignLicense; the user no longer holds the license.',
    data: object(
      {
        profileId: uuid,
        userId: string({ minLength: 1 }),
        skuId: uuid,
        skuPartNumber: string(),
        reclamationId: uuid,
        reason: string(),
        reclaimedAt: dateTime,
      },
      ['profileId', 'userId', 'skuId', 'skuPartNumber', 'reclamationId'],
    ),
  }),
];
