import { generateDataverse } from './activity.generator';
import { DataverseStore } from './dataverse-store';
import { Directory } from './directory';
import { generateDirectory } from './directory.generator';
import { checkScenario, resolveScenario, type ScenarioOptions } from './scenario';
import { applyScenario } from './scenario.apply';
import { mulberry32, uuid } from './random';
import { clientSecretFrom, SandboxTenant } from './sandbox-tenant';
import { SANDBOX_SKUS, UNLISTED_SKU_PART_NUMBER } from './sku-catalog';
import type { PrepaidUnits, SkuSubscription } from './tenant.model';
import { DEFAULT_GRAPH_APPLICATION_ROLES } from './tokens/scopes';

export interface GenerateTenantOptions {
  /** Graph users including the built-in admin; at least 1. Default 500. */
  readonly users?: number;
  /** Same seed (and same `now`) ⇒ the same tenant, ids included. Default 1. */
  readonly seed?: number;
  /** The moment activity is generated back from. Default: the real now. */
  readonly now?: Date;
  /**
   * Share (0..1) of users whose job comes with a Dynamics or Power Platform license; the rest hold
   * Office only. Unset: the personas' own mix (most users licensed), as earlier versions made it.
   */
  readonly dynamicsLicensedShare?: number;
}

export const SANDBOX_DOMAIN = 'licenseledgersandbox.onmicrosoft.com';

export function generateTenant(options: GenerateTenantOptions & ScenarioOptions = {}): SandboxTenant {
  const scenario = resolveScenario(options);
  checkScenario(scenario);
  const seed = options.seed ?? 1;
  const userCount = Math.max(1, Math.floor(options.users ?? 500));
  const now = new Date(Math.floor((options.now ?? new Date()).getTime() / 1000) * 1000);
  const rng = mulberry32(seed);

  const tenantId = uuid(rng);
  const app = {
    clientId: uuid(rng),
    clientSecret: clientSecretFrom(rng),
    displayName: 'License Ledger (sandbox)',
    servicePrincipalId: uuid(rng),
    graphApplicationRoles: [...DEFAULT_GRAPH_APPLICATION_ROLES],
    redirectUris: null,
    powerPlatformManagementApp: true,
    appRoleAssignments: new Map<string, string[]>(),
  };
  const organization = { organizationId: uuid(rng), businessUnitId: uuid(rng), name: 'License Ledger Sandbox' };
  const subscriptions: SkuSubscription[] = SANDBOX_SKUS.map((sku) => ({
    sku,
    prepaidUnits: { enabled: 0, lockedOut: 0, suspended: 0, warning: 0 },
    subscriptionIds: [uuid(rng)],
    consumedUnits: 0,
  }));

  const generated = generateDirectory(rng, userCount, SANDBOX_DOMAIN, now, options.dynamicsLicensedShare);
  // The built-in admin runs License Ledger itself: its admin app role (the console's sign-in).
  app.appRoleAssignments.set(generated.adminUserId, ['LicenseLedger.Admin']);
  let tenant: SandboxTenant | undefined;
  const clock = (): Date => tenant?.currentTime() ?? now;
  const directory = new Directory(generated.users, generated.groups, subscriptions, clock);
  for (const subscription of subscriptions) subscription.prepaidUnits = prepaidUnitsFor(subscription);

  const dataverse = new DataverseStore(organization, seed, () => uuid(rng), clock);
  generateDataverse(rng, now, generated, app, SANDBOX_DOMAIN, dataverse);

  tenant = new SandboxTenant(
    seed,
    now,
    {
      tenantId,
      domain: SANDBOX_DOMAIN,
      organizationName: 'License Ledger Sandbox',
      adminUserId: generated.adminUserId,
    },
    app,
    directory,
    dataverse,
    rng,
  );
  applyScenario(tenant, scenario);
  return tenant;
}

type Position = 'over' | 'under' | 'exact' | 'warning' | 'suspended-extra';

/** Purchased units per SKU chosen so the license position has every case to show. */
const POSITIONS: Readonly<Record<string, Position>> = {
  DYN365_ENTERPRISE_SALES: 'over',
  D365_SALES_PRO: 'suspended-extra',
  DYN365_SALES_PREMIUM: 'over',
  DYN365_ENTERPRISE_RELATIONSHIP_SALES: 'over',
  DYN365_ENTERPRISE_CUSTOMER_SERVICE: 'under',
  DYN365_CUSTOMER_SERVICE_PRO: 'exact',
  DYN365_ENTERPRISE_SALES_CUSTOMERSERVICE: 'over',
  DYN365_ENTERPRISE_FIELD_SERVICE: 'under',
  DYN365_TEAM_MEMBERS: 'exact',
  DYN365_FINANCE: 'over',
  DYN365_SCM: 'exact',
  DYN365_RETAIL: 'over',
  DYN365_PROJECT_OPERATIONS: 'under',
  POWERAPPS_PER_USER: 'warning',
  FLOW_PER_USER: 'over',
  ENTERPRISEPACK: 'over',
  [UNLISTED_SKU_PART_NUMBER]: 'over',
};

function prepaidUnitsFor(subscription: SkuSubscription): PrepaidUnits {
  const consumed = subscription.consumedUnits;
  const units: PrepaidUnits = { enabled: consumed, lockedOut: 0, suspended: 0, warning: 0 };
  switch (POSITIONS[subscription.sku.skuPartNumber] ?? 'exact') {
    case 'over':
      units.enabled = consumed + Math.max(5, Math.ceil(consumed * 0.1));
      break;
    case 'under':
      units.enabled = Math.max(0, consumed - Math.max(2, Math.ceil(consumed * 0.05)));
      break;
    case 'warning':
      // Part of the subscription expired and is in its grace period: units still assignable, not owned.
      units.enabled = Math.max(0, consumed - Math.max(1, Math.ceil(consumed * 0.1)));
      units.warning = Math.max(2, Math.ceil(consumed * 0.15));
      break;
    case 'suspended-extra':
      units.suspended = 5;
      break;
    case 'exact':
      break;
  }
  return units;
}
