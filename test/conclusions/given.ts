// given(events) → LedgerView: folds real events through the profiles, subscriptions and tenant-catalog
// projections, as the runner does, so the conclusions are tested over read-model states the service can reach.
import { findCatalogEntry } from '../../src/domain/catalog/catalog';
import type { CatalogEntry } from '../../src/domain/catalog/catalog.types';
import type { ActivityApp, AssignedVia, LicenseeEvent } from '../../src/domain/licensee/licensee.events';
import type { ExclusionRuleType, ProfileEvent, ProfileSettings } from '../../src/domain/profile/profile.events';
import type { PriceValue, TenantEvent } from '../../src/domain/tenant/tenant.events';
import { ledgerViewOf, type LedgerView } from '../../src/domain/conclusions';
import { profilesProjection } from '../../projections/profiles/profiles.projection';
import { applyEvent, type ProjectedEvent } from '../../projections/projection';
import { subscriptionsProjection } from '../../projections/subscriptions/subscriptions.projection';
import { tenantCatalogProjection } from '../../projections/tenant-catalog/tenant-catalog.projection';
import { environmentsOf, environmentsProjection } from '../../projections/environments/environments.projection';
import type { ActivityBasis } from '../../src/domain/catalog/catalog.types';
import type { EnvironmentEvent } from '../../src/domain/environment/environment.events';
import { streamIds } from '../../src/domain/stream-names';

export const PROFILE = '0f7c4f1e-9d4b-4a8f-a2a1-3a6f1c2b9d10';
/** "Now" in every scenario unless it says otherwise. */
export const NOW = '2026-06-30T12:00:00.000Z';
export const ANALYZE_FROM = '2026-01-01';
export const ANALYZE_FROM_ISO = `${ANALYZE_FROM}T00:00:00.000Z`;
const RUN = 'c1c1c1c1-0000-4000-8000-000000000001';
const LONG_AGO = '2025-06-01T00:00:00.000Z';

export type Event = LicenseeEvent | TenantEvent | ProfileEvent | EnvironmentEvent;

export const daysBefore = (days: number, at: string = NOW): string =>
  new Date(Date.parse(at) - days * 86_400_000).toISOString();

export function sku(skuPartNumber: string): CatalogEntry {
  const entry = findCatalogEntry({ skuPartNumber });
  if (!entry) throw new Error(`not in the catalog: ${skuPartNumber}`);
  return entry;
}

const settings: ProfileSettings = {
  displayName: 'Contoso production',
  cloud: 'public',
  endpoints: null,
  analyzeActivityFrom: ANALYZE_FROM,
  downloadActivity: true,
  subscriptionConnection: {
    tenantId: '8d0f4c35-1a1e-4a55-9a8f-0c1f0e2d3b4a',
    clientId: 'e5c1b2a3-4d5e-4f60-8a71-b2c3d4e5f607',
    permissionType: 'application',
    credentialRef: 'cred-1',
    consentRef: null,
  },
  activityConnection: {
    environmentUrl: 'https://contoso.crm.dynamics.com',
    clientId: 'e5c1b2a3-4d5e-4f60-8a71-b2c3d4e5f607',
    permissionType: 'application',
    credentialRef: 'cred-2',
    consentRef: null,
  },
};

// ---- the tenant's catalog stream ---------------------------------------------------------------------------

/** What the download job appends the first time the tenant holds a SKU: the model, and a rule if tracked. */
export function modelsFor(...skuPartNumbers: string[]): TenantEvent[] {
  return skuPartNumbers.flatMap((partNumber): TenantEvent[] => {
    const e = sku(partNumber);
    const created: TenantEvent = {
      type: 'SoftwareModelCreated',
      data: {
        profileId: PROFILE,
        skuId: e.skuId,
        skuPartNumber: e.skuPartNumber,
        name: e.name,
        licenseType: e.licenseType,
        activityTracked: e.activityTracked,
        activityNeeded: e.activityNeeded,
        createdAt: LONG_AGO,
      },
    };
    if (!e.activityTracked) return [created];
    return [
      created,
      {
        type: 'ReclamationRuleCreated',
        data: {
          profileId: PROFILE,
          ruleId: ruleIdOf(partNumber),
          skuId: e.skuId,
          skuPartNumber: e.skuPartNumber,
          inactivityDays: 60,
          enabled: true,
          notify: false,
          graceDays: 0,
          activityBasis: 'app-and-common',
          createdAt: LONG_AGO,
        },
      },
    ];
  });
}

export const ruleIdOf = (skuPartNumber: string): string => `rule-${skuPartNumber}`;

export const ruleChanged = (
  skuPartNumber: string,
  change: { inactivityDays?: number; enabled?: boolean; activityBasis?: ActivityBasis },
): TenantEvent => ({
  type: 'ReclamationRuleChanged',
  data: {
    profileId: PROFILE,
    ruleId: ruleIdOf(skuPartNumber),
    skuPartNumber,
    inactivityDays: change.inactivityDays ?? 60,
    enabled: change.enabled ?? true,
    notify: false,
    graceDays: 0,
    activityBasis: change.activityBasis ?? 'app-and-common',
    changedAt: NOW,
  },
});

