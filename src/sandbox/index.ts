import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createCertificate } from './certificate';
import { environmentUrlOf, type SandboxContext } from './context';
import { openIdConfiguration } from './entra/discovery';
import type { FaultInjector } from './faults';
import type { SandboxTenant } from './sandbox-tenant';
import { SandboxServer } from './server';
import type { ScenarioOptions } from './scenario';
import { generateTenant } from './tenant.generator';
import { LatencyModel, type LatencySpec } from './latency';
import {
  ServiceProtection,
  serviceProtectionLimits,
  type ServiceProtectionOverrides,
  type ThrottleCounts,
} from './throttling';
import { sandboxResources } from './tokens/scopes';
import { TokenService } from './tokens/token-service';

export interface StartSandboxOptions extends ScenarioOptions {
  /** Graph users including the built-in admin. Default 500. */
  readonly users?: number;
  readonly seed?: number;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  readonly host?: string;
  /** The tenant's "now": activity is generated back from it. Default: the real now. */
  readonly now?: Date;
  /** Writes the certificate PEM there (for NODE_EXTRA_CA_CERTS). */
  readonly caFile?: string;
  /** `expires_in` of access tokens; default 3599 as Entra. */
  readonly accessTokenLifetimeSeconds?: number;
  /** Share (0..1) of users with a Dynamics or Power Platform license; unset keeps the personas' mix. */
  readonly dynamicsLicensedShare?: number;
  /** Items per page of the Power Platform admin environment list; default 100. */
  readonly adminEnvironmentsPageSize?: number;
  /**
   * Latency of every request outside the control API, uniform in mean ± jitter ms, drawn in arrival
   * order from the seed. Off by default.
   */
  readonly latency?: LatencySpec;
  /**
   * Microsoft's service protection limits (Graph identity and access, Dataverse; see throttling.ts),
   * answered with 429 and Retry-After as Microsoft does. Off by default; `true` for the documented
   * limits, or some of them overridden (tests).
   */
  readonly throttling?: boolean | ServiceProtectionOverrides;
  /** How latency is waited (tests pass one that records); default a timer. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** The throttling windows' clock in ms (tests pass a fake one); default performance.now. */
  readonly clock?: () => number;
}

/** What the latency and throttling options did so far. */
export interface SandboxLoadStats {
  /** Requests delayed and the sum of their delays; null without `latency`. */
  readonly latency: { readonly requests: number; readonly totalMs: number } | null;
  /** 429s answered per limit; null without `throttling`. */
  readonly throttled: ThrottleCounts | null;
}

/** License Ledger's create-profile body (API.md "Profiles") pointing at this sandbox. */
export interface SandboxProfileBody {
  displayName: string;
  cloud: 'custom';
  endpoints: { authorityHost: string; graphBaseUrl: string; discoveryBaseUrl?: string };
  analyzeActivityFrom: string;
  downloadActivity: boolean;
  subscriptionConnection: { tenantId: string; clientId: string; clientSecret: string };
  activityConnection: {
    environmentUrl: string;
    /** In place of environmentUrl: several environments, the first as environmentUrl. */
    environmentUrls?: string[];
    /** Adds every environment the connection can read (needs endpoints.discoveryBaseUrl). */
    discoverEnvironments?: boolean;
    permissionType: 'application' | 'delegated';
    clientId: string;
    clientSecret: string;
  };
}

export type SandboxProfileOverrides = Partial<
  Omit<SandboxProfileBody, 'endpoints' | 'subscriptionConnection' | 'activityConnection'>
> & {
  endpoints?: Partial<SandboxProfileBody['endpoints']>;
  subscriptionConnection?: Partial<SandboxProfileBody['subscriptionConnection']>;
  activityConnection?: Partial<SandboxProfileBody['activityConnection']>;
};

