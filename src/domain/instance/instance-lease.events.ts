import type { Static } from '@sinclair/typebox';
import { dateTime, defineEvent, int, nullable, object, str, uuid, type EventsOf } from '../event-definition';

const holder = {
  /** Fresh for every start of the process. */
  leaseId: uuid,
  hostname: str(),
  pid: int({ minimum: 0 }),
  /** The kernel's boot id where there is one: a different one means the machine restarted since. */
  bootId: nullable(str()),
};
/** Which process holds an instance id: one start of the service. */
export const LEASE_HOLDER = object(holder);
export type LeaseHolder = Static<typeof LEASE_HOLDER>;

const CATEGORY = 'instance';

/** Every event carries the whole lease, so the stream's last event alone says who holds it. */
export const INSTANCE_EVENTS = [
  defineEvent({
    type: 'InstanceLeaseTaken',
    category: CATEGORY,
    schemaVersion: 1,
    description:
      'A service process started under SAM_INSTANCE_ID and holds that id until expiresAt unless it renews it: no second live process may use the same id (job claims name it).',
    data: object({ instanceId: str(), ...holder, takenAt: dateTime, expiresAt: dateTime }),
  }),
  defineEvent({
    type: 'InstanceLeaseRenewed',
    category: CATEGORY,
    schemaVersion: 1,
    description: 'The process holding the instance id is alive (a heartbeat, every third of the lease).',
    data: object({ instanceId: str(), ...holder, renewedAt: dateTime, expiresAt: dateTime }),
  }),
  defineEvent({
    type: 'InstanceLeaseReleased',
    category: CATEGORY,
    schemaVersion: 1,
    description: 'The process holding the instance id shut down cleanly; the id is free at once.',
    data: object({ instanceId: str(), leaseId: uuid, releasedAt: dateTime }),
  }),
] as const;

export type InstanceLeaseEvent = EventsOf<typeof INSTANCE_EVENTS>;
