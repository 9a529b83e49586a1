import type { DomainEvent } from '../decider';
import { defineEvent } from '../../events/event-definition';
import { dateTime, integer, nullable, object, string, uuid } from '../../events/json-schema';

/** Which process holds an instance id: one start of the service. */
export interface LeaseHolder {
  /** Fresh for every start of the process. */
  readonly leaseId: string;
  readonly hostname: string;
  readonly pid: number;
  /** The kernel's boot id where there is one: a different one means the machine restarted since. */
  readonly bootId: string | null;
}

/** Every event carries the whole lease, so the stream's last event alone says who holds it. */
export type InstanceLeaseEvent =
  | DomainEvent<'InstanceLeaseTaken', { instanceId: string } & LeaseHolder & { takenAt: string; expiresAt: string }>
  | DomainEvent<'InstanceLeaseRenewed', { instanceId: string } & LeaseHolder & { renewedAt: string; expiresAt: string }>
  | DomainEvent<'InstanceLeaseReleased', { instanceId: string; leaseId: string; releasedAt: string }>;

export const instanceStreamId = (instanceId: string): string => `instance-${instanceId}`;

const holder = { leaseId: uuid, hostname: string(), pid: integer({ minimum: 0 }), bootId: nullable(string()) };
const CATEGORY = 'instance';

export const INSTANCE_EVENTS = [
  defineEvent({
    type: 'InstanceLeaseTaken',
    category: CATEGORY,
    schemaVersion: 1,
    description:
      'A service process started under SAM_INSTANCE_ID and holds that id until expiresAt unless it renews it: no second live process may use the same id (job claims name it).',
    data: object({ instanceId: string(), ...holder, takenAt: dateTime, expiresAt: dateTime }),
  }),
  defineEvent({
    type: 'InstanceLeaseRenewed',
    category: CATEGORY,
    schemaVersion: 1,
    description: 'The process holding the instance id is alive (a heartbeat, every third of the lease).',
    data: object({ instanceId: string(), ...holder, renewedAt: dateTime, expiresAt: dateTime }),
  }),
  defineEvent({
    type: 'InstanceLeaseReleased',
    category: CATEGORY,
    schemaVersion: 1,
    description: 'The process holding the instance id shut down cleanly; the id is free at once.',
    data: object({ instanceId: string(), leaseId: uuid, releasedAt: dateTime }),
  }),
];
