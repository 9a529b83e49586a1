import { Injectable } from '@nestjs/common';
import type { ProfilesReadModel } from '../../projections/profiles/profiles.projection';
import { ProjectionRunner } from '../projection-runner/projection-runner';
import { notFound } from '../shared/domain-error';
import { compareKeys, pageByKey, type PageQuery } from '../http/pagination';
import type { ExistingProfile } from './profile.view';

/** Reads profiles from their read model. */
@Injectable()
export class ProfileQueries {
  constructor(private readonly runner: ProjectionRunner) {}

  all(): ExistingProfile[] {
    return [...this.runner.state<ProfilesReadModel>('profiles').values()];
  }

  page(query: PageQuery) {
    const sorted = this.all().sort((a, b) => compareKeys(key(a), key(b)));
    return pageByKey(sorted, key, query);
  }

  get(profileId: string): ExistingProfile {
    const profile = this.runner.state<ProfilesReadModel>('profiles').get(profileId);
    if (!profile) throw notFound('profile', profileId);
    return profile;
  }
}

const key = (p: ExistingProfile) => `${p.createdAt}|${p.profileId}`;
