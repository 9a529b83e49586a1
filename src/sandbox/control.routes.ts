import type { SandboxContext } from './context';
import { environmentControl } from './control-environments';
import type { FaultInjector, FaultRuleInput } from './faults';
import { jsonReply, parseJsonBody, type Reply, type SandboxRequest } from './http/reply';
import { pathSegments } from './http/route';
import { SandboxError } from './sandbox-error';
import type { DirectoryGroup, DirectoryUser, NewAuditRow, NewUserInput, PrepaidUnits } from './tenant.model';

/** What the control API drives besides the tenant. */
export interface ControlTarget {
  readonly context: SandboxContext;
  readonly faults: FaultInjector;
  requestCounts(): Record<string, number>;
  resetRequestCounts(): void;
  info(): Record<string, unknown>;
}

type Body = Record<string, unknown>;

const LITERAL_ROUTES = new Set(['POST tokens/revoke']);

/**
 * `/_sandbox/...`: JSON endpoints that let a test in another process change the tenant, inject
 * faults and read counters. Never faulted, never counted, no token needed (it is a local test rig).
 */
export function controlRoute(target: ControlTarget, request: SandboxRequest): Reply {
  const segments = pathSegments(request.path)?.slice(1);
  if (!segments) return problem(400, 'invalid', 'Malformed path');
  const parsed = parseJsonBody(request);
  if (!parsed.ok) return problem(400, 'invalid', 'Body is not valid JSON');
  const body = (parsed.value ?? {}) as Body;
  try {
    return dispatch(target, request.method, segments, body);
  } catch (error) {
    if (error instanceof SandboxError)
      return problem(
        error.code === 'not_found' ? 404 : error.code === 'conflict' ? 409 : 400,
        error.code,
        error.message,
      );
    throw error;
  }
}

function dispatch(target: ControlTarget, method: string, segments: string[], body: Body): Reply {
  const handled = environmentControl(target.context, method, segments, body);
  if (handled) return handled;
  const { tenant, tokens } = target.context;
  const [area, id, sub, subId] = segments;
  const literal = `${method} ${segments.join('/')}`;
  const templated = `${method} ${area ?? ''}${id !== undefined ? '/:id' : ''}${sub !== undefined ? `/${sub}` : ''}${subId !== undefined ? '/:id' : ''}`;
  const key = LITERAL_ROUTES.has(literal) ? literal : templated;
  switch (key) {
    case 'GET ':
      return ok(target.info());
    case 'GET summary':
      return ok(tenant.summary());
    case 'GET requests':
      return ok(target.requestCounts());
    case 'DELETE requests':
      target.resetRequestCounts();
      return noContent();
    case 'GET faults':
      return ok(target.faults.list());
    case 'POST faults': {
      const inputs = Array.isArray(body) ? (body as FaultRuleInput[]) : [body as unknown as FaultRuleInput];
      return created(inputs.map((input) => target.faults.add(input)));
    }
    case 'DELETE faults':
      target.faults.clear();
      return noContent();
    case 'DELETE faults/:id':
      if (!target.faults.remove(id!)) throw new SandboxError('not_found', `No fault ${id}`);
      return noContent();
    case 'POST users':
      return created(userView(target, tenant.addUser(body as unknown as NewUserInput)));
    case 'GET users/:id':
      return ok(userView(target, tenant.directory.requireUser(id!)));
    case 'PATCH users/:id':
      return ok(userView(target, tenant.updateUser(id!, userPatch(body))));
    case 'DELETE users/:id':
      tenant.deleteUser(id!);
      return noContent();
    case 'POST users/:id/licenses':
      return ok(
        userView(
          target,
          tenant.assignLicense(id!, text(body, 'sku'), {
            disabledPlans: strings(body, 'disabledPlans'),
            viaGroupId: optionalText(body, 'viaGroupId'),
          }),
        ),
      );
    case 'DELETE users/:id/licenses/:id':
      return ok(userView(target, tenant.removeLicense(id!, subId!)));
    case 'POST groups':
      return created(
        groupView(
          tenant.addGroup({
            displayName: text(body, 'displayName'),
            description: optionalText(body, 'description'),
            id: optionalText(body, 'id'),
            licenses: strings(body, 'licenses'),
          }),
        ),
      );
    case 'POST groups/:id/members':
      tenant.addGroupMember(id!, text(body, 'userId'));
      return noContent();
    case 'DELETE groups/:id/members/:id':
      tenant.removeGroupMember(id!, subId!);
      return noContent();
    case 'POST groups/:id/licenses':
      return ok(groupView(tenant.assignGroupLicense(id!, text(body, 'sku'), strings(body, 'disabledPlans') ?? [])));
    case 'PATCH skus/:id/prepaidUnits':
    case 'PUT skus/:id/prepaidUnits':
      return ok(tenant.setPrepaidUnits(id!, body as Partial<PrepaidUnits>).prepaidUnits);
    case 'POST audits': {
      const rows = (Array.isArray(body) ? body : body['rows']) as NewAuditRow[] | undefined;
      if (!Array.isArray(rows)) throw new SandboxError('invalid', 'Send an array of audit rows, or {"rows": [...]}');
      return created({ added: tenant.addAuditRows(rows) });
    }
    case 'POST client-secret':
      return ok({ clientSecret: tenant.rotateClientSecret(optionalText(body, 'clientSecret')) });
    case 'POST tokens/revoke':
      tokens.revokeAll();
      return noContent();
    case 'POST clock': {
      const seconds = body['advanceSeconds'];
      if (typeof seconds !== 'number' || !Number.isFinite(seconds))
        throw new SandboxError('invalid', 'advanceSeconds must be a number');
      tokens.advanceClock(seconds);
      return ok({ tokenClock: new Date(tokens.nowSeconds() * 1000).toISOString() });
    }
    default:
      throw new SandboxError('not_found', `No control endpoint ${method} /_sandbox/${segments.join('/')}`);
  }
}

