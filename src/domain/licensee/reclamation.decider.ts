import { conflict, notFound } from '../../shared/domain-error';
import { assertNever, type Decider } from '../decider';
import type { AssignedVia, LicenseeEvent } from './licensee.events';
import type { ReclamationEvent, ReclamationTrigger } from './reclamation.events';

export type ReclamationStatus =
  'open' | 'awaiting-user' | 'awaiting-approval' | 'requested' | 'reclaimed' | 'cancelled' | 'blocked' | 'failed';

export interface Reclamation {
  readonly id: string;
  readonly skuId: string;
  readonly skuPartNumber: string;
  readonly status: ReclamationStatus;
  readonly keepRejected: boolean;
  readonly graceEndsAt: string | null;
  readonly openedAt: string | null;
  readonly notificationAttempts: number;
  readonly detail: string;
}

/** One user's licenses (as the reclaim needs them) and reclamations, folded from their licensee stream. */
export interface LicenseeReclamationState {
  readonly profileId: string | null;
  readonly userId: string | null;
  readonly licenses: ReadonlyMap<
    string,
    { readonly skuPartNumber: string; readonly assignedVia: AssignedVia; readonly groupIds: readonly string[] }
  >;
  readonly reclamations: ReadonlyMap<string, Reclamation>;
}

export const ACTIVE: ReadonlySet<ReclamationStatus> = new Set([
  'open',
  'awaiting-user',
  'awaiting-approval',
  'requested',
]);

type Event = LicenseeEvent | ReclamationEvent;

interface Target {
  readonly reclamationId: string;
  readonly skuId: string;
  readonly at: string;
}

export type ReclamationCommand =
  | {
      type: 'RequestReclaim';
      data: Target & {
        trigger: ReclamationTrigger;
        reason: string;
        excludedBy: string | null;
        groupNames: ReadonlyMap<string, string | null>;
      };
    }
  | {
      type: 'RecordReclaimOutcome';
      data: Target & { outcome: 'reclaimed' | 'failed'; cause?: string; message?: string; reason: string };
    }
  | {
      type: 'OpenReclamation';
      data: Target & { ruleId: string | null; daysInactive: number; lastActivityAt: string | null; graceDays: number };
    }
  | {
      type: 'RecordNotification';
      data: Target & {
        delivered: boolean;
        deliveryId: string;
        webhookStatus: number;
        graceEndsAt: string;
        error?: string;
      };
    }
  | { type: 'RequestKeep'; data: Target & { requestedBy: string; reason: string } }
  | { type: 'DecideKeep'; data: Target & { approve: boolean; by: string; note: string } }
  | {
      type: 'CancelReclamation';
      data: Target & { reason: 'activity' | 'license-removed' | 'rule-disabled'; detail: string };
    };

const update = (
  state: LicenseeReclamationState,
  id: string,
  change: Partial<Reclamation>,
): LicenseeReclamationState => {
  const current = state.reclamations.get(id);
  if (!current) return state;
  return { ...state, reclamations: new Map([...state.reclamations, [id, { ...current, ...change }]]) };
};

const add = (state: LicenseeReclamationState, r: Reclamation): LicenseeReclamationState => ({
  ...state,
  reclamations: new Map([...state.reclamations, [r.id, r]]),
});

const fresh = (
  id: string,
  skuId: string,
  skuPartNumber: string,
  status: ReclamationStatus,
  detail = '',
): Reclamation => ({
  id,
  skuId,
  skuPartNumber,
  status,
  keepRejected: false,
  graceEndsAt: null,
  openedAt: null,
  notificationAttempts: 0,
  detail,
});

/**
 * ReclaimSubscription and the workflow around it (open → awaiting-user → awaiting-approval
 * → reclaimed | cancelled | blocked | failed), decided against the user's licensee stream.
 * A reclamation id decides once: asking again returns what happened, so a retry can never
 * reach Graph twice.
 */
