import { conflict, notFound } from '../../shared/domain-error';
import { ACTIVE_RECLAMATION, type LicenseeState, type LicenseeStreamEvent } from './licensee.state';

interface Step {
  readonly reclamationId: string;
  readonly at: string;
}

/** The notify → grace → keep → approve/reject workflow around a low-usage candidate. */
export type ReclamationStep =
  | {
      readonly type: 'OpenReclamation';
      readonly data: Step & {
        readonly skuId: string;
        readonly ruleId: string | null;
        readonly daysInactive: number;
        readonly lastActivityAt: string | null;
        readonly graceDays: number;
      };
    }
  | {
      readonly type: 'RecordNotification';
      readonly data: Step & {
        readonly delivered: boolean;
        readonly deliveryId: string;
        readonly webhookStatus: number;
        readonly graceEndsAt: string;
        readonly error?: string;
      };
    }
  | { readonly type: 'RequestKeep'; readonly data: Step & { readonly requestedBy: string; readonly reason: string } }
  | {
      readonly type: 'DecideKeep';
      readonly data: Step & { readonly approve: boolean; readonly by: string; readonly note: string };
    }
  | {
      readonly type: 'CancelReclamation';
      readonly data: Step & {
        readonly reason: 'activity' | 'license-removed' | 'rule-disabled' | 'unproven';
        readonly detail: string;
      };
    };

export function decideReclamationStep(command: ReclamationStep, state: LicenseeState): LicenseeStreamEvent[] {
  const { reclamationId, at } = command.data;
  const existing = state.reclamations.get(reclamationId);
  const { profileId, userId } = state;
  if (command.type === 'OpenReclamation') {
    const license = state.licenses.get(command.data.skuId);
    if (existing || !license) return [];
    // One candidate per license at a time.
    for (const r of state.reclamations.values())
      if (r.skuId === license.skuId && ACTIVE_RECLAMATION.has(r.status)) return [];
    const { ruleId, daysInactive, lastActivityAt, graceDays } = command.data;
    return [
      {
        type: 'ReclamationOpened',
        data: {
          profileId,
          userId,
          reclamationId,
          skuId: license.skuId,
          skuPartNumber: license.skuPartNumber,
          ruleId,
          trigger: 'low-usage',
          daysInactive,
          lastActivityAt,
          graceDays,
          openedAt: at,
        },
      },
    ];
  }
  if (!existing) {
    if (command.type === 'RequestKeep' || command.type === 'DecideKeep') throw notFound('reclamation', reclamationId);
    return [];
  }
  const subject = { profileId, userId, reclamationId, skuId: existing.skuId, skuPartNumber: existing.skuPartNumber };
  switch (command.type) {
    case 'RecordNotification': {
      if (existing.status !== 'open') return [];
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
      if (existing.status === 'awaiting-approval') return [];
      if (existing.status !== 'awaiting-user')
        throw conflict(
          'reclamation-not-awaiting-user',
          `the reclamation is ${existing.status}; a keep request is only possible while it awaits the user`,
        );
      const { requestedBy, reason } = command.data;
      return [{ type: 'ReclamationKeepRequested', data: { ...subject, requestedBy, reason, requestedAt: at } }];
    }
    case 'DecideKeep': {
      if (existing.status !== 'awaiting-approval' || existing.keepRejected) {
        throw conflict(
          'reclamation-not-awaiting-approval',
          `the reclamation is ${existing.status}; only a keep request awaiting approval can be approved or rejected`,
        );
      }
      const { approve, by, note } = command.data;
      if (!approve)
        return [{ type: 'ReclamationKeepRejected', data: { ...subject, rejectedBy: by, note, rejectedAt: at } }];
      return [
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
      ];
    }
    case 'CancelReclamation': {
      if (!ACTIVE_RECLAMATION.has(existing.status) || existing.status === 'requested') return [];
      const { reason, detail } = command.data;
      return [{ type: 'ReclamationCancelled', data: { ...subject, reason, detail, cancelledAt: at } }];
    }
  }
}
