import { authorityOf, environmentUrlOf, type SandboxContext } from './context';
import { environmentOfPath } from './dataverse/dataverse.routes';
import { discoveryError } from './discovery/discovery-http';
import { dataverseThrottled, dataverseUnauthorized, dataverseUnavailable } from './dataverse/dataverse-http';
import { entraError } from './entra/entra-errors';
import type { FaultRule } from './faults';
import { graphThrottled, graphUnauthorized, graphUnavailable } from './graph/graph-http';
import { withHeaders, type Reply, type SandboxRequest } from './http/reply';
import type { RouteFamily } from './http/route';

/** The answer a throttle, unavailable or expire-token fault gives, in the family's own error format. */
export function faultReply(
  context: SandboxContext,
  family: RouteFamily,
  rule: FaultRule,
  request: SandboxRequest,
): Reply {
  const retryAfter = rule.retryAfterSeconds;
  switch (rule.kind) {
    case 'throttle': {
      const seconds = retryAfter ?? 1;
      if (family === 'graph') return graphThrottled(request, seconds);
      if (family === 'dataverse') return dataverseThrottled(seconds);
      if (family === 'discovery')
        return withHeaders(discoveryError(429, 'TooManyRequests', 'Rate limit is exceeded. Try again later.'), {
          'retry-after': String(seconds),
        });
      return withHeaders(
        entraError(
          429,
          'temporarily_unavailable',
          90055,
          'TenantThrottlingError - There are too many incoming requests.',
        ),
        { 'retry-after': String(seconds) },
      );
    }
    case 'unavailable': {
      if (family === 'graph') return graphUnavailable(request, retryAfter);
      if (family === 'dataverse') return dataverseUnavailable(retryAfter);
      if (family === 'discovery') {
        const reply = discoveryError(503, 'ServiceUnavailable', 'The service is temporarily unavailable.');
        return retryAfter === undefined ? reply : withHeaders(reply, { 'retry-after': String(retryAfter) });
      }
      const reply = entraError(
        503,
        'temporarily_unavailable',
        90033,
        'A transient error has occurred. Please try again.',
      );
      return retryAfter === undefined ? reply : withHeaders(reply, { 'retry-after': String(retryAfter) });
    }
    case 'expire-token': {
      if (family === 'graph') return graphUnauthorized(request, 'expired', authorityOf(context));
      if (family === 'dataverse') {
        const store = environmentOfPath(context, request.path) ?? context.tenant.dataverse;
        return dataverseUnauthorized(
          'Bearer token is expired.',
          authorityOf(context),
          environmentUrlOf(context, store),
        );
      }
      if (family === 'discovery')
        return discoveryError(401, 'InvalidAuthenticationToken', 'The access token is expired.');
      return entraError(400, 'invalid_grant', 700082, 'The refresh token has expired due to inactivity.');
    }
    default:
      throw new Error(`fault ${rule.kind} has no reply of its own`);
  }
}

/** `malformed`: a 200 whose JSON stops halfway, as a dropped connection behind a proxy can produce. */
export function truncated(reply: Reply): Reply {
  const body = reply.body.length > 1 ? reply.body.slice(0, Math.max(1, Math.floor(reply.body.length / 2))) : '{"';
  const headers = {
    ...reply.headers,
    'content-type': reply.headers['content-type'] ?? 'application/json; charset=utf-8',
  };
  delete (headers as Record<string, string | undefined>)['location'];
  return { status: 200, headers, body };
}