export const reclamationDecider: Decider<ReclamationCommand, Event, LicenseeReclamationState> = {
  initialState: () => ({ profileId: null, userId: null, licenses: new Map(), reclamations: new Map() }),

  evolve(state, event) {
    const s = { ...state, profileId: event.data.profileId, userId: event.data.userId };
    switch (event.type) {
      case 'LicenseAssigned':
      case 'LicenseAssignmentChanged':
        return {
          ...s,
          licenses: new Map([
            ...s.licenses,
            [
              event.data.skuId,
              {
                skuPartNumber: event.data.skuPartNumber,
                assignedVia: event.data.assignedVia,
                groupIds: event.data.groupIds,
              },
            ],
          ]),
        };
      case 'LicenseRemoved': {
        const licenses = new Map(s.licenses);
        licenses.delete(event.data.skuId);
        return { ...s, licenses };
      }
      case 'SubscriptionReclaimed': {
        const licenses = new Map(s.licenses);
        licenses.delete(event.data.skuId);
        const reclaimed =
          s.reclamations.get(event.data.reclamationId) ??
          fresh(event.data.reclamationId, event.data.skuId, event.data.skuPartNumber, 'reclaimed');
        return {
          ...add(s, { ...reclaimed, status: 'reclaimed', detail: 'removed through Graph assignLicense' }),
          licenses,
        };
      }
      case 'LicenseeDetailsChanged':
      case 'UserActivityRecorded':
        return s;
      case 'ReclamationOpened':
        return add(s, {
          ...fresh(event.data.reclamationId, event.data.skuId, event.data.skuPartNumber, 'open'),
          openedAt: event.data.openedAt,
        });
      case 'ReclamationUserNotified':
        return update(s, event.data.reclamationId, { status: 'awaiting-user', graceEndsAt: event.data.graceEndsAt });
      case 'ReclamationNotificationFailed':
        return update(s, event.data.reclamationId, { notificationAttempts: event.data.attempt });
      case 'ReclamationKeepRequested':
        return update(s, event.data.reclamationId, { status: 'awaiting-approval' });
      case 'ReclamationKeepApproved':
        return update(s, event.data.reclamationId, {
          status: 'cancelled',
          detail: 'kept: the administrator approved the request',
        });
      case 'ReclamationKeepRejected':
        return update(s, event.data.reclamationId, { keepRejected: true });
      case 'ReclamationCancelled':
        return update(s, event.data.reclamationId, { status: 'cancelled', detail: event.data.detail });
      case 'ReclamationRequested': {
        const existing = s.reclamations.get(event.data.reclamationId);
        return existing
          ? update(s, existing.id, { status: 'requested' })
          : add(s, fresh(event.data.reclamationId, event.data.skuId, event.data.skuPartNumber, 'requested'));
      }
      case 'ReclamationBlocked': {
        const existing = s.reclamations.get(event.data.reclamationId);
        return existing
          ? update(s, existing.id, { status: 'blocked', detail: event.data.detail })
          : add(
              s,
              fresh(event.data.reclamationId, event.data.skuId, event.data.skuPartNumber, 'blocked', event.data.detail),
            );
      }
      case 'ReclamationFailed': {
        const existing = s.reclamations.get(event.data.reclamationId);
        return existing
          ? update(s, existing.id, { status: 'failed', detail: event.data.message })
          : add(
              s,
              fresh(event.data.reclamationId, event.data.skuId, event.data.skuPartNumber, 'failed', event.data.message),
            );
      }
      default:
        return assertNever(event);
    }
  },

  decide(command, state) {
    const { reclamationId, skuId, at } = command.data;
    const existing = state.reclamations.get(reclamationId);
    const profileId = state.profileId ?? '';
    const userId = state.userId ?? '';
    const license = state.licenses.get(skuId);
    const skuPartNumber = license?.skuPartNumber ?? existing?.skuPartNumber ?? '';
    const subject = { profileId, userId, reclamationId, skuId, skuPartNumber };
    switch (command.type) {
      case 'RequestReclaim': {
        // Asked before: the first decision stands (idempotent per reclamation id).
        if (
          existing &&
          existing.status !== 'open' &&
          existing.status !== 'awaiting-user' &&
          !(existing.status === 'awaiting-approval' && existing.keepRejected)
        )
          return [];
        if (!license) throw notFound('subscription', `${skuId} of user ${userId || 'unknown'}`);
        const { trigger, reason, excludedBy, groupNames } = command.data;
        if (excludedBy) {
          return [
            {
              type: 'ReclamationBlocked',
              data: {
                ...subject,
                reason: 'excluded',
                detail: `the subscription is excluded (${excludedBy}); remove the exclusion rule to reclaim it`,
                groups: [],
                blockedAt: at,
              },
            },
          ];
        }
        if (license.assignedVia !== 'direct') {
          const groups = license.groupIds.map((id) => ({ id, displayName: groupNames.get(id) ?? null }));
          const names = groups.map((g) => (g.displayName ? `"${g.displayName}" (${g.id})` : g.id)).join(', ');
          return [
            {
              type: 'ReclamationBlocked',
              data: {
                ...subject,
                reason: 'group-assigned',
                detail: `assigned through group ${names}: removing a direct copy frees nothing; remove the user from the group or the license from the group`,
                groups,
                blockedAt: at,
              },
            },
          ];
        }
        return [{ type: 'ReclamationRequested', data: { ...subject, trigger, reason, requestedAt: at } }];
      }
      case 'RecordReclaimOutcome': {
        if (existing?.status !== 'requested') return [];
        const { outcome, cause, message, reason } = command.data;
        return outcome === 'reclaimed'
          ? [
              {
                type: 'SubscriptionReclaimed',
                data: { profileId, userId, skuId, skuPartNumber, reclamationId, reason, reclaimedAt: at },
              },
            ]
          : [
              {
                type: 'ReclamationFailed',
                data: { ...subject, cause: cause ?? 'unknown', message: message ?? 'the reclaim failed', failedAt: at },
              },
            ];
      }
      case 'OpenReclamation': {
        if (existing || !license) return [];
        if ([...state.reclamations.values()].some((r) => r.skuId === skuId && ACTIVE.has(r.status))) return [];
        const { ruleId, daysInactive, lastActivityAt, graceDays } = command.data;
        return [
          {
            type: 'ReclamationOpened',
            data: { ...subject, ruleId, trigger: 'low-usage', daysInactive, lastActivityAt, graceDays, openedAt: at },
          },
        ];
      }
      case 'RecordNotification': {
        if (existing?.status !== 'open') return [];
        const { delivered, deliveryId, webhookStatus, graceEndsAt, error } = command.data;
        return delivered
          ? [
              {
                type: 'ReclamationUserNotified',
                data: { ...subject, deliveryId, webhookStatus, graceEndsAt, notifiedAt: at },
              },
            ]
          : [
              {
                type: 'ReclamationNotificationFailed',
                data: {
                  ...subject,
                  attempt: existing.notificationAttempts + 1,
                  error: error ?? `webhook answered ${webhookStatus}`,
                  failedAt: at,
                },
              },
            ];
      }
      case 'RequestKeep': {
        if (!existing) throw notFound('reclamation', reclamationId);
        if (existing.status === 'awaiting-approval') return [];
        if (existing.status !== 'awaiting-user')
          throw conflict(
            'reclamation-not-awaiting-user',
            `the reclamation is ${existing.status}; a keep request is only possible while it awaits the user`,
          );
        return [
          {
            type: 'ReclamationKeepRequested',
            data: { ...subject, requestedBy: command.data.requestedBy, reason: command.data.reason, requestedAt: at },
          },
        ];
      }
      case 'DecideKeep': {
        if (!existing) throw notFound('reclamation', reclamationId);
        if (existing.status !== 'awaiting-approval' || existing.keepRejected) {
          throw conflict(
            'reclamation-not-awaiting-approval',
            `the reclamation is ${existing.status}; only a keep request awaiting approval can be approved or rejected`,
          );
        }
        const { approve, by, note } = command.data;
        return approve
          ? [
              { type: 'ReclamationKeepApproved', data: { ...subject, approvedBy: by, note, approvedAt: at } },
              {
                type: 'ReclamationCancelled',
                data: {
                  ...subject,
                  reason: 'kept',
                  detail: `kept: approved by ${by}${note ? `: ${note}` : ''}`,
                  cancelledAt: at,
                },
              },
            ]
          : [{ type: 'ReclamationKeepRejected', data: { ...subject, rejectedBy: by, note, rejectedAt: at } }];
      }
      case 'CancelReclamation': {
        if (!existing || !ACTIVE.has(existing.status) || existing.status === 'requested') return [];
        return [
          {
            type: 'ReclamationCancelled',
            data: { ...subject, reason: command.data.reason, detail: command.data.detail, cancelledAt: at },
          },
        ];
      }
      default:
        return assertNever(command);
    }
  },
};
