import { PROFILE_EVENTS } from '../domain/profile/profile.events';
import type { EventDefinition } from './event-definition';

/** Every public event type. Adding a type: define it beside its aggregate, list it here. */
export const ALL_EVENT_DEFINITIONS: readonly EventDefinition[] = [...PROFILE_EVENTS];
