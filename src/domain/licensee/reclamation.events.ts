import {
  array,
  dateTime,
  defineEvent,
  int,
  nullable,
  object,
  oneOf,
  optional,
  str,
  uuid,
  type EventsOf,
} from '../event-definition';
import type { TProperties } from '@sinclair/typebox';

export const RECLAMATION_TRIGGERS = ['manual', 'low-usage'] as const;
export type ReclamationTrigger = (typeof RECLAMATION_TRIGGERS)[number];

const subject = {
  profileId: uuid,
  userId: str({ minLength: 1 }),
  reclamationId: uuid,
  skuId: uuid,
  skuPartNumber: str(),
};
const trigger = oneOf(...RECLAMATION_TRIGGERS);

const event = <const Type extends string, Data extends TProperties>(type: Type, description: string, data: Data) =>
  defineEvent({ type, category: 'licensee', schemaVersion: 1, description, data: object({ ...subject, ...data }) });

/**
 * The reclamation workflow's facts, on the user's licensee stream beside the license they
 * concern, so one expected revision orders a reclaim against everything else that
 * happens to that user. (SubscriptionReclaimed, the public outcome, is in licensee.events.)
 */
export const RECLAMATION_EVENTS = [
  event(
    'ReclamationOpened',
    'A low-usage subscription became a reclamation candidate under a rule that notifies users.',
    {
      ruleId: nullable(uuid),
      trigger,
      daysInactive: int({ minimum: 0 }),
      lastActivityAt: nullable(dateTime),
      graceDays: int({ minimum: 0 }),
      openedAt: dateTime,
    },
  ),
  event(
    'ReclamationUserNotified',
    'The user was told through the signed webhook; the grace period runs until graceEndsAt.',
    {
      deliveryId: str(),
      webhookStatus: int(),
      graceEndsAt: dateTime,
      notifiedAt: dateTime,
    },
  ),
  event('ReclamationNotificationFailed', 'The webhook could not be delivered; it will be tried again.', {
    attempt: int({ minimum: 1 }),
    error: str(),
    failedAt: dateTime,
  }),
  event('ReclamationKeepRequested', 'The user asked to keep the license; an administrator decides.', {
    requestedBy: str(),
    reason: str(),
    requestedAt: dateTime,
  }),
  event('ReclamationKeepApproved', 'An administrator let the user keep the license.', {
    approvedBy: str(),
    note: str(),
    approvedAt: dateTime,
  }),
  event(
    'ReclamationKeepRejected',
    "An administrator rejected the user's request to keep the license; it is reclaimed.",
    {
      rejectedBy: str(),
      note: str(),
      rejectedAt: dateTime,
    },
  ),
  event(
    'ReclamationCancelled',
    'The candidate closed without reclaiming: the user was active, kept the license, no longer holds it, or the audit log no longer proves the inactivity.',
    {
      reason: oneOf('activity', 'kept', 'license-removed', 'rule-disabled', 'unproven'),
      detail: str(),
      cancelledAt: dateTime,
    },
  ),
  event(
    'ReclamationRequested',
    'The service is about to remove the direct assignment through Graph assignLicense (recorded first, so a retry never calls Graph twice). `requester` names the process making the call, so another can tell a call in flight from one cut short by a crash.',
    {
      trigger,
      reason: str(),
      requestedAt: dateTime,
      requester: optional(object({ instanceId: str(), leaseId: uuid })),
    },
  ),
  event(
    'ReclamationBlocked',
    'The license cannot be reclaimed here: a group assigns it (the groups are named) or the subscription is excluded.',
    {
      reason: oneOf('group-assigned', 'excluded'),
      detail: str(),
      groups: array(object({ id: str(), displayName: nullable(str()) })),
      blockedAt: dateTime,
    },
  ),
  event('ReclamationFailed', 'Graph refused or could not be reached; the license is still assigned.', {
    cause: str(),
    message: str(),
    failedAt: dateTime,
  }),
] as const;

export type ReclamationEvent = EventsOf<typeof RECLAMATION_EVENTS>;
