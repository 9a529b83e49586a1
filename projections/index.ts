import type { Projection } from './projection';
import { profilesProjection } from './profiles/profiles.projection';

/** Every read model the service keeps. */
export const ALL_PROJECTIONS: readonly Projection<any, any>[] = [profilesProjection];
