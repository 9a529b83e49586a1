import type { SandboxContext } from '../context';
import type { SandboxRequest } from '../http/reply';
import { pathSegments, route, type RouteMatch } from '../http/route';
import { authorizeEndpoint } from './authorize.endpoint';
import { instanceDiscoveryReply, keysReply, openIdConfigurationReply } from './discovery';
import { tenantNotFound } from './entra-errors';
import { isSandboxTenant } from './tenant-segment';
import { tokenEndpoint } from './token.endpoint';

/** Everything under the authority host: `/{tenant}/...` plus instance discovery. */
export function matchEntraRoute(context: SandboxContext, request: SandboxRequest): RouteMatch | undefined {
  const segments = pathSegments(request.path);
  if (!segments || segments.length < 2) return undefined;
  const [tenant, ...rest] = segments as [string, ...string[]];
  const tail = rest.join('/');
  const { method } = request;
  if (method === 'GET' && tenant === 'common' && tail === 'discovery/instance') {
    return route(method, '/common/discovery/instance', () => instanceDiscoveryReply(context));
  }
  if (method === 'GET' && tail === 'v2.0/.well-known/openid-configuration') {
    return route(method, '/{tenant}/v2.0/.well-known/openid-configuration', () =>
      isSandboxTenant(context, tenant)
        ? openIdConfigurationReply(context)
        : tenantNotFound(tenant, undefined, 'invalid_tenant'),
    );
  }
  if (method === 'GET' && tail === 'discovery/v2.0/keys') {
    return route(method, '/{tenant}/discovery/v2.0/keys', () =>
      isSandboxTenant(context, tenant) ? keysReply(context) : tenantNotFound(tenant, undefined, 'invalid_tenant'),
    );
  }
  if (method === 'POST' && tail === 'oauth2/v2.0/token') {
    return route(method, '/{tenant}/oauth2/v2.0/token', () => tokenEndpoint(context, request, tenant));
  }
  if (method === 'GET' && tail === 'oauth2/v2.0/authorize') {
    return route(method, '/{tenant}/oauth2/v2.0/authorize', () => authorizeEndpoint(context, request, tenant));
  }
  return undefined;
}
