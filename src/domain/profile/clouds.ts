import type { FieldProblem } from '../../shared/domain-error';

export type CloudName = 'public' | 'usgov' | 'usgovhigh' | 'dod' | 'china' | 'custom';
export const CLOUD_NAMES: readonly CloudName[] = ['public', 'usgov', 'usgovhigh', 'dod', 'china', 'custom'];

export interface Endpoints {
  /** Entra authority host, e.g. https://login.microsoftonline.com (the tenant id is appended). */
  readonly authorityHost: string;
  /** Microsoft Graph root, e.g. https://graph.microsoft.com (`/v1.0/...` is appended). */
  readonly graphBaseUrl: string;
  /** `custom` only: the base of both the Global Discovery Service and the Power Platform admin API. */
  readonly discoveryBaseUrl?: string;
}

/** Where environment discovery goes in a cloud, and the token each service wants. */
export interface DiscoveryEndpoints {
  /** Global Discovery Service (delegated connections). */
  readonly globalDiscoveryUrl: string;
  readonly globalDiscoveryScope: string;
  /** Power Platform admin API (application connections registered as management apps). */
  readonly adminApiUrl: string;
  readonly adminApiScope: string;
}

interface CloudDefinition {
  readonly endpoints: Endpoints;
  /** Host suffixes of Dynamics 365 environments in this cloud. */
  readonly dynamicsHostSuffixes: readonly string[];
  readonly discovery: DiscoveryEndpoints;
}

/**
 * Global Discovery hosts per cloud are Learn's ("Discover user organizations"), with the Dynamics CRM
 * `user_impersonation` scope. The admin API's public host and `https://service.powerapps.com//.default`
 * are Learn's ("List environments", "Authentication (legacy)"); the sovereign admin hosts and token
 * audiences are those Microsoft's Power Apps PowerShell module and Power Platform Terraform provider use,
 * which Learn lists only as endpoints to allow (gov/high.service.powerapps.us, service.apps.appsplatform.us).
 */
function discovery(globalDiscoveryUrl: string, adminApiUrl: string, adminAudience: string): DiscoveryEndpoints {
  return {
    globalDiscoveryUrl,
    globalDiscoveryScope: `${globalDiscoveryUrl}/user_impersonation`,
    adminApiUrl,
    adminApiScope: `${adminAudience}/.default`,
  };
}

/**
 * National clouds as data (Microsoft Learn, "National clouds" for Entra and Graph, and
 * the Power Platform US Government / China service URLs): GCC shares the public
 * authority and Graph but has its own Dynamics region (crm9); GCC High and DoD use
 * login.microsoftonline.us; China is operated by 21Vianet.
 */
export const CLOUDS: Readonly<Record<Exclude<CloudName, 'custom'>, CloudDefinition>> = {
  public: {
    endpoints: { authorityHost: 'https://login.microsoftonline.com', graphBaseUrl: 'https://graph.microsoft.com' },
    dynamicsHostSuffixes: ['.dynamics.com'],
    discovery: discovery(
      'https://globaldisco.crm.dynamics.com',
      'https://api.bap.microsoft.com',
      'https://service.powerapps.com/',
    ),
  },
  usgov: {
    endpoints: { authorityHost: 'https://login.microsoftonline.com', graphBaseUrl: 'https://graph.microsoft.com' },
    dynamicsHostSuffixes: ['.crm9.dynamics.com'],
    discovery: discovery(
      'https://globaldisco.crm9.dynamics.com',
      'https://gov.api.bap.microsoft.us',
      'https://gov.service.powerapps.us/',
    ),
  },
  usgovhigh: {
    endpoints: { authorityHost: 'https://login.microsoftonline.us', graphBaseUrl: 'https://graph.microsoft.us' },
    dynamicsHostSuffixes: ['.crm.microsoftdynamics.us'],
    discovery: discovery(
      'https://globaldisco.crm.microsoftdynamics.us',
      'https://high.api.bap.microsoft.us',
      'https://high.service.powerapps.us/',
    ),
  },
  dod: {
    endpoints: { authorityHost: 'https://login.microsoftonline.us', graphBaseUrl: 'https://dod-graph.microsoft.us' },
    dynamicsHostSuffixes: ['.crm.appsplatform.us'],
    discovery: discovery(
      'https://globaldisco.crm.appsplatform.us',
      'https://api.bap.appsplatform.us',
      'https://service.apps.appsplatform.us/',
    ),
  },
  china: {
    endpoints: {
      authorityHost: 'https://login.chinacloudapi.cn',
      graphBaseUrl: 'https://microsoftgraph.chinacloudapi.cn',
    },
    dynamicsHostSuffixes: ['.crm.dynamics.cn'],
    discovery: discovery(
      'https://globaldisco.crm.dynamics.cn',
      'https://api.bap.partner.microsoftonline.cn',
      'https://service.powerapps.cn/',
    ),
  },
};

