import { INSTANCE_EVENTS } from '../domain/instance/instance-lease.events';
import { JOB_EVENTS } from '../domain/jobs/job.events';
import { LICENSEE_EVENTS } from '../domain/licensee/licensee.events';
import { PROFILE_EVENTS } from '../domain/profile/profile.events';
import { RECLAMATION_EVENTS } from '../domain/licensee/reclamation.events';
import { TENANT_EVENTS } from '../domain/tenant/tenant.events';
import type { EventDefinition } from './event-definition';

/** Every public event type. Adding a type: define it beside its aggregate, list it here. */
export const ALL_EVENT_DEFINITIONS: readonly EventDefinition[] = [
  ...PROFILE_EVENTS,
  ...JOB_EVENTS,
  ...LICENSEE_EVENTS,
  ...RECLAMATION_EVENTS,
  ...TENANT_EVENTS,
  ...INSTANCE_EVENTS,
];
