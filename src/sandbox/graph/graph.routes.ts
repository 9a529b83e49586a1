import { authorityOf, resourceOf, type SandboxContext } from '../context';
import { header, type Reply, type SandboxRequest } from '../http/reply';
import { pathSegments, route, type RouteMatch } from '../http/route';
import { getGroup, listGroups, listOrganization, listSubscribedSkus } from './directory.endpoints';
import { graphError, graphUnauthorized } from './graph-http';
import { insufficientPrivileges, type GraphOperation } from './permissions';
import { assignLicense, getUser, listLicenseDetails } from './user.endpoints';
import { listUsers } from './users.list';

/**
 * Microsoft Graph v1.0 under `/graph/v1.0`; every route needs a Graph access token carrying a
 * permission that allows the operation (403 `Authorization_RequestDenied` otherwise).
 */
export function matchGraphRoute(context: SandboxContext, request: SandboxRequest): RouteMatch | undefined {
  const segments = pathSegments(request.path);
  if (!segments || segments[0] !== 'graph' || segments[1] !== 'v1.0') return undefined;
  const rest = segments.slice(2);
  const { method } = request;
  const guarded = (template: string, operation: GraphOperation, handle: () => Reply): RouteMatch =>
    route(method, `/graph/v1.0/${template}`, () => refused(context, request, operation) ?? handle());
  const [collection, id, action] = rest;
  if (method === 'GET' && rest.length === 1) {
    if (collection === 'users') return guarded('users', 'readUsers', () => listUsers(context, request));
    if (collection === 'subscribedSkus')
      return guarded('subscribedSkus', 'readSubscribedSkus', () => listSubscribedSkus(context, request));
    if (collection === 'groups') return guarded('groups', 'readGroups', () => listGroups(context, request));
    if (collection === 'organization')
      return guarded('organization', 'readOrganization', () => listOrganization(context, request));
  }
  if (collection === 'users' && id !== undefined) {
    if (method === 'GET' && rest.length === 2)
      return guarded('users/{id}', 'readUsers', () => getUser(context, request, id));
    if (method === 'GET' && action === 'licenseDetails' && rest.length === 3) {
      return guarded('users/{id}/licenseDetails', 'readLicenseDetails', () => listLicenseDetails(context, request, id));
    }
    if (method === 'POST' && action === 'assignLicense' && rest.length === 3) {
      return guarded('users/{id}/assignLicense', 'assignLicense', () => assignLicense(context, request, id));
    }
  }
  if (method === 'GET' && collection === 'groups' && id !== undefined && rest.length === 2) {
    return guarded('groups/{id}', 'readGroups', () => getGroup(context, request, id));
  }
  return undefined;
}

/** Graph answers an unknown path with 400 BadRequest naming the segment. */
export function graphRouteNotFound(request: SandboxRequest): Reply {
  const segments = pathSegments(request.path) ?? [];
  const segment = segments.length > 2 ? segments[segments.length - 1]! : (segments[1] ?? 'graph');
  return graphError(request, 400, 'BadRequest', `Resource not found for the segment '${segment}'.`);
}

function refused(context: SandboxContext, request: SandboxRequest, operation: GraphOperation): Reply | undefined {
  const check = context.tokens.checkAccessToken(header(request, 'authorization'), resourceOf(context, 'graph').uri);
  if (!check.ok) return graphUnauthorized(request, check.reason, authorityOf(context));
  return insufficientPrivileges(request, check.claims, operation);
}