export const entitlementObserved = (
  skuPartNumber: string,
  enabled: number,
  lapsed: Partial<{ warning: number; suspended: number; lockedOut: number }> = {},
): TenantEvent => ({
  type: 'EntitlementObserved',
  data: {
    profileId: PROFILE,
    skuId: sku(skuPartNumber).skuId,
    skuPartNumber,
    prepaidUnits: {
      enabled,
      warning: lapsed.warning ?? 0,
      suspended: lapsed.suspended ?? 0,
      lockedOut: lapsed.lockedOut ?? 0,
    },
    capabilityStatus: 'Enabled',
    observedAt: LONG_AGO,
  },
});

export const priceOverridden = (skuPartNumber: string, amount: number | null, currency = 'USD'): TenantEvent => {
  const price: PriceValue | null =
    amount === null ? null : { amount, currency, source: 'negotiated EA price', asOf: '2026-01-01' };
  return { type: 'ListPriceOverridden', data: { profileId: PROFILE, skuPartNumber, price, overriddenAt: NOW } };
};

export const priceOverrideRemoved = (skuPartNumber: string): TenantEvent => ({
  type: 'ListPriceOverrideRemoved',
  data: { profileId: PROFILE, skuPartNumber, removedAt: NOW },
});

export const identifierUnrecognized = (skuId: string, skuPartNumber: string, firstSeenAt = LONG_AGO): TenantEvent => ({
  type: 'SubscriptionIdentifierUnrecognized',
  data: { profileId: PROFILE, skuId, skuPartNumber, servicePlanNames: [], firstSeenAt },
});

// ---- a licensee's stream -----------------------------------------------------------------------------------

export interface Assignment {
  readonly upn?: string;
  readonly via?: AssignedVia;
  readonly groupIds?: string[];
  readonly at?: string;
  /** For an identifier the catalog does not know. */
  readonly skuId?: string;
}

export function licenseAssigned(userId: string, skuPartNumber: string, a: Assignment = {}): LicenseeEvent {
  const recognized = a.skuId === undefined;
  return {
    type: 'LicenseAssigned',
    data: {
      profileId: PROFILE,
      userId,
      userPrincipalName: a.upn ?? `${userId}@contoso.com`,
      skuId: a.skuId ?? sku(skuPartNumber).skuId,
      skuPartNumber,
      assignedVia: a.via ?? 'direct',
      groupIds: a.groupIds ?? [],
      assignedAt: a.at ?? LONG_AGO,
      accountEnabled: true,
      userType: 'Member',
      recognized,
    },
  };
}

export const licenseAssignmentChanged = (
  userId: string,
  skuPartNumber: string,
  via: AssignedVia,
  groupIds: string[],
): LicenseeEvent => ({
  type: 'LicenseAssignmentChanged',
  data: {
    profileId: PROFILE,
    userId,
    skuId: sku(skuPartNumber).skuId,
    skuPartNumber,
    assignedVia: via,
    groupIds,
    previousAssignedVia: 'direct',
    previousGroupIds: [],
    changedAt: NOW,
  },
});

export const licenseRemoved = (
  userId: string,
  skuPartNumber: string,
  reason: 'unassigned' | 'user-deleted' = 'unassigned',
): LicenseeEvent => ({
  type: 'LicenseRemoved',
  data: { profileId: PROFILE, userId, skuId: sku(skuPartNumber).skuId, skuPartNumber, reason, removedAt: NOW },
});

/** A user's activity of a kind; sign-ins are within Team Members rights, writes beyond them unless said otherwise. */
export const activityRecorded = (
  userId: string,
  app: ActivityApp,
  lastActivityAt: string,
  options: { beyondTeamMembers?: boolean; environmentUrl?: string } = {},
): LicenseeEvent => ({
  type: 'UserActivityRecorded',
  data: {
    profileId: PROFILE,
    userId,
    app,
    lastActivityAt,
    source: 'audits',
    environmentUrl: options.environmentUrl ?? ENVIRONMENT,
    beyondTeamMembers: options.beyondTeamMembers ?? app !== 'access',
  },
});

// ---- an environment's audit history ------------------------------------------------------------------------

export const ENVIRONMENT = 'https://contoso.crm.dynamics.com';

export const auditSettingsObserved = (
  settings: Partial<{ auditEnabled: boolean; userAccessAuditEnabled: boolean; retentionDays: number }> = {},
  at = ANALYZE_FROM_ISO,
  environmentUrl = ENVIRONMENT,
): EnvironmentEvent => ({
  type: 'AuditSettingsObserved',
  data: {
    profileId: PROFILE,
    environmentUrl,
    auditEnabled: settings.auditEnabled ?? true,
    userAccessAuditEnabled: settings.userAccessAuditEnabled ?? true,
    userAccessAuditingIntervalHours: 4,
    auditRetentionDays: settings.retentionDays ?? -1,
    unauditedTables: [],
    observedAt: at,
  },
});

