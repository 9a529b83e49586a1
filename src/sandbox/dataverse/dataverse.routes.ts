import { authorityOf, type SandboxContext } from '../context';
import type { DataverseStore } from '../dataverse-store';
import { header, type Reply, type SandboxRequest } from '../http/reply';
import { pathSegments, route, type RouteMatch } from '../http/route';
import type { SystemUser } from '../tenant.model';
import type { TokenRejection } from '../tokens/token-service';
import { queryAudits } from './audits.query';
import { dataverseError, dataverseJson, dataverseUnauthorized } from './dataverse-http';
import { getEntityDefinition, queryEntityDefinitions } from './entity-definitions';
import { environmentContext, type EnvironmentContext } from './environment-context';
import { getSystemUser, querySystemUsers } from './systemusers.query';

const REJECTIONS: Readonly<Record<TokenRejection, string>> = {
  missing: 'Bearer token is missing.',
  malformed: 'Bearer token is malformed.',
  signature: 'Bearer token signature validation failed.',
  expired: 'Bearer token is expired.',
  audience: 'Bearer token audience does not match this environment.',
  revoked: 'Bearer token has been revoked.',
};

/** prvReadAuditSummary's id (Dynamics CRM SDK, "Audit (auditing) entity privileges"); 4567 is audit's type code. */
const READ_AUDIT_SUMMARY_ID = 'c2cbe3db-62c8-4661-9ac5-7691c83242f5';

/** The environment a path belongs to: `/dynamics/...` is the primary one, `/dynamics-<name>/...` the others. */
export function environmentOfPath(context: SandboxContext, path: string): DataverseStore | undefined {
  const first = pathSegments(path)?.[0];
  return context.tenant.environments.find((store) => store.environment.path === first);
}

/** The Dataverse Web API of each environment under `/{path}/api/data/v9.x`; the caller must be a systemuser of it. */
export function matchDataverseRoute(context: SandboxContext, request: SandboxRequest): RouteMatch | undefined {
  const segments = pathSegments(request.path);
  const store = environmentOfPath(context, request.path);
  if (!segments || !store || segments[1] !== 'api' || segments[2] !== 'data' || !/^v9\.\d$/.test(segments[3] ?? ''))
    return undefined;
  if (request.method !== 'GET' || segments.length !== 5) return undefined;
  const env = environmentContext(context.origin, store);
  const target = segments[4]!;
  const prefix = store.environment.path === 'dynamics' ? '/dynamics' : '/{environment}';
  const guarded = (template: string, handle: (caller: SystemUser) => Reply): RouteMatch =>
    route('GET', `${prefix}/api/data/v9.2/${template}`, () => {
      const caller = authenticate(context, env, request);
      return 'status' in caller ? caller : handle(caller);
    });
  if (target === 'WhoAmI' || target === 'WhoAmI()') return guarded('WhoAmI', (caller) => whoAmI(env, caller));
  if (target === 'systemusers') return guarded('systemusers', () => querySystemUsers(env, request));
  if (target === 'audits') return guarded('audits', (caller) => readAudits(context, env, caller, request));
  if (target === 'organizations') return guarded('organizations', () => organizations(env));
  if (target === 'EntityDefinitions') return guarded('EntityDefinitions', () => queryEntityDefinitions(env, request));
  const definition = /^EntityDefinitions\(LogicalName='([A-Za-z0-9_]+)'\)$/.exec(target);
  if (definition)
    return guarded("EntityDefinitions(LogicalName='{name}')", () => getEntityDefinition(env, request, definition[1]!));
  const single = /^systemusers\(([0-9a-fA-F-]{36})\)$/.exec(target);
  if (single) return guarded('systemusers({id})', () => getSystemUser(env, request, single[1]!));
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
function authenticate(context: SandboxContext, env: EnvironmentContext, request: SandboxRequest): SystemUser | Reply {
  const check = context.tokens.checkAccessToken(header(request, 'authorization'), env.environmentUrl);
  if (!check.ok) return dataverseUnauthorized(REJECTIONS[check.reason], authorityOf(context), env.environmentUrl);
  const delegated = check.claims['idtyp'] === 'user';
  const caller = delegated
    ? env.store.findByEntraObjectId(String(check.claims['oid']))
    : env.store.findByApplicationId(String(check.claims['appid']));
  if (!caller || caller.isdisabled)
    return dataverseError(403, '0x80072560', 'The user is not a member of the organization.');
  return caller;
}

/**
 * Reading audits needs prvReadAuditSummary. Dataverse's refusal is 403 with the SecLib access-denied
 * code (-2147220960, "Principal user is missing privilege"); the exact message layout is the
 * sandbox's best guess at what Dataverse prints.
 */
function readAudits(context: SandboxContext, env: EnvironmentContext, caller: SystemUser, request: SandboxRequest) {
  const isSandboxApp = caller.applicationid?.toLowerCase() === context.tenant.app.clientId;
  if (isSandboxApp && !env.store.appCanReadAudit) {
    return dataverseError(
      403,
      '0x80040220',
      `Principal user (Id=${caller.systemuserid}, type=8, roleCount=1, privilegeCount=412, accessMode=${caller.accessmode}), is missing prvReadAuditSummary privilege (Id=${READ_AUDIT_SUMMARY_ID}) on OTC=4567 for entity 'audit'.`,
    );
  }
  return queryAudits(env, request);
}

function whoAmI(env: EnvironmentContext, caller: SystemUser): Reply {
  const { organization } = env.store;
  return dataverseJson({
    '@odata.context': `${env.base}/$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse`,
    BusinessUnitId: organization.businessUnitId,
    UserId: caller.systemuserid,
    OrganizationId: organization.organizationId,
  });
}

/** The organization row's audit columns (Configure auditing: one row, organizationid its key). */
function organizations(env: EnvironmentContext): Reply {
  const { organization, settings } = env.store;
  return dataverseJson({
    '@odata.context': `${env.base}/$metadata#organizations`,
    value: [
      {
        '@odata.etag': 'W/"1000"',
        organizationid: organization.organizationId,
        name: organization.name,
        isauditenabled: settings.isauditenabled,
        isuseraccessauditenabled: settings.isuseraccessauditenabled,
        useraccessauditinginterval: settings.useraccessauditinginterval,
        auditretentionperiodv2: settings.auditretentionperiodv2,
      },
    ],
  });
}
