import { changeAuditSettings, deleteAuditLogs, recordAccess } from './audit-settings';
import type { SandboxContext } from './context';
import { environmentUrlOf } from './context';
import type { DataverseStore } from './dataverse-store';
import { jsonReply, type Reply } from './http/reply';
import { SandboxError } from './sandbox-error';
import type { AuditSettings, NewAuditRow } from './tenant.model';

type Body = Record<string, unknown>;

/**
 * `/_sandbox` endpoints for environments, audit settings and the app registration: what an admin
 * does in the Power Platform admin center or the Entra portal, for tests in another process.
 * Returns undefined for any other path.
 */
export function environmentControl(
  context: SandboxContext,
  method: string,
  segments: string[],
  body: Body,
): Reply | undefined {
  const { tenant } = context;
  const [area, name, sub, subName] = segments;
  if (area === 'truth' && method === 'GET' && segments.length === 1) return ok(truthView(context));
  if (area === 'app' && segments.length === 2 && method === 'POST' && name === 'redirect-uris')
    return ok({ redirectUris: tenant.registerRedirectUri(String(body['uri'] ?? '')) });
  if (area === 'app' && segments.length === 2 && method === 'PUT' && name === 'graph-roles') {
    const roles = body['roles'];
    if (!Array.isArray(roles) || !roles.every((role) => typeof role === 'string'))
      throw new SandboxError('invalid', 'roles must be an array of permission names');
    tenant.app.graphApplicationRoles = [...(roles as string[])];
    return ok({ graphApplicationRoles: tenant.app.graphApplicationRoles });
  }
  if (area === 'app' && segments.length === 1 && method === 'PATCH') {
    const flag = body['powerPlatformManagementApp'];
    if (typeof flag !== 'boolean') throw new SandboxError('invalid', 'powerPlatformManagementApp must be a boolean');
    tenant.app.powerPlatformManagementApp = flag;
    return ok({ powerPlatformManagementApp: flag });
  }
  if (area !== 'environments' || name === undefined) return undefined;
  const store = tenant.requireEnvironment(name);
  const now = tenant.currentTime();
  if (method === 'PATCH' && sub === 'audit-settings' && segments.length === 3)
    return ok(changeAuditSettings(store, auditPatch(body), now));
  if (method === 'POST' && sub === 'audit-log-deletion' && segments.length === 3) {
    const before = body['deletedBefore'] === undefined ? now : new Date(String(body['deletedBefore']));
    if (Number.isNaN(before.getTime())) throw new SandboxError('invalid', 'deletedBefore must be an ISO date');
    return ok({ removed: deleteAuditLogs(store, now, before) });
  }
  if (method === 'POST' && sub === 'access' && segments.length === 3) {
    const user =
      store.findByEntraObjectId(String(body['userId'] ?? '')) ?? store.findSystemUser(String(body['userId'] ?? ''));
    if (!user) throw new SandboxError('not_found', `No systemuser for ${String(body['userId'])} in ${name}`);
    const action = body['action'] === 65 ? 65 : 64;
    return ok({ written: recordAccess(store, user.index, now, action) });
  }
  if (method === 'POST' && sub === 'audits' && segments.length === 3) {
    const rows = (Array.isArray(body) ? body : body['rows']) as NewAuditRow[] | undefined;
    if (!Array.isArray(rows)) throw new SandboxError('invalid', 'Send an array of audit rows, or {"rows": [...]}');
    return jsonReply(201, { added: store.addAuditRows(rows) });
  }
  if (method === 'PUT' && sub === 'tables' && subName !== undefined && segments.length === 4) {
    if (typeof body['auditEnabled'] !== 'boolean') throw new SandboxError('invalid', 'auditEnabled must be a boolean');
    if (body['auditEnabled']) store.unauditedTables.delete(subName);
    else store.unauditedTables.add(subName);
    return ok({ unauditedTables: [...store.unauditedTables] });
  }
  if (method === 'PATCH' && segments.length === 2) {
    if (typeof body['appCanReadAudit'] !== 'boolean')
      throw new SandboxError('invalid', 'appCanReadAudit must be a boolean');
    store.appCanReadAudit = body['appCanReadAudit'];
    return ok(environmentView(context, store));
  }
  return undefined;
}

/** Everything a test needs to compute expectations without the product: cases made and where. */
export function truthView(context: SandboxContext): Record<string, unknown> {
  return {
    tenant: context.tenant.truth,
    environments: context.tenant.environments.map((store) => environmentView(context, store)),
    platformOnlyEnvironments: context.tenant.platformOnlyEnvironments,
  };
}

function environmentView(context: SandboxContext, store: DataverseStore): Record<string, unknown> {
  return {
    ...store.environment,
    environmentUrl: environmentUrlOf(context, store),
    organizationId: store.organization.organizationId,
    settings: { ...store.settings },
    unauditedTables: [...store.unauditedTables],
    appCanReadAudit: store.appCanReadAudit,
    truth: store.truth,
  };
}

function auditPatch(body: Body): Partial<AuditSettings> {
  const allowed: Record<string, 'boolean' | 'number'> = {
    isauditenabled: 'boolean',
    isuseraccessauditenabled: 'boolean',
    useraccessauditinginterval: 'number',
    auditretentionperiodv2: 'number',
  };
  for (const [key, value] of Object.entries(body)) {
    if (!(key in allowed)) throw new SandboxError('invalid', `Cannot set ${key}`);
    if (typeof value !== allowed[key]) throw new SandboxError('invalid', `${key} must be a ${allowed[key]}`);
  }
  return body as Partial<AuditSettings>;
}

function ok(body: unknown): Reply {
  return jsonReply(200, body);
}
