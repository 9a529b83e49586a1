import { createHash } from 'node:crypto';
import type { SandboxContext } from '../context';
import { heldSkuIds } from '../directory';
import { parseJsonBody, queryParam, type Reply, type SandboxRequest } from '../http/reply';
import { SandboxError } from '../sandbox-error';
import type { DirectoryUser } from '../tenant.model';
import { graphError, graphJson, graphRawJson } from './graph-http';
import { parseUserSelect, userJson } from './user-json';

export function getUser(context: SandboxContext, request: SandboxRequest, id: string): Reply {
  const user = context.tenant.directory.findUser(id);
  if (!user) return userNotFound(request, id);
  return userEntity(context, request, user, queryParam(request, '$select'));
}

/** licenseDetails lists every SKU the user holds, direct and inherited, once each. */
export function listLicenseDetails(context: SandboxContext, request: SandboxRequest, id: string): Reply {
  const user = context.tenant.directory.findUser(id);
  if (!user) return userNotFound(request, id);
  const value = [...heldSkuIds(user.licenses)].map((skuId) => {
    const sku = context.tenant.directory.requireSubscription(skuId).sku;
    const disabled = new Set(user.licenses.filter((s) => s.skuId === skuId).flatMap((s) => s.disabledPlans));
    return {
      id: createHash('sha256').update(`${user.id}|${skuId}`).digest('base64url').slice(0, 43),
      skuId,
      skuPartNumber: sku.skuPartNumber,
      servicePlans: sku.servicePlans.map((plan) => ({
        servicePlanId: plan.servicePlanId,
        servicePlanName: plan.servicePlanName,
        provisioningStatus: disabled.has(plan.servicePlanId) ? 'Disabled' : 'Success',
        appliesTo: plan.appliesTo,
      })),
    };
  });
  return graphJson(request, {
    '@odata.context': `${context.origin}/graph/v1.0/$metadata#users('${user.id}')/licenseDetails`,
    value,
  });
}

/**
 * user-assignlicense: both keys are required; removals of a group-inherited-only SKU are refused
 * with the message Graph gives (Okta KB, microsoft-apis.md §4); success returns the user.
 */
export function assignLicense(context: SandboxContext, request: SandboxRequest, id: string): Reply {
  const body = parseJsonBody(request);
  if (!body.ok || typeof body.value !== 'object' || body.value === null) {
    return graphError(request, 400, 'BadRequest', 'Empty Payload. JSON content expected.');
  }
  const payload = body.value as Record<string, unknown>;
  const missing = ['addLicenses', 'removeLicenses'].filter((key) => !Array.isArray(payload[key]));
  if (missing.length > 0) {
    return graphError(
      request,
      400,
      'Request_BadRequest',
      `One or more parameters of the operation 'assignLicense' are missing from the request payload. The missing parameters are: ${missing.join(', ')}.`,
    );
  }
  const add: { skuId: string; disabledPlans: string[] }[] = [];
  for (const item of payload['addLicenses'] as unknown[]) {
    const record = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    const disabledPlans = record['disabledPlans'] ?? [];
    if (!isGuid(record['skuId']) || !Array.isArray(disabledPlans) || !disabledPlans.every(isGuid)) {
      return graphError(
        request,
        400,
        'Request_BadRequest',
        "Invalid value specified for property 'skuId' of resource 'AssignedLicense'.",
      );
    }
    add.push({ skuId: record['skuId'], disabledPlans });
  }
  const remove = payload['removeLicenses'] as unknown[];
  if (!remove.every(isGuid))
    return graphError(request, 400, 'Request_BadRequest', "Invalid value specified for parameter 'removeLicenses'.");
  try {
    const user = context.tenant.directory.changeDirectLicenses(id, add, remove, { enforceGraphRules: true });
    return userEntity(context, request, user, undefined);
  } catch (error) {
    if (!(error instanceof SandboxError)) throw error;
    if (error.code === 'not_found') return userNotFound(request, id);
    return graphError(request, 400, 'Request_BadRequest', error.message);
  }
}

function userEntity(
  context: SandboxContext,
  request: SandboxRequest,
  user: DirectoryUser,
  select: string | undefined,
): Reply {
  const parsed = parseUserSelect(select);
  if (!parsed.ok)
    return graphError(
      request,
      400,
      'Request_BadRequest',
      `Could not find a property named '${parsed.unknown}' on type 'microsoft.graph.user'.`,
    );
  const suffix = parsed.selection.explicit ? `(${parsed.selection.key})/$entity` : '/$entity';
  const context_ = JSON.stringify(`${context.origin}/graph/v1.0/$metadata#users${suffix}`);
  const json = userJson(user, parsed.selection);
  return graphRawJson(request, `{"@odata.context":${context_},${json.slice(1)}`);
}

export function userNotFound(request: SandboxRequest, id: string): Reply {
  return graphError(
    request,
    404,
    'Request_ResourceNotFound',
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  );
}

function isGuid(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