export interface Sandbox {
  /** `https://127.0.0.1:PORT`. */
  readonly url: string;
  /** The authority host for MSAL and the profile: the same origin. */
  readonly authorityHost: string;
  /** `${authorityHost}/${tenantId}`: MSAL's `auth.authority`. */
  readonly authority: string;
  /** `${url}/graph`; Graph v1.0 is under `${graphBaseUrl}/v1.0`. */
  readonly graphBaseUrl: string;
  /** `${url}/dynamics`; the Web API is under `${environmentUrl}/api/data/v9.2`. */
  readonly environmentUrl: string;
  /** Every environment's URL, the primary one first (`${url}/dynamics`, `${url}/dynamics-<name>`, ...). */
  readonly environmentUrls: readonly string[];
  /**
   * `${url}/discovery`: the base of the Global Discovery Service (`/api/discovery/v2.0/Instances`) and of
   * the Power Platform admin environment list, as a `custom` cloud's `endpoints.discoveryBaseUrl`.
   */
  readonly discoveryBaseUrl: string;
  readonly tenantId: string;
  readonly clientId: string;
  /** The current secret (changes when rotated). */
  readonly clientSecret: string;
  readonly caPem: string;
  readonly tenant: SandboxTenant;
  readonly faults: FaultInjector;
  readonly tokens: TokenService;
  requestCounts(): Record<string, number>;
  resetRequestCounts(): void;
  /** The OpenID configuration, for MSAL's `auth.authorityMetadata` (as a JSON string). */
  openIdConfiguration(): Record<string, unknown>;
  profileBody(overrides?: SandboxProfileOverrides): SandboxProfileBody;
  /** The URL of an environment by name (`primary`, `sales`, ...). */
  environmentUrlOf(name: string): string;
  /** Registers a redirect URI on the sandbox app (and from then on refuses unregistered ones). */
  registerRedirectUri(uri: string): void;
  loadStats(): SandboxLoadStats;
  stop(): Promise<void>;
}

const DAY_MS = 86_400_000;

export async function startSandbox(options: StartSandboxOptions = {}): Promise<Sandbox> {
  const tenant = generateTenant(options);
  const { key, cert } = await createCertificate();
  const latency = options.latency ? new LatencyModel(options.latency, tenant.seed) : undefined;
  const protection = options.throttling
    ? new ServiceProtection(
        serviceProtectionLimits(tenant.directory.users.length, options.throttling === true ? {} : options.throttling),
        options.clock ?? (() => performance.now()),
      )
    : undefined;
  const server = new SandboxServer({ key, cert }, { latency, protection, sleep: options.sleep });
  const host = options.host ?? '127.0.0.1';
  const port = await server.listen(host, options.port ?? 0);
  const originHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const url = `https://${originHost}:${port}`;
  const tokens = await TokenService.create(`${url}/${tenant.tenantId}/v2.0`, options.accessTokenLifetimeSeconds);
  const context: SandboxContext = {
    origin: url,
    tenant,
    tokens,
    resources: sandboxResources(
      url,
      () => tenant.app.graphApplicationRoles,
      tenant.environments.map((store) => store.environment.path),
    ),
    adminEnvironmentsPageSize: options.adminEnvironmentsPageSize ?? 100,
  };
  if (options.caFile) {
    await mkdir(dirname(options.caFile), { recursive: true });
    await writeFile(options.caFile, cert);
  }

  const sandbox: Sandbox = {
    url,
    authorityHost: url,
    authority: `${url}/${tenant.tenantId}`,
    graphBaseUrl: `${url}/graph`,
    environmentUrl: `${url}/dynamics`,
    environmentUrls: tenant.environments.map((store) => environmentUrlOf(context, store)),
    discoveryBaseUrl: `${url}/discovery`,
    tenantId: tenant.tenantId,
    clientId: tenant.app.clientId,
    get clientSecret() {
      return tenant.app.clientSecret;
    },
    caPem: cert,
    tenant,
    faults: server.faults,
    tokens,
    requestCounts: () => server.requestCounts(),
    resetRequestCounts: () => server.resetRequestCounts(),
    openIdConfiguration: () => openIdConfiguration(context),
    profileBody: (overrides = {}) => profileBody(sandbox, overrides),
    environmentUrlOf: (name) => environmentUrlOf(context, tenant.requireEnvironment(name)),
    registerRedirectUri: (uri) => tenant.registerRedirectUri(uri),
    loadStats: () => ({ latency: latency?.stats() ?? null, throttled: protection?.throttled() ?? null }),
    stop: () => server.close(),
  };
  server.attach(context, () => ({
    url,
    authorityHost: url,
    authority: sandbox.authority,
    graphBaseUrl: sandbox.graphBaseUrl,
    environmentUrl: sandbox.environmentUrl,
    environmentUrls: sandbox.environmentUrls,
    discoveryBaseUrl: sandbox.discoveryBaseUrl,
    tenantId: tenant.tenantId,
    clientId: tenant.app.clientId,
    seed: tenant.seed,
    now: tenant.now.toISOString(),
    profile: sandbox.profileBody(),
  }));
  return sandbox;
}

