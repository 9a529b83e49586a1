import { Injectable } from '@nestjs/common';
import { profilesProjection } from '../../projections/profiles/profiles.projection';
import { ProjectionRunner } from '../projection-runner/projection-runner';
import { notFound } from '../shared/domain-error';
import { compareKeys, pageByKey, type PageRequest } from '../application/paging';
import type { ExistingProfile } from './profile.view';

/** Reads profiles from their read model. */
@Injectable()
export class ProfileQueries {
  constructor(private readonly runner: ProjectionRunner) {}

  all(): ExistingProfile[] {
    return [...this.runner.state(profilesProjection).values()];
  }

  page(query: PageRequest) {
    const sorted = this.all().sort((a, b) => compareKeys(key(a), key(b)));
    return pageByKey(sorted, key, query);
  }

  get(profileId: string): ExistingProfile {
    const profile = this.runner.state(profilesProjection).get(profileId);
    if (!profile) throw notFound('profile', profileId);
    return profile;
  }
}

const key = (p: ExistingProfile) => `${p.createdAt}|${p.profileId}`;
