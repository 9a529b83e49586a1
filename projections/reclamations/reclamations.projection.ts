import type { LicenseeEvent } from '../../src/domain/licensee/licensee.events';
import type { ReclamationEvent } from '../../src/domain/licensee/reclamation.events';
import { defineProjection, type ProjectedEvent } from '../projection';

export type ReclamationState =
  'open' | 'awaiting-user' | 'awaiting-approval' | 'reclaimed' | 'cancelled' | 'blocked' | 'failed';

export interface ReclamationStep {
  readonly type: string;
  readonly at: string;
  readonly position: string;
  readonly actor: { readonly kind: string; readonly id: string; readonly role?: string };
  readonly detail: string;
}

export interface ReclamationView {
  readonly id: string;
  readonly profileId: string;
  readonly userId: string;
  readonly skuId: string;
  readonly skuPartNumber: string;
  trigger: 'manual' | 'low-usage';
  status: ReclamationState;
  /** The Graph call is in flight (or was cut short); shown as `open` until its outcome. */
  removing: boolean;
  keepRejected: boolean;
  ruleId: string | null;
  openedAt: string;
  graceEndsAt: string | null;
  updatedAt: string;
  detail: string;
  notificationAttempts: number;
  readonly history: ReclamationStep[];
}

/** Every reclamation, manual or from the workflow, with each of its steps: the evidence trail. */
export interface ReclamationsReadModel {
  readonly byId: Map<string, ReclamationView>;
  /** Per profile, ids in the order they began. */
  readonly byProfile: Map<string, string[]>;
}

type Any = ProjectedEvent<string, any>;

const DETAIL: Record<string, (d: Record<string, unknown>) => string> = {
  ReclamationOpened: (d) => `low usage: ${d.daysInactive} days without qualifying activity; grace ${d.graceDays} days`,
  ReclamationUserNotified: (d) => `user notified (webhook ${d.webhookStatus}); grace ends ${d.graceEndsAt}`,
  ReclamationNotificationFailed: (d) => `notification attempt ${d.attempt} failed: ${d.error}`,
  ReclamationKeepRequested: (d) => `keep requested by ${d.requestedBy}${d.reason ? `: ${d.reason}` : ''}`,
  ReclamationKeepApproved: (d) => `keep approved by ${d.approvedBy}`,
  ReclamationKeepRejected: (d) => `keep rejected by ${d.rejectedBy}`,
  ReclamationCancelled: (d) => String(d.detail),
  ReclamationRequested: (d) =>
    `removing the direct assignment through Graph (${d.trigger})${d.reason ? `: ${d.reason}` : ''}`,
  ReclamationBlocked: (d) => String(d.detail),
  ReclamationFailed: (d) => `${d.cause}: ${d.message}`,
  SubscriptionReclaimed: () => 'removed through Graph assignLicense',
};

function step(
  state: ReclamationsReadModel,
  event: Any,
  change: (view: ReclamationView) => void,
): ReclamationsReadModel {
  const d = event.data as {
    profileId: string;
    userId: string;
    reclamationId: string;
    skuId: string;
    skuPartNumber: string;
    trigger?: 'manual' | 'low-usage';
  } & Record<string, unknown>;
  let view = state.byId.get(d.reclamationId);
  if (!view) {
    view = {
      id: d.reclamationId,
      profileId: d.profileId,
      userId: d.userId,
      skuId: d.skuId,
      skuPartNumber: d.skuPartNumber,
      trigger: (d.trigger as 'manual' | 'low-usage') ?? 'manual',
      status: 'open',
      removing: false,
      keepRejected: false,
      ruleId: null,
      openedAt: event.recordedAt,
      graceEndsAt: null,
      updatedAt: event.recordedAt,
      detail: '',
      notificationAttempts: 0,
      history: [],
    };
    state.byId.set(d.reclamationId, view);
    const list = state.byProfile.get(d.profileId) ?? [];
    list.push(d.reclamationId);
    state.byProfile.set(d.profileId, list);
  }
  const detail = DETAIL[event.type]?.(d) ?? event.type;
  view.history.push({
    type: event.type,
    at: event.recordedAt,
    position: event.position.toString(),
    actor: event.metadata.actor,
    detail,
  });
  view.updatedAt = event.recordedAt;
  view.detail = detail;
  change(view);
  return state;
}

export const reclamationsProjection = defineProjection<ReclamationsReadModel, ReclamationEvent | LicenseeEvent>({
  name: 'reclamations',
  version: 1,
  initialState: () => ({ byId: new Map(), byProfile: new Map() }),
  handlers: {
    ReclamationOpened: (s, e) =>
      step(s, e, (v) => ((v.trigger = 'low-usage'), (v.ruleId = e.data.ruleId), (v.openedAt = e.data.openedAt))),
    ReclamationUserNotified: (s, e) =>
      step(s, e, (v) => ((v.status = 'awaiting-user'), (v.graceEndsAt = e.data.graceEndsAt))),
    ReclamationNotificationFailed: (s, e) => step(s, e, (v) => (v.notificationAttempts = e.data.attempt)),
    ReclamationKeepRequested: (s, e) => step(s, e, (v) => (v.status = 'awaiting-approval')),
    ReclamationKeepApproved: (s, e) => step(s, e, () => undefined),
    ReclamationKeepRejected: (s, e) => step(s, e, (v) => (v.keepRejected = true)),
    ReclamationCancelled: (s, e) => step(s, e, (v) => (v.status = 'cancelled')),
    ReclamationRequested: (s, e) => step(s, e, (v) => ((v.removing = true), (v.trigger = e.data.trigger))),
    ReclamationBlocked: (s, e) => step(s, e, (v) => ((v.status = 'blocked'), (v.removing = false))),
    ReclamationFailed: (s, e) => step(s, e, (v) => ((v.status = 'failed'), (v.removing = false))),
    SubscriptionReclaimed: (s, e) => step(s, e, (v) => ((v.status = 'reclaimed'), (v.removing = false))),
  },
});
