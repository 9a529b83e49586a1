import { environmentsProjection } from './environments/environments.projection';
import { integrationsProjection } from './integrations/integrations.projection';
import { jobRunsProjection } from './job-runs/job-runs.projection';
import { modelHistoryProjection } from './model-history/model-history.projection';
import type { Projection } from './projection';
import { profilesProjection } from './profiles/profiles.projection';
import { reclamationsProjection } from './reclamations/reclamations.projection';
import { subscriptionsProjection } from './subscriptions/subscriptions.projection';
import { tenantCatalogProjection } from './tenant-catalog/tenant-catalog.projection';

/** Every read model the service keeps. */
export const ALL_PROJECTIONS: readonly Projection<any, any>[] = [
  profilesProjection,
  subscriptionsProjection,
  tenantCatalogProjection,
  jobRunsProjection,
  reclamationsProjection,
  modelHistoryProjection,
  environmentsProjection,
  integrationsProjection,
];
