import type { IntegrationEvent } from '../../src/domain/integration/integration.events';
import { defineProjection } from '../projection';

/** What one integration did in a profile's environments, summed over every refresh. */
export interface IntegrationView {
  readonly systemUserId: string;
  name: string | null;
  applicationId: string | null;
  readonly environments: Set<string>;
  rows: number;
  /** The most users it acted for in one refresh of one environment. */
  usersActedFor: number;
  lastActivityAt: string;
}

/** Per profile, by calling systemuserid. */
export type IntegrationsReadModel = Map<string, Map<string, IntegrationView>>;

export const integrationsProjection = defineProjection<IntegrationsReadModel, IntegrationEvent>({
  name: 'integrations',
  version: 1,
  initialState: () => new Map(),
  handlers: {
    IntegrationActivityRecorded: (model, event) => {
      const d = event.data;
      let profile = model.get(d.profileId);
      if (!profile) model.set(d.profileId, (profile = new Map()));
      const current = profile.get(d.systemUserId);
      if (!current) {
        profile.set(d.systemUserId, {
          systemUserId: d.systemUserId,
          name: d.name,
          applicationId: d.applicationId,
          environments: new Set([d.environmentUrl]),
          rows: d.rows,
          usersActedFor: d.usersActedFor,
          lastActivityAt: d.lastActivityAt,
        });
        return model;
      }
      current.name = d.name ?? current.name;
      current.applicationId = d.applicationId ?? current.applicationId;
      current.environments.add(d.environmentUrl);
      current.rows += d.rows;
      current.usersActedFor = Math.max(current.usersActedFor, d.usersActedFor);
      if (d.lastActivityAt > current.lastActivityAt) current.lastActivityAt = d.lastActivityAt;
      return model;
    },
  },
});
