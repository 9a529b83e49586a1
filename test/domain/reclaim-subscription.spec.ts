import { licenseeDecider, type LicenseeCommand } from '../../src/domain/licensee/licensee.decider';
import type { LicenseeEvent } from '../../src/domain/licensee/licensee.events';
import type { ReclamationEvent } from '../../src/domain/licensee/reclamation.events';
import type { ExclusionRule } from '../../src/domain/profile/profile.decider';
import { deciderSpec } from '../support/decider-spec';

const profileId = '0f7c4f1e-9d4b-4a8f-a2a1-3a6f1c2b9d10';
const userId = 'aaaaaaaa-0000-4000-8000-000000000001';
const skuId = '1e1a282c-9c54-43a2-9310-98ef728faace';
const reclamationId = 'c0000000-0000-4000-8000-000000000001';
const group = 'a1a1a1a1-0000-4000-8000-000000000001';
const at = '2026-11-26T03:00:00.000Z';
const spec = deciderSpec(licenseeDecider);
const subject = { profileId, userId, reclamationId, skuId, skuPartNumber: 'DYN365_ENTERPRISE_SALES' };

const assigned = (via: 'direct' | 'group' | 'both' = 'direct'): LicenseeEvent => ({
  type: 'LicenseAssigned',
  data: {
    profileId,
    userId,
    userPrincipalName: 'a@x',
    skuId,
    skuPartNumber: 'DYN365_ENTERPRISE_SALES',
    assignedVia: via,
    groupIds: via === 'direct' ? [] : [group],
    assignedAt: at,
    accountEnabled: true,
    userType: 'Member',
    recognized: true,
  },
});
const request = (
  extra: Partial<{
    exclusionRules: ExclusionRule[];
    groupNames: Map<string, string | null>;
    trigger: 'manual' | 'low-usage';
    sku: { skuId: string } | { skuPartNumber: string };
  }> = {},
): LicenseeCommand => ({
  type: 'ReclaimSubscription',
  data: {
    profileId,
    userId,
    reclamationId,
    sku: { skuId },
    at,
    trigger: 'manual',
    reason: 'left',
    exclusionRules: [],
    groupNames: new Map(),
    ...extra,
  },
});
const requested: ReclamationEvent = {
  type: 'ReclamationRequested',
  data: { ...subject, trigger: 'manual', reason: 'left', requestedAt: at },
};
const opened: ReclamationEvent = {
  type: 'ReclamationOpened',
  data: {
    ...subject,
    ruleId: null,
    trigger: 'low-usage',
    daysInactive: 90,
    lastActivityAt: null,
    graceDays: 7,
    openedAt: at,
  },
};
const notified: ReclamationEvent = {
  type: 'ReclamationUserNotified',
  data: {
    ...subject,
    deliveryId: reclamationId,
    webhookStatus: 204,
    graceEndsAt: '2026-12-03T03:00:00.000Z',
    notifiedAt: at,
  },
};
const keep: ReclamationEvent = {
  type: 'ReclamationKeepRequested',
  data: { ...subject, requestedBy: 'a@x', reason: 'needed', requestedAt: at },
};

describe('ReclaimSubscription (licensee decider)', () => {
  it('a direct assignment is requested first (Graph is called only after this is recorded)', () =>
    spec.given([assigned()]).when(request()).then([requested]));
  it('a license any group assigns is blocked, naming the groups', () => {
    spec
      .given([assigned('both')])
      .when(request({ groupNames: new Map([[group, 'Sales team']]) }))
      .thenMatch([
        {
          type: 'ReclamationBlocked',
          data: {
            reason: 'group-assigned',
            groups: [{ id: group, displayName: 'Sales team' }],
            detail: expect.stringContaining('"Sales team"'),
          },
        },
      ]);
  });
  it('an excluded subscription is blocked, naming the rule, by user or by identifier', () => {
    spec
      .given([assigned()])
      .when(request({ exclusionRules: [{ id: 'r1', type: 'user', value: 'A@X', reason: 'CEO' }] }))
      .thenMatch([
        {
          type: 'ReclamationBlocked',
          data: { reason: 'excluded', detail: expect.stringContaining('user rule A@X: CEO') },
        },
      ]);
    spec
      .given([assigned()])
      .when(
        request({ exclusionRules: [{ id: 'r2', type: 'identifier', value: 'dyn365_enterprise_sales', reason: '' }] }),
      )
      .thenMatch([{ type: 'ReclamationBlocked', data: { reason: 'excluded' } }]);
  });
  it('an exclusion rule for someone or something else blocks nothing', () =>
    spec
      .given([assigned()])
      .when(request({ exclusionRules: [{ id: 'r1', type: 'user', value: 'b@x', reason: '' }] }))
      .then([requested]));
  it('finds the license by part number as well as by SKU id', () =>
    spec
      .given([assigned()])
      .when(request({ sku: { skuPartNumber: 'dyn365_enterprise_sales' } }))
      .then([requested]));
  it('a license the user does not hold is not found', () =>
    spec.given([]).when(request()).thenThrows('subscription-not-found'));
  it('records the outcome once; the same reclamation asked again decides nothing', () => {
    const reclaimed = spec
      .given([assigned(), requested])
      .when({ type: 'RecordReclaimOutcome', data: { reclamationId, at, outcome: 'reclaimed' } })
      .events();
    expect(reclaimed).toEqual([
      {
        type: 'SubscriptionReclaimed',
        data: {
          profileId,
          userId,
          skuId,
          skuPartNumber: 'DYN365_ENTERPRISE_SALES',
          reclamationId,
          reason: 'left',
          reclaimedAt: at,
        },
      },
    ]);
    spec
      .given([assigned(), requested, ...reclaimed])
      .when(request())
      .then([]);
    spec.given([assigned(), requested]).when(request()).then([]);
    spec
      .given([assigned(), requested])
      .when({
        type: 'RecordReclaimOutcome',
        data: { reclamationId, at, outcome: 'failed', cause: 'unavailable', message: 'Graph 503' },
      })
      .thenMatch([{ type: 'ReclamationFailed', data: { cause: 'unavailable' } }]);
  });
  it('names the process that will call Graph, so another can tell a live call from one cut short', () => {
    const requester = { instanceId: 'ledger-1', leaseId: 'd0000000-0000-4000-8000-000000000001' };
    const command = request();
    spec
      .given([assigned()])
      .when({ ...command, data: { ...command.data, requester } } as LicenseeCommand)
      .then([{ ...requested, data: { ...requested.data, requester } } as ReclamationEvent]);
  });
  it('one Graph call per subscription: while another reclamation of the license is requested, nothing is recorded', () => {
    const other = 'c0000000-0000-4000-8000-000000000009';
    const first: ReclamationEvent = {
      ...requested,
      data: { ...requested.data, reclamationId: other },
    } as ReclamationEvent;
    spec.given([assigned(), first]).when(request()).then([]);
    // Once it has its outcome, a new request is decided as usual.
    const failed: ReclamationEvent = {
      type: 'ReclamationFailed',
      data: { ...subject, reclamationId: other, cause: 'unavailable', message: 'Graph 503', failedAt: at },
    };
    spec.given([assigned(), first, failed]).when(request()).then([requested]);
  });
});

