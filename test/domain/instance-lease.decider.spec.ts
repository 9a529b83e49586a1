import { instanceLeaseDecider } from '../../src/domain/instance/instance-lease.decider';
import type { InstanceLeaseEvent, LeaseHolder } from '../../src/domain/instance/instance-lease.events';
import { deciderSpec } from '../support/decider-spec';

const instanceId = 'ledger-1';
const first: LeaseHolder = { leaseId: 'a0000000-0000-4000-8000-000000000001', hostname: 'vm-a', pid: 41, bootId: 'b1' };
const second: LeaseHolder = { leaseId: 'a0000000-0000-4000-8000-000000000002', hostname: 'vm-b', pid: 7, bootId: 'b2' };
const at = '2026-11-26T03:00:00.000Z';
const later = '2026-11-26T03:06:00.000Z';
const evenLater = '2026-11-26T03:12:00.000Z';

const taken = (holder: LeaseHolder, expiresAt = later): InstanceLeaseEvent => ({
  type: 'InstanceLeaseTaken',
  data: { instanceId, ...holder, takenAt: at, expiresAt },
});
const take = (holder: LeaseHolder, now = at, holderGone = false) =>
  ({ type: 'TakeLease', data: { instanceId, holder, at: now, expiresAt: evenLater, holderGone } }) as const;

describe('an instance id, held by one live process at a time', () => {
  const spec = deciderSpec(instanceLeaseDecider);

  it('takes a free id', () =>
    spec
      .given([])
      .when(take(first))
      .then([taken(first, evenLater)]));

  it('refuses an id another process holds and renews, with a message that says what to do', () => {
    spec
      .given([taken(first)])
      .when(take(second))
      .thenThrows('instance-id-in-use');
    expect(() =>
      spec
        .given([taken(first)])
        .when(take(second))
        .events(),
    ).toThrow(
      /SAM_INSTANCE_ID "ledger-1" is in use by another running instance \(host vm-a, pid 41, alive until at least 2026-11-26T03:06:00.000Z\): give each instance its own SAM_INSTANCE_ID, or stop the other one/,
    );
  });

  it('takes over a lease that expired, or whose holder is known to be gone', () => {
    spec
      .given([taken(first)])
      .when(take(second, evenLater))
      .thenMatch([{ type: 'InstanceLeaseTaken', data: second }]);
    spec
      .given([taken(first)])
      .when(take(second, at, true))
      .thenMatch([{ type: 'InstanceLeaseTaken', data: second }]);
  });

  it('takes an id released by a clean shutdown at once', () =>
    spec
      .given([
        taken(first),
        { type: 'InstanceLeaseReleased', data: { instanceId, leaseId: first.leaseId, releasedAt: at } },
      ])
      .when(take(second))
      .thenMatch([{ type: 'InstanceLeaseTaken' }]));

  it('renews only its own lease; a lease taken over is lost', () => {
    const renew = (holder: LeaseHolder) =>
      ({ type: 'RenewLease', data: { instanceId, holder, at: later, expiresAt: evenLater } }) as const;
    spec
      .given([taken(first)])
      .when(renew(first))
      .then([{ type: 'InstanceLeaseRenewed', data: { instanceId, ...first, renewedAt: later, expiresAt: evenLater } }]);
    spec
      .given([taken(first), taken(second)])
      .when(renew(first))
      .thenThrows('instance-lease-lost');
  });

  it('releases only its own lease', () => {
    const release = (holder: LeaseHolder) =>
      ({ type: 'ReleaseLease', data: { instanceId, leaseId: holder.leaseId, at: later } }) as const;
    spec
      .given([taken(first)])
      .when(release(first))
      .then([{ type: 'InstanceLeaseReleased', data: { instanceId, leaseId: first.leaseId, releasedAt: later } }]);
    spec
      .given([taken(first), taken(second)])
      .when(release(first))
      .then([]);
  });
});
