import type { EnvironmentEvent } from '../../src/domain/environment/environment.events';
import {
  evolveEnvironment,
  initialEnvironment,
  type EnvironmentState,
} from '../../src/domain/environment/environment.state';
import { normalizedEnvironmentUrl } from '../../src/domain/stream-names';
import { defineProjection, type Handler } from '../projection';

/** One profile's environments by normalised URL, each folded by the environment decider's own evolve. */
export interface ProfileEnvironments {
  readonly byUrl: Map<string, EnvironmentState>;
  readonly revisions: Map<string, number>;
}

/** Every profile's Dynamics 365 environments and their audit history: what proves inactivity. */
export type EnvironmentsReadModel = Map<string, ProfileEnvironments>;

const fold: Handler<EnvironmentsReadModel, EnvironmentEvent> = (model, event) => {
  const { profileId, environmentUrl } = event.data as { profileId: string; environmentUrl: string };
  let profile = model.get(profileId);
  if (!profile) model.set(profileId, (profile = { byUrl: new Map(), revisions: new Map() }));
  const key = normalizedEnvironmentUrl(environmentUrl);
  profile.byUrl.set(
    key,
    evolveEnvironment(profile.byUrl.get(key) ?? initialEnvironment(), event as unknown as EnvironmentEvent),
  );
  profile.revisions.set(key, event.revision);
  return model;
};

/** The state of one environment stream as this read model has folded it (the bulk write path's cache). */
export function environmentStreamState(
  model: EnvironmentsReadModel,
  profileId: string,
  environmentUrl: string,
): { state: EnvironmentState; revision: number } | undefined {
  const profile = model.get(profileId);
  const key = normalizedEnvironmentUrl(environmentUrl);
  const state = profile?.byUrl.get(key);
  return state ? { state, revision: profile!.revisions.get(key)! } : undefined;
}

/** A profile's environments, oldest known first. */
export const environmentsOf = (model: EnvironmentsReadModel, profileId: string): EnvironmentState[] => [
  ...(model.get(profileId)?.byUrl.values() ?? []),
];

const EVENT_TYPES: readonly EnvironmentEvent['type'][] = [
  'AuditSettingsObserved',
  'AuditSettingChanged',
  'ActivityPulled',
  'ActivityPullFailed',
  'ActivityCoverageRecorded',
];

export const environmentsProjection = defineProjection<EnvironmentsReadModel, EnvironmentEvent>({
  name: 'environments',
  version: 1,
  initialState: () => new Map(),
  handlers: Object.fromEntries(EVENT_TYPES.map((type) => [type, fold])),
});
