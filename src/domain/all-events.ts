import { ENVIRONMENT_EVENTS } from './environment/environment.events';
import type { EventDefinition } from './event-definition';
import { INSTANCE_EVENTS } from './instance/instance-lease.events';
import { INTEGRATION_EVENTS } from './integration/integration.events';
import { JOB_EVENTS } from './jobs/job.events';
import { LICENSEE_EVENTS } from './licensee/licensee.events';
import { RECLAMATION_EVENTS } from './licensee/reclamation.events';
import { PROFILE_EVENTS } from './profile/profile.events';
import { TENANT_EVENTS } from './tenant/tenant.events';

/** Every public event type. Adding a type: define it beside its aggregate, list it here. */
export const ALL_EVENT_DEFINITIONS: readonly EventDefinition[] = [
  ...PROFILE_EVENTS,
  ...JOB_EVENTS,
  ...LICENSEE_EVENTS,
  ...RECLAMATION_EVENTS,
  ...TENANT_EVENTS,
  ...INSTANCE_EVENTS,
  ...ENVIRONMENT_EVENTS,
  ...INTEGRATION_EVENTS,
];
