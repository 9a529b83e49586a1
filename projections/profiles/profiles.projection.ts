import { profileDecider, type ProfileState } from '../../src/domain/profile/profile.decider';
import type { ProfileEvent } from '../../src/domain/profile/profile.events';
import { defineProjection, type Handler } from '../projection';

export type ProfilesReadModel = Map<string, Exclude<ProfileState, { status: 'none' }>>;

/** Every profile's current settings, folded by the profile decider's own evolve. */
const fold: Handler<ProfilesReadModel, ProfileEvent> = (state, event) => {
  const id = (event.data as { profileId: string }).profileId;
  const next = profileDecider.evolve(state.get(id) ?? profileDecider.initialState(), event as ProfileEvent);
  if (next.status !== 'none') state.set(id, next);
  return state;
};

export const profilesProjection = defineProjection<ProfilesReadModel, ProfileEvent>({
  name: 'profiles',
  version: 1,
  initialState: () => new Map(),
  handlers: {
    ProfileDrafted: fold,
    ProfileUpdated: fold,
    ProfileValidated: fold,
    ProfileValidationFailed: fold,
    ProfilePublished: fold,
    ProfileReturnedToDraft: fold,
    DelegatedConsentGranted: fold,
    ExclusionRuleAdded: fold,
    ExclusionRuleRemoved: fold,
  },
});
