import type { SandboxContext } from '../context';
import { queryParam, type Reply, type SandboxRequest } from '../http/reply';
import { derivedUuid } from '../random';
import type { DirectoryGroup, SkuSubscription } from '../tenant.model';
import { graphError, graphJson } from './graph-http';

/** subscribedSku-list: only `$select` is supported; `consumedUnits` counts users holding the SKU. */
export function listSubscribedSkus(context: SandboxContext, request: SandboxRequest): Reply {
  const { tenant } = context;
  const accountId = derivedUuid(tenant.seed, 3, 0);
  const value = tenant.directory.subscriptions.map((subscription) =>
    skuJson(subscription, tenant.tenantId, accountId, tenant.identity.organizationName),
  );
  const selected = selectFields(value, queryParam(request, '$select'));
  if (!selected.ok)
    return graphError(
      request,
      400,
      'BadRequest',
      `Could not find a property named '${selected.unknown}' on type 'microsoft.graph.subscribedSku'.`,
    );
  return graphJson(request, {
    '@odata.context': `${context.origin}/graph/v1.0/$metadata#subscribedSkus`,
    value: selected.value,
  });
}

function skuJson(
  subscription: SkuSubscription,
  tenantId: string,
  accountId: string,
  accountName: string,
): Record<string, unknown> {
  const { sku, prepaidUnits } = subscription;
  return {
    accountName,
    accountId,
    appliesTo: subscription.appliesTo ?? 'User',
    capabilityStatus: capabilityStatus(subscription),
    consumedUnits: subscription.consumedUnits,
    id: `${tenantId}_${sku.skuId}`,
    prepaidUnits: { ...prepaidUnits },
    servicePlans: sku.servicePlans.map((plan) => ({
      servicePlanId: plan.servicePlanId,
      servicePlanName: plan.servicePlanName,
      provisioningStatus: 'Success',
      appliesTo: plan.appliesTo,
    })),
    skuId: sku.skuId,
    skuPartNumber: sku.skuPartNumber,
    subscriptionIds: [...subscription.subscriptionIds],
  };
}

/** subscribedSku: Enabled while any unit is enabled; otherwise the state of the remaining units. */
function capabilityStatus({ prepaidUnits }: SkuSubscription): string {
  if (prepaidUnits.enabled > 0) return 'Enabled';
  if (prepaidUnits.warning > 0) return 'Warning';
  if (prepaidUnits.suspended > 0) return 'Suspended';
  if (prepaidUnits.lockedOut > 0) return 'LockedOut';
  return 'Enabled';
}

const GROUP_DEFAULTS = [
  'id',
  'createdDateTime',
  'description',
  'displayName',
  'groupTypes',
  'mail',
  'mailEnabled',
  'mailNickname',
  'securityEnabled',
  'visibility',
];

/** `assignedLicenses` of a group is "Returned only on $select" (group resource). */
export function getGroup(context: SandboxContext, request: SandboxRequest, id: string): Reply {
  const group = context.tenant.directory.groups.get(id.toLowerCase());
  if (!group)
    return graphError(
      request,
      404,
      'Request_ResourceNotFound',
      `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
    );
  const selected = selectFields([groupJson(group)], queryParam(request, '$select') ?? GROUP_DEFAULTS.join(','));
  if (!selected.ok)
    return graphError(
      request,
      400,
      'Request_BadRequest',
      `Could not find a property named '${selected.unknown}' on type 'microsoft.graph.group'.`,
    );
  return graphJson(request, {
    '@odata.context': `${context.origin}/graph/v1.0/$metadata#groups/$entity`,
    ...selected.value[0],
  });
}

export function listGroups(context: SandboxContext, request: SandboxRequest): Reply {
  const groups = [...context.tenant.directory.groups.values()].map(groupJson);
  const selected = selectFields(groups, queryParam(request, '$select') ?? GROUP_DEFAULTS.join(','));
  if (!selected.ok)
    return graphError(
      request,
      400,
      'Request_BadRequest',
      `Could not find a property named '${selected.unknown}' on type 'microsoft.graph.group'.`,
    );
  return graphJson(request, {
    '@odata.context': `${context.origin}/graph/v1.0/$metadata#groups`,
    value: selected.value,
  });
}

export function listOrganization(context: SandboxContext, request: SandboxRequest): Reply {
  const { identity } = context.tenant;
  return graphJson(request, {
    '@odata.context': `${context.origin}/graph/v1.0/$metadata#organization`,
    value: [
      {
        id: identity.tenantId,
        displayName: identity.organizationName,
        tenantType: 'AAD',
        verifiedDomains: [
          {
            capabilities: 'Email, OfficeCommunicationsOnline',
            isDefault: true,
            isInitial: true,
            name: identity.domain,
            type: 'Managed',
          },
        ],
      },
    ],
  });
}

function groupJson(group: DirectoryGroup): Record<string, unknown> {
  return {
    id: group.id,
    createdDateTime: group.createdDateTime,
    description: group.description,
    displayName: group.displayName,
    groupTypes: [],
    mail: null,
    mailEnabled: false,
    mailNickname: group.mailNickname,
    securityEnabled: true,
    visibility: null,
    assignedLicenses: group.assignedLicenses.map((license) => ({
      disabledPlans: [...license.disabledPlans],
      skuId: license.skuId,
    })),
  };
}

function selectFields(
  items: readonly Record<string, unknown>[],
  select: string | undefined,
): { ok: true; value: Record<string, unknown>[] } | { ok: false; unknown: string } {
  if (!select) return { ok: true, value: [...items] };
  const known = new Map(Object.keys(items[0] ?? {}).map((key) => [key.toLowerCase(), key]));
  const names: string[] = [];
  for (const raw of select
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean)) {
    const name = known.get(raw.toLowerCase());
    if (!name) return { ok: false, unknown: raw };
    names.push(name);
  }
  return { ok: true, value: items.map((item) => Object.fromEntries(names.map((name) => [name, item[name]]))) };
}
