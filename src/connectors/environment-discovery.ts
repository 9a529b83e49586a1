import type { PermissionType } from './connection-target';
import { trimTrailingSlash } from './connection-target';
import { followNextLinks, isObject, type ODataPage } from './odata-pages';
import type { RetryHook } from './retry-policy';
import type { RequestPurpose } from './service-errors';
import type { TokenSource, UpstreamHttp } from './upstream-http';

/** Where a cloud's discovery services are and which token each wants. */
export interface DiscoveryEndpoints {
  /** Global Discovery Service, e.g. `https://globaldisco.crm.dynamics.com` (`/api/discovery/v2.0/Instances` is appended). */
  readonly globalDiscoveryUrl: string;
  /** Delegated scope for it, e.g. `https://globaldisco.crm.dynamics.com/user_impersonation`. */
  readonly globalDiscoveryScope: string;
  /** Power Platform admin API, e.g. `https://api.bap.microsoft.com`. */
  readonly adminApiUrl: string;
  /** Application scope for it, e.g. `https://service.powerapps.com//.default`. */
  readonly adminApiScope: string;
}

export interface DiscoveredEnvironment {
  /** The Dataverse Web API root, no trailing slash: what a profile's `environmentUrl` holds. */
  readonly environmentUrl: string;
  readonly displayName?: string;
  /** Global Discovery: the organization id; admin list: the Power Platform environment id. */
  readonly id?: string;
}

export interface EnvironmentDiscoveryOptions {
  readonly http: UpstreamHttp;
  readonly endpoints: DiscoveryEndpoints;
  readonly permissionType: PermissionType;
  readonly token: TokenSource;
  readonly onRetry?: RetryHook;
}

/** The admin list's API version (Learn, "List environments"). */
export const ADMIN_API_VERSION = '2020-10-01';

/**
 * Every Dataverse environment a connection can read. The Global Discovery Service serves signed-in
 * users, so a delegated connection asks it; an application connection reads the Power Platform admin
 * environment list instead, which needs the app registered as a Power Platform management application.
 */
export class EnvironmentDiscoveryClient {
  constructor(private readonly options: EnvironmentDiscoveryOptions) {}

  environments(): Promise<DiscoveredEnvironment[]> {
    return this.options.permissionType === 'delegated' ? this.globalDiscoveryInstances() : this.adminEnvironments();
  }

  /** `GET {gds}/api/discovery/v2.0/Instances`: enabled instances only, by `ApiUrl` (discovery-service). */
  async globalDiscoveryInstances(): Promise<DiscoveredEnvironment[]> {
    const base = trimTrailingSlash(this.options.endpoints.globalDiscoveryUrl);
    const url = `${base}/api/discovery/v2.0/Instances?$select=ApiUrl,FriendlyName,Id,State`;
    const purpose: RequestPurpose = {
      action: 'list environments through the Global Discovery Service',
      permissionFix:
        'the signed-in user must be an enabled user of the environments, and the app must have consent for the Dynamics CRM user_impersonation permission',
    };
    return this.collect(url, purpose, (item) => {
      if (typeof item['ApiUrl'] !== 'string' || item['State'] === 1) return null;
      return {
        environmentUrl: trimTrailingSlash(item['ApiUrl']),
        ...(typeof item['FriendlyName'] === 'string' ? { displayName: item['FriendlyName'] } : {}),
        ...(typeof item['Id'] === 'string' ? { id: item['Id'] } : {}),
      };
    });
  }

  /**
   * `GET {admin}/providers/Microsoft.BusinessAppPlatform/scopes/admin/environments`: the Dataverse URL
   * is `properties.linkedEnvironmentMetadata.instanceUrl`; environments without Dataverse have none
   * and are skipped. Pages follow `nextLink` (ARM style; `@odata.nextLink` is accepted too).
   */
  async adminEnvironments(): Promise<DiscoveredEnvironment[]> {
    const base = trimTrailingSlash(this.options.endpoints.adminApiUrl);
    const url = `${base}/providers/Microsoft.BusinessAppPlatform/scopes/admin/environments?api-version=${ADMIN_API_VERSION}`;
    const purpose: RequestPurpose = {
      action: "list the tenant's Power Platform environments",
      permissionFix:
        'register the app as a Power Platform management application (New-PowerAppManagementApp -ApplicationId <client id>, or PUT .../adminApplications/<client id>) as a Power Platform administrator',
    };
    return this.collect(url, purpose, (item) => {
      const properties = isObject(item['properties']) ? item['properties'] : {};
      const linked = isObject(properties['linkedEnvironmentMetadata']) ? properties['linkedEnvironmentMetadata'] : null;
      const instanceUrl = linked?.['instanceUrl'];
      if (typeof instanceUrl !== 'string' || instanceUrl === '') return null;
      return {
        environmentUrl: trimTrailingSlash(instanceUrl),
        ...(typeof properties['displayName'] === 'string' ? { displayName: properties['displayName'] } : {}),
        ...(typeof item['name'] === 'string' ? { id: item['name'] } : {}),
      };
    });
  }

  private async collect(
    firstUrl: string,
    purpose: RequestPurpose,
    read: (item: Record<string, unknown>) => DiscoveredEnvironment | null,
  ): Promise<DiscoveredEnvironment[]> {
    const found = new Map<string, DiscoveredEnvironment>();
    const pages = followNextLinks('discovery', firstUrl, (url) =>
      this.options.http.json({
        service: 'discovery',
        method: 'GET',
        url,
        token: this.options.token,
        purpose,
        ...(this.options.onRetry ? { onRetry: this.options.onRetry } : {}),
        parse: parseListPage,
      }),
    );
    for await (const page of pages) {
      for (const item of page) {
        const environment = read(item);
        if (environment) found.set(environment.environmentUrl.toLowerCase(), environment);
      }
    }
    return [...found.values()];
  }
}

/** `{value: [...], nextLink?}` (admin API) or `{value, @odata.nextLink?}` (OData). */
function parseListPage(body: unknown): ODataPage<Record<string, unknown>> | null {
  if (!isObject(body) || !Array.isArray(body['value'])) return null;
  const value = body['value'] as unknown[];
  if (!value.every(isObject)) return null;
  const next = body['@odata.nextLink'] ?? body['nextLink'];
  if (next !== undefined && next !== null && typeof next !== 'string') return null;
  return { value: value as Record<string, unknown>[], nextLink: typeof next === 'string' && next !== '' ? next : null };
}