function userView(target: ControlTarget, user: DirectoryUser): Record<string, unknown> {
  const { directory, dataverse } = target.context.tenant;
  return {
    id: user.id,
    userPrincipalName: user.userPrincipalName,
    displayName: user.displayName,
    accountEnabled: user.accountEnabled,
    userType: user.userType,
    groupIds: user.groupIds,
    systemUserId: dataverse.findByEntraObjectId(user.id)?.systemuserid ?? null,
    licenses: user.licenses.map((source) => ({
      ...source,
      skuPartNumber: directory.requireSubscription(source.skuId).sku.skuPartNumber,
    })),
  };
}

function groupView(group: DirectoryGroup): Record<string, unknown> {
  return { ...group, memberIds: [...group.memberIds] };
}

/** Only these user fields can be patched; anything else in the body is refused. */
function userPatch(body: Body): Parameters<SandboxContext['tenant']['updateUser']>[1] {
  const allowed = new Set(['accountEnabled', 'displayName', 'usageLocation', 'jobTitle', 'department']);
  const unknown = Object.keys(body).filter((key) => !allowed.has(key));
  if (unknown.length > 0) throw new SandboxError('invalid', `Cannot patch ${unknown.join(', ')}`);
  if (body['accountEnabled'] !== undefined && typeof body['accountEnabled'] !== 'boolean')
    throw new SandboxError('invalid', 'accountEnabled must be a boolean');
  return body as Parameters<SandboxContext['tenant']['updateUser']>[1];
}

function text(body: Body, key: string): string {
  const value = body[key];
  if (typeof value !== 'string' || value === '') throw new SandboxError('invalid', `${key} is required`);
  return value;
}

function optionalText(body: Body, key: string): string | undefined {
  const value = body[key];
  return typeof value === 'string' ? value : undefined;
}

function strings(body: Body, key: string): string[] | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string'))
    throw new SandboxError('invalid', `${key} must be an array of strings`);
  return value as string[];
}

function ok(body: unknown): Reply {
  return jsonReply(200, body);
}

function created(body: unknown): Reply {
  return jsonReply(201, body);
}

function noContent(): Reply {
  return { status: 204, headers: {}, body: '' };
}

function problem(status: number, code: string, message: string): Reply {
  return jsonReply(status, { error: { code, message } });
}
