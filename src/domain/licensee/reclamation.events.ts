import type { DomainEvent } from '../decider';
import { defineEvent } from '../../events/event-definition';
import { array, dateTime, integer, nullable, object, oneOfValues, string, uuid } from '../../events/json-schema';

export type ReclamationTrigger = 'manual' | 'low-usage';

interface Subject {
  profileId: string;
  userId: string;
  reclamationId: string;
  skuId: string;
  skuPartNumber: string;
}

/**
 * The reclamation workflow's facts, on the user's licensee stream beside the license they
 * concern, so one expected revision orders a reclaim against everything else that
 * happens to that user. (SubscriptionReclaimed, the public outcome, is in licensee.events.)
 */
export type ReclamationEvent =
  | DomainEvent<
      'ReclamationOpened',
      Subject & {
        ruleId: string | null;
        trigger: ReclamationTrigger;
        daysInactive: number;
        lastActivityAt: string | null;
        graceDays: number;
        openedAt: string;
      }
    >
  | DomainEvent<
      'ReclamationUserNotified',
      Subject & { deliveryId: string; webhookStatus: number; graceEndsAt: string; notifiedAt: string }
    >
  | DomainEvent<'ReclamationNotificationFailed', Subject & { attempt: number; error: string; failedAt: string }>
  | DomainEvent<'ReclamationKeepRequested', Subject & { requestedBy: string; reason: string; requestedAt: string }>
  | DomainEvent<'ReclamationKeepApproved', Subject & { approvedBy: string; note: string; approvedAt: string }>
  | DomainEvent<'ReclamationKeepRejected', Subject & { rejectedBy: string; note: string; rejectedAt: string }>
  | DomainEvent<
      'ReclamationCancelled',
      Subject & {
        reason: 'activity' | 'kept' | 'license-removed' | 'rule-disabled';
        detail: string;
        cancelledAt: string;
      }
    >
  | DomainEvent<'ReclamationRequested', Subject & { trigger: ReclamationTrigger; reason: string; requestedAt: string }>
  | DomainEvent<
      'ReclamationBlocked',
      Subject & {
        reason: 'group-assigned' | 'excluded';
        detail: string;
        groups: { id: string; displayName: string | null }[];
        blockedAt: string;
      }
    >
  | DomainEvent<'ReclamationFailed', Subject & { cause: string; message: string; failedAt: string }>;

const subject = {
  profileId: uuid,
  userId: string({ minLength: 1 }),
  reclamationId: uuid,
  skuId: uuid,
  skuPartNumber: string(),
};
const event = (type: string, description: string, data: Record<string, Record<string, unknown>>) =>
  defineEvent({ type, category: 'licensee', schemaVersion: 1, description, data: object({ ...subject, ...data }) });

export const RECLAMATION_EVENTS = [
  event(
    'ReclamationOpened',
    'A low-usage subscription became a reclamation candidate under a rule that notifies users.',
    {
      ruleId: nullable(uuid),
      trigger: oneOfValues('manual', 'low-usage'),
      daysInactive: integer({ minimum: 0 }),
      lastActivityAt: nullable(dateTime),
      graceDays: integer({ minimum: 0 }),
      openedAt: dateTime,
    },
  ),
  event(
    'ReclamationUserNotified',
    'The user was told through the signed webhook; the grace period runs until graceEndsAt.',
    {
      deliveryId: string(),
      webhookStatus: integer(),
      graceEndsAt: dateTime,
      notifiedAt: dateTime,
    },
  ),
  event('ReclamationNotificationFailed', 'The webhook could not be delivered; it will be tried again.', {
    attempt: integer({ minimum: 1 }),
    error: string(),
    failedAt: dateTime,
  }),
  event('ReclamationKeepRequested', 'The user asked to keep the license; an administrator decides.', {
    requestedBy: string(),
    reason: string(),
    requestedAt: dateTime,
  }),
  event('ReclamationKeepApproved', 'An administrator let the user keep the license.', {
    approvedBy: string(),
    note: string(),
    approvedAt: dateTime,
  }),
  event(
    'ReclamationKeepRejected',
    "An administrator rejected the user's request to keep the license; it is reclaimed.",
    { rejectedBy: string(), note: string(), rejectedAt: dateTime },
  ),
  event(
    'ReclamationCancelled',
    'The candidate closed without reclaiming: the user was active, kept the license, or no longer holds it.',
    {
      reason: oneOfValues('activity', 'kept', 'license-removed', 'rule-disabled'),
      detail: string(),
      cancelledAt: dateTime,
    },
  ),
  event(
    'ReclamationRequested',
    'The service is about to remove the direct assignment through Graph assignLicense (recorded first, so a retry never calls Graph twice).',
    {
      trigger: oneOfValues('manual', 'low-usage'),
      reason: string(),
      requestedAt: dateTime,
    },
  ),
  event(
    'ReclamationBlocked',
    'The license cannot be reclaimed here: a group assigns it (the groups are named) or the subscription is excluded.',
    {
      reason: oneOfValues('group-assigned', 'excluded'),
      detail: string(),
      groups: array(object({ id: string(), displayName: nullable(string()) })),
      blockedAt: dateTime,
    },
  ),
  event('ReclamationFailed', 'Graph refused or could not be reached; the license is still assigned.', {
    cause: string(),
    message: string(),
    failedAt: dateTime,
  }),
];