describe('the reclamation workflow', () => {
  const open: LicenseeCommand = {
    type: 'OpenReclamation',
    data: { reclamationId, skuId, at, ruleId: null, daysInactive: 90, lastActivityAt: null, graceDays: 7 },
  };
  it('opens a candidate once per license at a time', () => {
    spec.given([assigned()]).when(open).then([opened]);
    spec
      .given([assigned(), opened])
      .when({ ...open, data: { ...open.data, reclamationId: 'c0000000-0000-4000-8000-000000000002' } })
      .then([]);
  });
  it('notifies an open candidate; a failed notice counts attempts', () => {
    spec
      .given([assigned(), opened])
      .when({
        type: 'RecordNotification',
        data: {
          reclamationId,
          at,
          delivered: true,
          deliveryId: reclamationId,
          webhookStatus: 204,
          graceEndsAt: '2026-12-03T03:00:00.000Z',
        },
      })
      .then([notified]);
    spec
      .given([assigned(), opened])
      .when({
        type: 'RecordNotification',
        data: {
          reclamationId,
          at,
          delivered: false,
          deliveryId: reclamationId,
          webhookStatus: 500,
          graceEndsAt: at,
        },
      })
      .thenMatch([{ type: 'ReclamationNotificationFailed', data: { attempt: 1 } }]);
  });
  it('activity in the window cancels', () =>
    spec
      .given([assigned(), opened, notified])
      .when({ type: 'CancelReclamation', data: { reclamationId, at, reason: 'activity', detail: 'active' } })
      .thenMatch([{ type: 'ReclamationCancelled', data: { reason: 'activity' } }]));
  it('a keep request waits for an admin: approve keeps it, reject lets it be reclaimed', () => {
    spec
      .given([assigned(), opened, notified])
      .when({ type: 'RequestKeep', data: { reclamationId, at, requestedBy: 'a@x', reason: 'needed' } })
      .then([keep]);
    spec
      .given([assigned(), opened, notified, keep])
      .when({ type: 'DecideKeep', data: { reclamationId, at, approve: true, by: 'admin', note: '' } })
      .thenMatch([{ type: 'ReclamationKeepApproved' }, { type: 'ReclamationCancelled', data: { reason: 'kept' } }]);
    const rejected = spec
      .given([assigned(), opened, notified, keep])
      .when({ type: 'DecideKeep', data: { reclamationId, at, approve: false, by: 'admin', note: '' } })
      .events();
    expect(rejected).toMatchObject([{ type: 'ReclamationKeepRejected' }]);
    spec
      .given([assigned(), opened, notified, keep, ...rejected])
      .when(request())
      .thenMatch([{ type: 'ReclamationRequested' }]);
  });
  it('refuses a keep request outside awaiting-user and a decision outside awaiting-approval', () => {
    spec
      .given([assigned(), opened])
      .when({ type: 'RequestKeep', data: { reclamationId, at, requestedBy: 'a', reason: '' } })
      .thenThrows('reclamation-not-awaiting-user');
    spec
      .given([assigned(), opened, notified])
      .when({ type: 'DecideKeep', data: { reclamationId, at, approve: true, by: 'x', note: '' } })
      .thenThrows('reclamation-not-awaiting-approval');
  });
  it('at the end of the grace period the awaiting candidate is requested for reclaim', () =>
    spec
      .given([assigned(), opened, notified])
      .when(request({ trigger: 'low-usage' }))
      .thenMatch([{ type: 'ReclamationRequested', data: { trigger: 'low-usage' } }]));
});