const ALL_MICROSOFT_HOSTS = new Set(
  Object.values(CLOUDS).flatMap((c) => [host(c.endpoints.authorityHost), host(c.endpoints.graphBaseUrl)]),
);
const ALL_DYNAMICS_SUFFIXES = Object.values(CLOUDS).flatMap((c) => c.dynamicsHostSuffixes);
const ALL_DISCOVERY_HOSTS = new Set(
  Object.values(CLOUDS).flatMap((c) => [host(c.discovery.globalDiscoveryUrl), host(c.discovery.adminApiUrl)]),
);

export function endpointsFor(cloud: CloudName, custom: Endpoints | null): Endpoints {
  if (cloud === 'custom') {
    if (!custom) throw new Error('a custom cloud needs explicit endpoints');
    return custom;
  }
  return CLOUDS[cloud].endpoints;
}

/**
 * The discovery endpoints of a cloud; a `custom` cloud serves both services under
 * `endpoints.discoveryBaseUrl` with tokens for `{base}/.default` (null when it gives no such base).
 */
export function discoveryEndpointsFor(cloud: CloudName, custom: Endpoints | null): DiscoveryEndpoints | null {
  if (cloud !== 'custom') return CLOUDS[cloud].discovery;
  const base = custom?.discoveryBaseUrl?.replace(/\/+$/, '');
  if (!base) return null;
  return {
    globalDiscoveryUrl: base,
    globalDiscoveryScope: `${base}/.default`,
    adminApiUrl: base,
    adminApiScope: `${base}/.default`,
  };
}

/**
 * The guard against server-side request forgery: every URL the service will call must be
 * https and on a Microsoft host of the profile's cloud (any Microsoft cloud for `custom`),
 * or on a host the operator allowed in SAM_ALLOWED_ENDPOINT_HOSTS.
 */
export function checkProfileUrls(
  cloud: CloudName,
  endpoints: Endpoints | null,
  environmentUrls: readonly string[],
  allowedHosts: readonly string[],
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const allowed = new Set(allowedHosts.map((h) => h.toLowerCase()));
  if (cloud === 'custom') {
    if (!endpoints) problems.push({ field: 'endpoints', problem: 'is required when cloud is custom' });
    else {
      for (const key of ['authorityHost', 'graphBaseUrl'] as const) {
        problems.push(
          ...checkUrl(`endpoints.${key}`, endpoints[key], (h) => ALL_MICROSOFT_HOSTS.has(h) || allowed.has(h)),
        );
      }
      if (endpoints.discoveryBaseUrl !== undefined) {
        problems.push(
          ...checkUrl(
            'endpoints.discoveryBaseUrl',
            endpoints.discoveryBaseUrl,
            (h) => ALL_DISCOVERY_HOSTS.has(h) || allowed.has(h),
          ),
        );
      }
    }
  }
  const suffixes = cloud === 'custom' ? ALL_DYNAMICS_SUFFIXES : CLOUDS[cloud].dynamicsHostSuffixes;
  environmentUrls.forEach((environmentUrl, i) => {
    problems.push(
      ...checkUrl(
        environmentUrls.length === 1 ? 'activityConnection.environmentUrl' : `activityConnection.environmentUrls[${i}]`,
        environmentUrl,
        (h) => allowed.has(h) || suffixes.some((s) => h.endsWith(s) && h.length > s.length),
      ),
    );
  });
  return problems;
}

function checkUrl(field: string, value: string, hostAllowed: (host: string) => boolean): FieldProblem[] {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return [{ field, problem: 'must be an absolute URL' }];
  }
  if (url.protocol !== 'https:') return [{ field, problem: 'must use https' }];
  if (url.username || url.password) return [{ field, problem: 'must not carry credentials' }];
  if (url.search || url.hash) return [{ field, problem: 'must not have a query or fragment' }];
  if (!hostAllowed(url.hostname.toLowerCase())) {
    return [
      {
        field,
        problem: `host ${url.hostname} is not a Microsoft host of this cloud nor listed in SAM_ALLOWED_ENDPOINT_HOSTS`,
      },
    ];
  }
  return [];
}

function host(url: string): string {
  return new URL(url).hostname.toLowerCase();
}

/** Trailing slashes dropped so that equal URLs compare equal and paths join cleanly. */
export const normalizeUrl = (value: string): string => value.replace(/\/+$/, '');
