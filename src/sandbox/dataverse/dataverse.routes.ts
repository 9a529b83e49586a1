import { authorityOf, resourceOf, type SandboxContext } from '../context';
import { header, type Reply, type SandboxRequest } from '../http/reply';
import { pathSegments, route, type RouteMatch } from '../http/route';
import type { SystemUser } from '../tenant.model';
import type { TokenRejection } from '../tokens/token-service';
import { queryAudits } from './audits.query';
import { dataverseError, dataverseJson, dataverseUnauthorized } from './dataverse-http';
import { getSystemUser, querySystemUsers } from './systemusers.query';

const REJECTIONS: Readonly<Record<TokenRejection, string>> = {
  missing: 'Bearer token is missing.',
  malformed: 'Bearer token is malformed.',
  signature: 'Bearer token signature validation failed.',
  expired: 'Bearer token is expired.',
  audience: 'Bearer token audience does not match this environment.',
  revoked: 'Bearer token has been revoked.',
};

/** The Dataverse Web API under `/dynamics/api/data/v9.x`; the caller must be a systemuser of the org. */
export function matchDataverseRoute(context: SandboxContext, request: SandboxRequest): RouteMatch | undefined {
  const segments = pathSegments(request.path);
  if (
    !segments ||
    segments[0] !== 'dynamics' ||
    segments[1] !== 'api' ||
    segments[2] !== 'data' ||
    !/^v9\.\d$/.test(segments[3] ?? '')
  )
    return undefined;
  if (request.method !== 'GET' || segments.length !== 5) return undefined;
  const target = segments[4]!;
  const guarded = (template: string, handle: (caller: SystemUser) => Reply): RouteMatch =>
    route('GET', `/dynamics/api/data/v9.2/${template}`, () => {
      const caller = authenticate(context, request);
      return 'status' in caller ? caller : handle(caller);
    });
  if (target === 'WhoAmI' || target === 'WhoAmI()') return guarded('WhoAmI', (caller) => whoAmI(context, caller));
  if (target === 'systemusers') return guarded('systemusers', () => querySystemUsers(context, request));
  if (target === 'audits') return guarded('audits', () => queryAudits(context, request));
  if (target === 'organizations') return guarded('organizations', () => organizations(context));
  const single = /^systemusers\(([0-9a-fA-F-]{36})\)$/.exec(target);
  if (single) return guarded('systemusers({id})', () => getSystemUser(context, request, single[1]!));
  return undefined;
}

export function dataverseRouteNotFound(request: SandboxRequest): Reply {
  const segments = pathSegments(request.path) ?? [];
  return dataverseError(
    404,
    '0x8006088a',
    `Resource not found for the segment '${segments[segments.length - 1] ?? ''}'.`,
  );
}

/** App tokens map to the application user bound to the app id; delegated tokens to the user's systemuser. */
function authenticate(context: SandboxContext, request: SandboxRequest): SystemUser | Reply {
  const environmentUrl = resourceOf(context, 'dataverse').uri;
  const check = context.tokens.checkAccessToken(header(request, 'authorization'), environmentUrl);
  if (!check.ok) return dataverseUnauthorized(REJECTIONS[check.reason], authorityOf(context), environmentUrl);
  const { dataverse } = context.tenant;
  const delegated = check.claims['idtyp'] === 'user';
  const caller = delegated
    ? dataverse.findByEntraObjectId(String(check.claims['oid']))
    : dataverse.findByApplicationId(String(check.claims['appid']));
  if (!caller || caller.isdisabled)
    return dataverseError(403, '0x80072560', 'The user is not a member of the organization.');
  return caller;
}

function whoAmI(context: SandboxContext, caller: SystemUser): Reply {
  const { organization } = context.tenant.dataverse;
  return dataverseJson({
    '@odata.context': `${context.origin}/dynamics/api/data/v9.2/$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse`,
    BusinessUnitId: organization.businessUnitId,
    UserId: caller.systemuserid,
    OrganizationId: organization.organizationId,
  });
}

/** Audit settings as retrieve-audit-data reads them: auditing and user-access logging are on. */
function organizations(context: SandboxContext): Reply {
  const { organization } = context.tenant.dataverse;
  return dataverseJson({
    '@odata.context': `${context.origin}/dynamics/api/data/v9.2/$metadata#organizations`,
    value: [
      {
        '@odata.etag': 'W/"1000"',
        organizationid: organization.organizationId,
        name: organization.name,
        isauditenabled: true,
        isuseraccessauditenabled: true,
        useraccessauditinginterval: 4,
        auditretentionperiodv2: -1,
      },
    ],
  });
}
