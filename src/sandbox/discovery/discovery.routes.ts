import { authorityOf, resourceOf, type SandboxContext } from '../context';
import type { DataverseStore } from '../dataverse-store';
import { header, jsonReply, queryParam, type Reply, type SandboxRequest } from '../http/reply';
import { pathSegments, route, type RouteMatch } from '../http/route';
import { adminEnvironmentsPage } from './admin-environments';
import { discoveryError, type Claims } from './discovery-http';

/**
 * The sandbox's discovery services under one base, `${origin}/discovery`, as a `custom` cloud's
 * `discoveryBaseUrl` gives it: the Global Discovery Service (`/api/discovery/v2.0/Instances`, for
 * signed-in users) and the Power Platform admin environment list
 * (`/providers/Microsoft.BusinessAppPlatform/scopes/admin/environments`, for management apps).
 */
export function matchDiscoveryRoute(context: SandboxContext, request: SandboxRequest): RouteMatch | undefined {
  const segments = pathSegments(request.path);
  if (!segments || segments[0] !== 'discovery' || request.method !== 'GET') return undefined;
  const tail = segments.slice(1).join('/');
  if (tail === 'api/discovery/v2.0/Instances') {
    return route('GET', '/discovery/api/discovery/v2.0/Instances', () => withToken(context, request, instances));
  }
  if (tail === 'providers/Microsoft.BusinessAppPlatform/scopes/admin/environments') {
    return route('GET', '/discovery/providers/Microsoft.BusinessAppPlatform/scopes/admin/environments', () =>
      withToken(context, request, adminEnvironmentsPage),
    );
  }
  return undefined;
}

export function discoveryRouteNotFound(request: SandboxRequest): Reply {
  return discoveryError(404, 'NotFound', `No discovery endpoint ${request.method} ${request.path}.`);
}

function withToken(
  context: SandboxContext,
  request: SandboxRequest,
  handle: (context: SandboxContext, request: SandboxRequest, claims: Claims) => Reply,
): Reply {
  const audience = resourceOf(context, 'discovery').uri;
  const check = context.tokens.checkAccessToken(header(request, 'authorization'), audience);
  if (!check.ok) {
    return withChallenge(
      discoveryError(401, 'InvalidAuthenticationToken', `The access token is ${check.reason}.`),
      context,
      audience,
    );
  }
  return handle(context, request, check.claims);
}

/** The Discovery Service answers a missing token with a bearer challenge naming the authority and itself. */
function withChallenge(reply: Reply, context: SandboxContext, audience: string): Reply {
  return {
    ...reply,
    headers: {
      ...reply.headers,
      'www-authenticate': `Bearer authorization_uri=${authorityOf(context)}/oauth2/authorize, resource_id=${audience}`,
    },
  };
}

const INSTANCE_FIELDS = [
  'ApiUrl',
  'DatacenterId',
  'DatacenterName',
  'EnvironmentId',
  'FriendlyName',
  'Id',
  'IsUserSysAdmin',
  'LastUpdated',
  'OrganizationType',
  'Purpose',
  'Region',
  'SchemaType',
  'State',
  'StatusMessage',
  'TenantId',
  'TrialExpirationDate',
  'UniqueName',
  'UrlName',
  'Version',
  'Url',
] as const;

/**
 * `Instances`: the environments where the signed-in user is an enabled systemuser (discovery-service,
 * "Limitations"). It serves users; what it answers an app-only token is not documented, and the
 * sandbox's best guess is 403.
 */
function instances(context: SandboxContext, request: SandboxRequest, claims: Claims): Reply {
  if (claims['idtyp'] !== 'user') {
    return discoveryError(
      403,
      'Forbidden',
      'The Global Discovery Service returns the instances of a signed-in user; application tokens are not accepted.',
    );
  }
  const select = (queryParam(request, '$select') ?? INSTANCE_FIELDS.join(','))
    .split(',')
    .map((field) => field.trim())
    .filter(Boolean);
  const unknown = select.find((field) => !(INSTANCE_FIELDS as readonly string[]).includes(field));
  if (unknown)
    return discoveryError(
      400,
      'BadRequest',
      `Could not find a property named '${unknown}' on type 'Microsoft.Xrm.Sdk.Discovery.Instance'.`,
    );
  const userId = String(claims['oid']);
  const value = context.tenant.environments
    .filter((store) => {
      const user = store.findByEntraObjectId(userId);
      return user !== undefined && !user.isdisabled;
    })
    .map((store) => {
      const row = instanceJson(context, store, userId);
      return Object.fromEntries(select.map((field) => [field, row[field]]));
    });
  const base = `${context.origin}/discovery/api/discovery/v2.0`;
  return jsonReply(
    200,
    {
      '@odata.context': `${base}/$metadata#Instances${queryParam(request, '$select') ? `(${select.join(',')})` : ''}`,
      value,
    },
    { 'odata-version': '4.0' },
    'application/json; odata.metadata=minimal',
  );
}

function instanceJson(context: SandboxContext, store: DataverseStore, userId: string): Record<string, unknown> {
  const url = `${context.origin}/${store.environment.path}`;
  const user = store.findByEntraObjectId(userId);
  return {
    ApiUrl: url,
    DatacenterId: null,
    DatacenterName: null,
    EnvironmentId: store.environment.environmentId,
    FriendlyName: store.environment.displayName,
    Id: store.organization.organizationId,
    IsUserSysAdmin: user?.accessmode === 1,
    LastUpdated: store.systemUsers[0]?.createdon ?? null,
    OrganizationType: 0,
    Purpose: '',
    Region: 'NA',
    SchemaType: 'Standard',
    State: 0,
    StatusMessage: 6,
    TenantId: context.tenant.tenantId,
    TrialExpirationDate: null,
    UniqueName: store.environment.uniqueName,
    UrlName: store.environment.path,
    Version: '9.2.24104.00183',
    Url: url,
  };
}
