/**
 * What the sandbox makes harder than a fresh tenant, case by case: the conditions of a real tenant
 * under which inactivity cannot be proven, activity is someone else's, or licenses are not what
 * they seem. Every case is off by default, so the default tenant is the one earlier versions made;
 * `realistic` turns on one of each.
 */
export interface EnvironmentAuditSpec {
  /** Auditing switched off, as [fromDaysAgo, toDaysAgo] pairs (110 then 107, no row in between). */
  readonly auditOffDaysAgo?: ReadonlyArray<readonly [number, number]>;
  /** Auditing switched off this many days ago and still off (isauditenabled false). */
  readonly auditOffSinceDaysAgo?: number;
  /** User-access auditing off, as [fromDaysAgo, toDaysAgo] (113 then 112, no access row in between). */
  readonly userAccessOffDaysAgo?: ReadonlyArray<readonly [number, number]>;
  /** User-access auditing switched off this many days ago and still off. */
  readonly userAccessOffSinceDaysAgo?: number;
  /** Audit logs deleted this many days ago (row 111); every older row is gone. */
  readonly logDeletedDaysAgo?: number;
  /** useraccessauditinginterval in hours; when given, access rows are written at most once per interval. */
  readonly accessIntervalHours?: number;
  /** auditretentionperiodv2 in days (-1 forever, the default). */
  readonly retentionDays?: number;
  /** Tables whose own auditing (EntityDefinitions IsAuditEnabled) is off: no row of theirs exists. */
  readonly unauditedTables?: readonly string[];
  /** false: the sandbox app's application user lacks prvReadAuditSummary (403 from `audits`). */
  readonly appCanReadAudit?: boolean;
}

export interface EnvironmentSpec {
  /** Lower-case letters and digits; served at `/dynamics-<name>`. */
  readonly name: string;
  readonly displayName?: string;
  /** Share (0..1] of the primary environment's licensed users who also work here; default 0.4. */
  readonly userShare?: number;
  readonly sku?: 'Production' | 'Sandbox';
  readonly audit?: EnvironmentAuditSpec;
}

export interface ScenarioOptions {
  /** One of each case below, with the values `REALISTIC` lists; explicit options win over it. */
  readonly realistic?: boolean;
  readonly primaryAudit?: EnvironmentAuditSpec;
  /** Dynamics environments besides the primary one (`/dynamics`). */
  readonly environments?: readonly EnvironmentSpec[];
  /** Power Platform environments without Dataverse: listed by the admin API, skipped by discovery. */
  readonly platformOnlyEnvironments?: number;
  /** Rows an integration writes impersonating users (`_callinguserid_value` set), in the primary environment. */
  readonly impersonatedRows?: number;
  /** Sales or Customer Service users whose every row is on common tables (account, contact, activities). */
  readonly commonTableOnlyUsers?: number;
  /**
   * Sales or Customer Service users whose only work, in every environment, is what Team Members
   * allows (contacts and activities, in the primary environment): downgrade candidates.
   */
  readonly teamMembersLevelUsers?: number;
  /** Assignments in states other than Active: Error (CountViolation), ActiveWithError and Disabled. */
  readonly licenseStates?: boolean;
  /** A tenant-level SKU (appliesTo Company): Dataverse database capacity. */
  readonly companySku?: boolean;
  /** More units in warning (grace), plus suspended and locked-out units on other SKUs. */
  readonly graceUnits?: boolean;
  /** The Graph application permissions granted to the sandbox app (default: every one the product uses). */
  readonly graphApplicationRoles?: readonly string[];
  /** Graph application permissions to withhold from the default grant. */
  readonly withholdGraphRoles?: readonly string[];
  /** Registered redirect URIs: given, the authorize endpoint refuses any other (AADSTS50011). */
  readonly redirectUris?: readonly string[];
  /** false: the app is not a Power Platform management application (403 from the admin environment list). */
  readonly powerPlatformManagementApp?: boolean;
}

/**
 * The realistic preset: one environment with an audit-off period, one with a log deletion, and so
 * on. The audit-off week and the deletion lie beyond the default 60-day rules' windows, so that
 * a tenant shows both proven and unproven low usage: longer windows (a 120-day rule, or the
 * what-if `?inactivityDays=120`) cross them and are unproven; the user-access gap breaks only
 * Team Members windows, where sign-ins count.
 */
export const REALISTIC: Required<
  Omit<
    ScenarioOptions,
    'realistic' | 'graphApplicationRoles' | 'withholdGraphRoles' | 'redirectUris' | 'powerPlatformManagementApp'
  >
> = {
  primaryAudit: {
    auditOffDaysAgo: [[100, 93]],
    accessIntervalHours: 4,
    unauditedTables: ['quote', 'knowledgearticle'],
  },
  environments: [
    {
      name: 'sales',
      displayName: 'Sales EMEA',
      userShare: 0.4,
      audit: { logDeletedDaysAgo: 75, accessIntervalHours: 4 },
    },
    {
      name: 'service',
      displayName: 'Customer Service',
      userShare: 0.4,
      audit: { userAccessOffDaysAgo: [[15, 10]], accessIntervalHours: 8 },
    },
  ],
  platformOnlyEnvironments: 1,
  impersonatedRows: 60,
  commonTableOnlyUsers: 5,
  teamMembersLevelUsers: 3,
  licenseStates: true,
  companySku: true,
  graceUnits: true,
};

export type ResolvedScenario = ScenarioOptions;

/** Explicit options over the preset; nothing at all when neither is given. */
export function resolveScenario(options: ScenarioOptions): ResolvedScenario {
  if (!options.realistic) return options;
  const defined = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  return { ...REALISTIC, ...defined };
}

const NAME = /^[a-z0-9]{1,20}$/;

export function checkScenario(options: ScenarioOptions): void {
  const names = new Set<string>();
  for (const environment of options.environments ?? []) {
    if (!NAME.test(environment.name))
      throw new RangeError(`environment name '${environment.name}' must be 1-20 lower-case letters or digits`);
    if (environment.name === 'primary' || names.has(environment.name))
      throw new RangeError(`environment name '${environment.name}' is used twice`);
    names.add(environment.name);
    const share = environment.userShare ?? 0.4;
    if (!(share > 0 && share <= 1)) throw new RangeError('userShare must be in (0, 1]');
  }
  for (const count of [
    options.impersonatedRows,
    options.commonTableOnlyUsers,
    options.teamMembersLevelUsers,
    options.platformOnlyEnvironments,
  ]) {
    if (count !== undefined && (!Number.isInteger(count) || count < 0))
      throw new RangeError('counts must be whole numbers >= 0');
  }
}