let auditRows = 0;
export const auditSettingChanged = (
  action: 107 | 110 | 111 | 112 | 113,
  at: string,
  environmentUrl = ENVIRONMENT,
): EnvironmentEvent => ({
  type: 'AuditSettingChanged',
  data: {
    profileId: PROFILE,
    environmentUrl,
    auditId: `audit-${++auditRows}`,
    action,
    change: (
      {
        107: 'audit-enabled',
        110: 'audit-disabled',
        111: 'log-deleted',
        112: 'user-access-audit-started',
        113: 'user-access-audit-stopped',
      } as const
    )[action],
    at,
  },
});

export const activityPulled = (
  from: string,
  through: string,
  environmentUrl = ENVIRONMENT,
  pulledAt = through,
): EnvironmentEvent => ({
  type: 'ActivityPulled',
  data: { profileId: PROFILE, environmentUrl, runId: RUN, from, through, rowsRead: 0, pulledAt },
});

/** An environment whose audit log was on and read from analyzeActivityFrom to now: inactivity there is proven. */
export const coveredEnvironment = (environmentUrl = ENVIRONMENT): EnvironmentEvent[] => [
  auditSettingsObserved({}, ANALYZE_FROM_ISO, environmentUrl),
  activityPulled(ANALYZE_FROM_ISO, NOW, environmentUrl),
];

// ---- the profile's stream ----------------------------------------------------------------------------------

export const exclusionRuleAdded = (
  ruleType: ExclusionRuleType,
  value: string,
  reason = 'service account',
): ProfileEvent => ({
  type: 'ExclusionRuleAdded',
  data: { profileId: PROFILE, ruleId: `exclusion-${ruleType}-${value}`, ruleType, value, reason, addedAt: NOW },
});

export const analyzeActivityFromChanged = (analyzeActivityFrom: string): ProfileEvent => ({
  type: 'ProfileUpdated',
  data: { profileId: PROFILE, changes: { analyzeActivityFrom }, validationCleared: false, updatedAt: NOW },
});

// ---- the fold ----------------------------------------------------------------------------------------------

const metadata = { actor: { kind: 'system', id: 'test' } } as const;

/**
 * The profile was drafted (analyzing activity from ANALYZE_FROM), then `events` happened, in
 * order. Unless `coverage: false` (or events of an environment are given), one environment's
 * audit log covered ANALYZE_FROM to NOW, so inactivity is proven where nothing says otherwise.
 */
export function given(events: readonly Event[], options: { coverage?: boolean } = {}): LedgerView {
  let profiles = profilesProjection.initialState();
  let subscriptions = subscriptionsProjection.initialState();
  let catalogs = tenantCatalogProjection.initialState();
  let environments = environmentsProjection.initialState();
  const ownEnvironments = events.some(
    (e) => 'environmentUrl' in (e.data as object) && e.type !== 'UserActivityRecorded',
  );
  if (options.coverage !== false && !ownEnvironments) events = [...coveredEnvironment(), ...events];
  const drafted: ProfileEvent = {
    type: 'ProfileDrafted',
    data: { profileId: PROFILE, createdAt: LONG_AGO, ...settings },
  };
  const revisions = new Map<string, number>();
  let position = 0n;
  for (const event of [drafted, ...events]) {
    const streamId = streamOf(event);
    const revision = (revisions.get(streamId) ?? -1) + 1;
    revisions.set(streamId, revision);
    const projected: ProjectedEvent = { ...event, streamId, revision, position: position++, recordedAt: NOW, metadata };
    profiles = applyEvent(profilesProjection, profiles, projected);
    subscriptions = applyEvent(subscriptionsProjection, subscriptions, projected);
    catalogs = applyEvent(tenantCatalogProjection, catalogs, projected);
    environments = applyEvent(environmentsProjection, environments, projected);
  }
  const profile = profiles.get(PROFILE);
  if (!profile) throw new Error('the profile was not drafted');
  return ledgerViewOf(
    profile,
    subscriptions.get(PROFILE),
    catalogs.catalogs.get(PROFILE),
    environmentsOf(environments, PROFILE),
  );
}

function streamOf(event: Event): string {
  const data = event.data as { profileId: string; userId?: string };
  if (data.userId !== undefined) return streamIds.licensee(data.profileId, data.userId);
  const environmentUrl = (event.data as { environmentUrl?: string }).environmentUrl;
  if (environmentUrl !== undefined) return streamIds.environment(data.profileId, environmentUrl);
  if (event.type.startsWith('Profile') || event.type.startsWith('Exclusion')) return streamIds.profile(data.profileId);
  return streamIds.catalog(data.profileId);
}
