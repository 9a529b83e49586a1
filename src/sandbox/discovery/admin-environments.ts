import type { SandboxContext } from '../context';
import type { DataverseStore } from '../dataverse-store';
import { jsonReply, queryParam, type Reply, type SandboxRequest } from '../http/reply';
import type { PlatformOnlyEnvironment } from '../sandbox-tenant';
import { discoveryError, type Claims } from './discovery-http';

/**
 * `GET .../scopes/admin/environments?api-version=2020-10-01` (Learn, "List environments"): every
 * environment of the tenant, the Dataverse URL in `properties.linkedEnvironmentMetadata.instanceUrl`,
 * absent for environments without Dataverse. Learn shows one page; the top-level `nextLink` and the
 * refusal texts below are the sandbox's best guess at what the service sends.
 */
export function adminEnvironmentsPage(context: SandboxContext, request: SandboxRequest, claims: Claims): Reply {
  if (!queryParam(request, 'api-version')) {
    return discoveryError(
      400,
      'MissingApiVersionParameter',
      'The api-version query parameter (?api-version=) is required for all requests.',
    );
  }
  const { tenant } = context;
  const app = claims['idtyp'] !== 'user';
  if (app && !tenant.app.powerPlatformManagementApp) {
    return discoveryError(
      403,
      'Forbidden',
      `The service principal with id '${String(claims['oid'])}' for application '${String(claims['appid'])}' does not have permission to access the path '/providers/Microsoft.BusinessAppPlatform/scopes/admin/environments' in tenant '${tenant.tenantId}'. Register the application as a Power Platform management application.`,
    );
  }
  if (!app && String(claims['oid']) !== tenant.identity.adminUserId) {
    return discoveryError(
      403,
      'Forbidden',
      'The user is not a Power Platform or Dynamics 365 administrator of the tenant.',
    );
  }
  const all = [
    ...tenant.environments.map((store) => withDataverse(context, store)),
    ...tenant.platformOnlyEnvironments.map((environment) => withoutDataverse(context, environment)),
  ];
  const start = Math.max(0, Number(queryParam(request, '$skiptoken') ?? 0) || 0);
  const size = context.adminEnvironmentsPageSize;
  const page = all.slice(start, start + size);
  const body: Record<string, unknown> = { value: page };
  if (start + size < all.length) {
    const next = new URL(request.url.toString());
    next.searchParams.set('$skiptoken', String(start + size));
    body['nextLink'] = next.toString();
  }
  return jsonReply(200, body);
}

function envelope(context: SandboxContext, environmentId: string, properties: Record<string, unknown>) {
  return {
    id: `/providers/Microsoft.BusinessAppPlatform/scopes/admin/environments/${environmentId}`,
    type: 'Microsoft.BusinessAppPlatform/scopes/environments',
    location: 'unitedstates',
    name: environmentId,
    properties: {
      tenantId: context.tenant.tenantId,
      azureRegion: 'westus',
      provisioningState: 'Succeeded',
      creationType: 'User',
      states: { management: { id: 'Ready' }, runtime: { id: 'Enabled' } },
      ...properties,
    },
  };
}

function withDataverse(context: SandboxContext, store: DataverseStore) {
  const { environment, organization } = store;
  const url = `${context.origin}/${environment.path}`;
  return envelope(context, environment.environmentId, {
    displayName: environment.displayName,
    environmentSku: environment.sku,
    isDefault: environment.path === 'dynamics',
    databaseType: 'CommonDataService',
    linkedEnvironmentMetadata: {
      resourceId: organization.organizationId,
      friendlyName: environment.displayName,
      uniqueName: environment.uniqueName,
      domainName: environment.path,
      version: '9.2.24104.00183',
      instanceUrl: `${url}/`,
      instanceApiUrl: url,
      baseLanguage: 1033,
      instanceState: 'Ready',
    },
  });
}

function withoutDataverse(context: SandboxContext, environment: PlatformOnlyEnvironment) {
  return envelope(context, environment.environmentId, {
    displayName: environment.displayName,
    environmentSku: 'Teams',
    isDefault: false,
    databaseType: 'None',
  });
}
