import { conflict } from '../../shared/domain-error';
import { assertNever, type Decider } from '../decider';
import type { InstanceLeaseEvent, LeaseHolder } from './instance-lease.events';

/**
 * One SAM_INSTANCE_ID, held by at most one live process. Job claims name the instance that
 * holds them and a starting instance settles its own id's claims as interrupted, so a second
 * process under the same id would fail the first one's running jobs.
 */
export type InstanceLeaseState =
  { readonly status: 'free' } | { readonly status: 'held'; readonly holder: LeaseHolder; readonly expiresAt: string };

export type InstanceLeaseCommand =
  | {
      type: 'TakeLease';
      data: {
        instanceId: string;
        holder: LeaseHolder;
        at: string;
        expiresAt: string;
        /** The shell's finding that the current holder is a process that no longer runs (same host). */
        holderGone: boolean;
      };
    }
  | { type: 'RenewLease'; data: { instanceId: string; holder: LeaseHolder; at: string; expiresAt: string } }
  | { type: 'ReleaseLease'; data: { instanceId: string; leaseId: string; at: string } };

export const instanceLeaseDecider: Decider<InstanceLeaseCommand, InstanceLeaseEvent, InstanceLeaseState> = {
  initialState: () => ({ status: 'free' }),

  evolve(_state, event) {
    switch (event.type) {
      case 'InstanceLeaseTaken':
      case 'InstanceLeaseRenewed': {
        const { leaseId, hostname, pid, bootId, expiresAt } = event.data;
        return { status: 'held', holder: { leaseId, hostname, pid, bootId }, expiresAt };
      }
      case 'InstanceLeaseReleased':
        return { status: 'free' };
      default:
        return assertNever(event);
    }
  },

  decide(command, state) {
    switch (command.type) {
      case 'TakeLease': {
        const { instanceId, holder, at, expiresAt, holderGone } = command.data;
        if (state.status === 'held' && state.holder.leaseId !== holder.leaseId && state.expiresAt > at && !holderGone) {
          const other = state.holder;
          throw conflict(
            'instance-id-in-use',
            `SAM_INSTANCE_ID "${instanceId}" is in use by another running instance (host ${other.hostname}, pid ${other.pid}, ` +
              `alive until at least ${state.expiresAt}): give each instance its own SAM_INSTANCE_ID, or stop the other one`,
          );
        }
        return [{ type: 'InstanceLeaseTaken', data: { instanceId, ...holder, takenAt: at, expiresAt } }];
      }
      case 'RenewLease': {
        const { instanceId, holder, at, expiresAt } = command.data;
        if (state.status !== 'held' || state.holder.leaseId !== holder.leaseId)
          throw conflict('instance-lease-lost', `another process has taken SAM_INSTANCE_ID "${instanceId}"`);
        return [{ type: 'InstanceLeaseRenewed', data: { instanceId, ...holder, renewedAt: at, expiresAt } }];
      }
      case 'ReleaseLease': {
        const { instanceId, leaseId, at } = command.data;
        if (state.status !== 'held' || state.holder.leaseId !== leaseId) return [];
        return [{ type: 'InstanceLeaseReleased', data: { instanceId, leaseId, releasedAt: at } }];
      }
      default:
        return assertNever(command);
    }
  },
};
