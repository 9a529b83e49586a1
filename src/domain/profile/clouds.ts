import type { FieldProblem } from '../../shared/domain-error';

export type CloudName = 'public' | 'usgov' | 'usgovhigh' | 'dod' | 'china' | 'custom';
export const CLOUD_NAMES: readonly CloudName[] = ['public', 'usgov', 'usgovhigh', 'dod', 'china', 'custom'];

export interface Endpoints {
  /** Entra authority host, e.g. https://login.microsoftonline.com (the tenant id is appended). */
  readonly authorityHost: string;
  /** Microsoft Graph root, e.g. https://graph.microsoft.com (`/v1.0/...` is appended). */
  readonly graphBaseUrl: string;
}

interface CloudDefinition {
  readonly endpoints: Endpoints;
  /** Host suffixes of Dynamics 365 environments in this cloud. */
  readonly dynamicsHostSuffixes: readonly string[];
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
  },
  usgov: {
    endpoints: { authorityHost: 'https://login.microsoftonline.com', graphBaseUrl: 'https://graph.microsoft.com' },
    dynamicsHostSuffixes: ['.crm9.dynamics.com'],
  },
  usgovhigh: {
    endpoints: { authorityHost: 'https://login.microsoftonline.us', graphBaseUrl: 'https://graph.microsoft.us' },
    dynamicsHostSuffixes: ['.crm.microsoftdynamics.us'],
  },
  dod: {
    endpoints: { authorityHost: 'https://login.microsoftonline.us', graphBaseUrl: 'https://dod-graph.microsoft.us' },
    dynamicsHostSuffixes: ['.crm.appsplatform.us'],
  },
  china: {
    endpoints: {
      authorityHost: 'https://login.chinacloudapi.cn',
      graphBaseUrl: 'https://microsoftgraph.chinacloudapi.cn',
    },
    dynamicsHostSuffixes: ['.crm.dynamics.cn'],
  },
};

const ALL_MICROSOFT_HOSTS = new Set(
  Object.values(CLOUDS).flatMap((c) => [host(c.endpoints.authorityHost), host(c.endpoints.graphBaseUrl)]),
);
const ALL_DYNAMICS_SUFFIXES = Object.values(CLOUDS).flatMap((c) => c.dynamicsHostSuffixes);

export function endpointsFor(cloud: CloudName, custom: Endpoints | null): Endpoints {
  if (cloud === 'custom') {
    if (!custom) throw new Error('a custom cloud needs explicit endpoints');
    return custom;
  }
  return CLOUDS[cloud].endpoints;
}

/**
 * The guard against server-side request forgery: every URL the service will call must be
 * https and on a Microsoft host of the profile's cloud (any Microsoft cloud for `custom`),
 * or on a host the operator allowed in SAM_ALLOWED_ENDPOINT_HOSTS.
 */
export function checkProfileUrls(
  cloud: CloudName,
  endpoints: Endpoints | null,
  environmentUrl: string | null,
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
    }
  }
  if (environmentUrl !== null) {
    const suffixes = cloud === 'custom' ? ALL_DYNAMICS_SUFFIXES : CLOUDS[cloud].dynamicsHostSuffixes;
    problems.push(
      ...checkUrl(
        'activityConnection.environmentUrl',
        environmentUrl,
        (h) => allowed.has(h) || suffixes.some((s) => h.endsWith(s) && h.length > s.length),
      ),
    );
  }
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