function profileBody(sandbox: Sandbox, overrides: SandboxProfileOverrides): SandboxProfileBody {
  const from = new Date(sandbox.tenant.now.getTime() - 183 * DAY_MS).toISOString().slice(0, 10);
  const base: SandboxProfileBody = {
    displayName: 'License Ledger sandbox',
    cloud: 'custom',
    endpoints: { authorityHost: sandbox.authorityHost, graphBaseUrl: sandbox.graphBaseUrl },
    analyzeActivityFrom: from,
    downloadActivity: true,
    subscriptionConnection: {
      tenantId: sandbox.tenantId,
      clientId: sandbox.clientId,
      clientSecret: sandbox.clientSecret,
    },
    activityConnection: {
      environmentUrl: sandbox.environmentUrl,
      permissionType: 'application',
      clientId: sandbox.clientId,
      clientSecret: sandbox.clientSecret,
    },
  };
  return {
    ...base,
    ...overrides,
    endpoints: { ...base.endpoints, ...overrides.endpoints },
    subscriptionConnection: { ...base.subscriptionConnection, ...overrides.subscriptionConnection },
    activityConnection: { ...base.activityConnection, ...overrides.activityConnection },
  };
}

export { generateTenant, SANDBOX_DOMAIN, type GenerateTenantOptions } from './tenant.generator';
export { SandboxTenant, type AssignLicenseOptions, type TenantIdentity, type TenantSummary } from './sandbox-tenant';
export { SandboxError, type SandboxErrorCode } from './sandbox-error';
export { FaultInjector, FAULT_KINDS, type FaultKind, type FaultRule, type FaultRuleInput } from './faults';
export { sandboxNetworkClient } from './msal-network-client';
export {
  SANDBOX_SKUS,
  UNLISTED_SKU_ID,
  UNLISTED_SKU_PART_NUMBER,
  type SandboxSku,
  type SkuFamily,
} from './sku-catalog';
export { AUDIT_TABLES } from './activity.generator';
export { parseLatency, formatLatency, type LatencySpec } from './latency';
export {
  DATAVERSE_SERVICE_PROTECTION,
  graphResourceUnitQuota,
  graphRequestCost,
  type ServiceProtectionLimits,
  type ServiceProtectionOverrides,
  type ThrottleCounts,
} from './throttling';
export { REALISTIC, type ScenarioOptions, type EnvironmentSpec, type EnvironmentAuditSpec } from './scenario';
export { AUDIT_SETTING_ACTIONS, recordAccess, changeAuditSettings, deleteAuditLogs } from './audit-settings';
export { ENVIRONMENT_TABLES } from './dataverse/entity-definitions';
export { DataverseStore, DEFAULT_AUDIT_SETTINGS } from './dataverse-store';
export { GRAPH_OPERATION_PERMISSIONS } from './graph/permissions';
export { DEFAULT_GRAPH_APPLICATION_ROLES } from './tokens/scopes';
export { COMPANY_SKU } from './sku-catalog';
export type { TokenService } from './tokens/token-service';
export type * from './tenant.model';
