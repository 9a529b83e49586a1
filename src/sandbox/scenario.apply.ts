import { AUDIT_TABLES } from './activity.generator';
import { applyAccessInterval, deleteAuditLogs, simulateOffPeriod, changeAuditSettings } from './audit-settings';
import type { DataverseStore } from './dataverse-store';
import { isoSeconds } from './directory';
import { addEnvironment } from './environment.generator';
import { activityAreas } from './personas';
import { mulberry32, pick, randomInt, uuid, type Rng } from './random';
import type { SandboxTenant } from './sandbox-tenant';
import type { EnvironmentAuditSpec, ResolvedScenario } from './scenario';
import { COMPANY_SKU, skuById, skuByPartNumber } from './sku-catalog';
import { holdsLicense, type LicenseState, type PrepaidUnits } from './tenant.model';
import { DEFAULT_GRAPH_APPLICATION_ROLES } from './tokens/scopes';

const DAY_MS = 86_400_000;
/** Its own random stream, so a scenario never shifts what the default generation made. */
const SCENARIO_SALT = 0x5ce7a210;

/** Applies every case the scenario turns on to a freshly generated tenant. */
export function applyScenario(tenant: SandboxTenant, scenario: ResolvedScenario): void {
  const rng = mulberry32((tenant.seed ^ SCENARIO_SALT) >>> 0);
  const app = tenant.app;
  if (scenario.graphApplicationRoles) app.graphApplicationRoles = [...scenario.graphApplicationRoles];
  if (scenario.withholdGraphRoles) {
    const withheld = new Set(scenario.withholdGraphRoles.map((role) => role.toLowerCase()));
    app.graphApplicationRoles = (scenario.graphApplicationRoles ?? DEFAULT_GRAPH_APPLICATION_ROLES).filter(
      (role) => !withheld.has(role.toLowerCase()),
    );
  }
  if (scenario.redirectUris) app.redirectUris = [...scenario.redirectUris];
  if (scenario.powerPlatformManagementApp !== undefined)
    app.powerPlatformManagementApp = scenario.powerPlatformManagementApp;

  (scenario.environments ?? []).forEach((spec, k) => addEnvironment(tenant, rng, spec, k + 1));
  for (let k = 1; k <= (scenario.platformOnlyEnvironments ?? 0); k++)
    tenant.platformOnlyEnvironments.push({ environmentId: uuid(rng), displayName: `Teams environment ${k}` });

  const commonOnly = commonTableOnlyUsers(tenant, rng, scenario.commonTableOnlyUsers ?? 0);
  const light = teamMembersLevelUsers(tenant, rng, scenario.teamMembersLevelUsers ?? 0, new Set(commonOnly));
  impersonate(tenant, rng, scenario.impersonatedRows ?? 0, new Set([...commonOnly, ...light]));
  if (scenario.licenseStates) nonActiveAssignments(tenant, rng);
  if (scenario.companySku) companySku(tenant, rng);
  if (scenario.graceUnits) graceUnits(tenant);

  if (scenario.primaryAudit) applyAudit(tenant, tenant.dataverse, scenario.primaryAudit);
  (scenario.environments ?? []).forEach((spec) => {
    if (spec.audit) applyAudit(tenant, tenant.requireEnvironment(spec.name), spec.audit);
  });
  recountTruth(tenant.dataverse, commonOnly);
  tenant.dataverse.truth.teamMembersLevelUsers.push(...light);
}

function applyAudit(tenant: SandboxTenant, store: DataverseStore, spec: EnvironmentAuditSpec): void {
  const now = tenant.now.getTime();
  const daysAgo = (days: number): Date => new Date(now - days * DAY_MS);
  for (const table of spec.unauditedTables ?? []) store.unauditedTables.add(table);
  if (store.unauditedTables.size > 0) store.audit.removeWhere((i) => store.unauditedTables.has(store.audit.tableAt(i)));
  if (spec.accessIntervalHours !== undefined) {
    store.settings.useraccessauditinginterval = spec.accessIntervalHours;
    store.enforceAccessInterval = true;
    applyAccessInterval(store);
  }
  if (spec.retentionDays !== undefined) store.settings.auditretentionperiodv2 = spec.retentionDays;
  for (const [from, to] of spec.auditOffDaysAgo ?? []) simulateOffPeriod(store, 'audit', daysAgo(from), daysAgo(to));
  for (const [from, to] of spec.userAccessOffDaysAgo ?? [])
    simulateOffPeriod(store, 'user-access', daysAgo(from), daysAgo(to));
  if (spec.auditOffSinceDaysAgo !== undefined)
    stillOff(store, 'isauditenabled', daysAgo(spec.auditOffSinceDaysAgo), tenant.now);
  if (spec.userAccessOffSinceDaysAgo !== undefined)
    stillOff(store, 'isuseraccessauditenabled', daysAgo(spec.userAccessOffSinceDaysAgo), tenant.now);
  if (spec.logDeletedDaysAgo !== undefined) deleteAuditLogs(store, daysAgo(spec.logDeletedDaysAgo));
  if (spec.appCanReadAudit !== undefined) store.appCanReadAudit = spec.appCanReadAudit;
}

/** Switched off at `since` and still off: nothing it would have recorded since then exists. */
function stillOff(
  store: DataverseStore,
  setting: 'isauditenabled' | 'isuseraccessauditenabled',
  since: Date,
  now: Date,
): void {
  const sinceMs = since.getTime();
  store.audit.removeWhere(
    (i) => store.audit.createdOnAt(i) >= sinceMs && (setting === 'isauditenabled' || store.audit.operationAt(i) === 4),
  );
  changeAuditSettings(store, { [setting]: false }, since);
  const open = { from: isoSeconds(since), to: isoSeconds(now) };
  (setting === 'isauditenabled' ? store.truth.auditOff : store.truth.userAccessOff).push(open);
}

/** Sales or Customer Service users who, in the primary environment, only ever touch common tables. */
function commonTableOnlyUsers(tenant: SandboxTenant, rng: Rng, count: number): string[] {
  if (count === 0) return [];
  const store = tenant.dataverse;
  const candidates = tenant.directory.users.filter((user) => {
    const parts = user.licenses.filter(holdsLicense).map((source) => skuById(source.skuId)?.skuPartNumber ?? '');
    const areas = activityAreas(parts);
    const systemUser = store.findByEntraObjectId(user.id);
    return user.accountEnabled && (areas.has('sales') || areas.has('service')) && systemUser && !systemUser.isdisabled;
  });
  const chosen = new Map<number, string>();
  while (chosen.size < Math.min(count, candidates.length)) {
    const user = pick(rng, candidates);
    chosen.set(store.findByEntraObjectId(user.id)!.index, user.id);
  }
  store.audit.removeWhere((i) => chosen.has(store.audit.userAt(i)));
  const now = tenant.now.getTime();
  const rows = [...chosen.keys()].flatMap((userIndex) => {
    const last = now - randomInt(rng, 0, 10) * DAY_MS;
    return Array.from({ length: randomInt(rng, 3, 6) }, (_, k) => ({
      createdOnMs: Math.floor((k === 0 ? last : last - rng() * 90 * DAY_MS) / 1000) * 1000,
      userIndex,
      action: 2,
      operation: 2,
      table: pick(rng, AUDIT_TABLES.common),
    }));
  });
  store.audit.append(rows);
  return [...chosen.values()];
}

/**
 * Tables Team Members may write, among those the sandbox audits: contacts and activities (the
 * Dynamics 365 Licensing Guide; not account, which only full licenses may edit).
 */
const TEAM_MEMBERS_TABLES = ['contact', 'task', 'email', 'phonecall', 'appointment'];

/**
 * Full Sales or Customer Service holders who, over the last 50 days, only edited contacts and
 * activities in the primary environment and did nothing anywhere else: Team Members would do.
 */
function teamMembersLevelUsers(tenant: SandboxTenant, rng: Rng, count: number, exclude: ReadonlySet<string>): string[] {
  if (count === 0) return [];
  const store = tenant.dataverse;
  const full = new Set(['DYN365_ENTERPRISE_SALES', 'DYN365_ENTERPRISE_CUSTOMER_SERVICE']);
  const candidates = tenant.directory.users.filter((user) => {
    const systemUser = store.findByEntraObjectId(user.id);
    return (
      user.accountEnabled &&
      !exclude.has(user.id) &&
      user.licenses.some(
        (l) => holdsLicense(l) && l.assignedByGroup === null && full.has(skuById(l.skuId)?.skuPartNumber ?? ''),
      ) &&
      systemUser !== undefined &&
      !systemUser.isdisabled
    );
  });
  const chosen = new Set<string>();
  while (chosen.size < Math.min(count, candidates.length)) chosen.add(pick(rng, candidates).id);
  for (const environment of tenant.environments) {
    const indexes = new Set([...chosen].flatMap((id) => environment.findByEntraObjectId(id)?.index ?? []));
    environment.audit.removeWhere((i) => indexes.has(environment.audit.userAt(i)));
  }
  const now = tenant.now.getTime();
  store.audit.append(
    [...chosen].flatMap((id) => {
      const userIndex = store.findByEntraObjectId(id)!.index;
      const last = now - randomInt(rng, 0, 5) * DAY_MS;
      return Array.from({ length: randomInt(rng, 3, 6) }, (_, k) => ({
        createdOnMs: Math.floor((k === 0 ? last : last - rng() * 45 * DAY_MS) / 1000) * 1000,
        userIndex,
        action: 2,
        operation: 2,
        table: pick(rng, TEAM_MEMBERS_TABLES),
      }));
    }),
  );
  return [...chosen];
}

/**
 * An integration (the dual-write app user) writes as users who have long stopped working: rows in
 * their apps' tables whose `_callinguserid_value` is the integration. They are not the users' work.
 */
function impersonate(tenant: SandboxTenant, rng: Rng, count: number, exclude: ReadonlySet<string>): void {
  if (count === 0) return;
  const store = tenant.dataverse;
  const integration = store.systemUsers.find((user) => user.fullname === '# Dual-write integration');
  if (!integration) return;
  const now = tenant.now.getTime();
  const lastOwn = new Map<number, number>();
  for (let i = 0; i < store.audit.length; i++) lastOwn.set(store.audit.userAt(i), store.audit.createdOnAt(i));
  const targets = store.systemUsers
    .filter(
      (user) =>
        user.azureactivedirectoryobjectid !== null &&
        !user.applicationid &&
        user.accessmode === 0 &&
        !exclude.has(user.azureactivedirectoryobjectid) &&
        tenant.directory.findUser(user.azureactivedirectoryobjectid) !== undefined &&
        (lastOwn.get(user.index) ?? 0) < now - 90 * DAY_MS,
    )
    .slice(0, 10);
  if (targets.length === 0) return;
  const tables = [...AUDIT_TABLES.sales, ...AUDIT_TABLES.service, 'account', 'contact'];
  store.audit.append(
    Array.from({ length: count }, (_, k) => ({
      createdOnMs: Math.floor((now - rng() * 30 * DAY_MS) / 1000) * 1000,
      userIndex: targets[k % targets.length]!.index,
      action: 2,
      operation: 2,
      table: pick(rng, tables),
      callingUserIndex: integration.index,
    })),
  );
  store.truth.impersonatingSystemUserId = integration.systemuserid;
  store.truth.impersonatedUsers.push(...targets.map((user) => user.azureactivedirectoryobjectid!));
}

/** After the audit cases removed rows, count what is left so the truth matches what the API serves. */
function recountTruth(store: DataverseStore, commonOnly: readonly string[]): void {
  let impersonated = 0;
  for (let i = 0; i < store.audit.length; i++) if (store.audit.callingUserAt(i) !== null) impersonated++;
  store.truth.impersonatedRows = impersonated;
  store.truth.commonTableOnlyUsers.push(...commonOnly);
}

/** Group assignments that failed for want of units, one with failing plans, and one disabled. */
function nonActiveAssignments(tenant: SandboxTenant, rng: Rng): void {
  const { directory } = tenant;
  const group = (name: string) => [...directory.groups.values()].find((candidate) => candidate.displayName === name);
  const cases: Array<{
    part: string;
    groupName: string | null;
    state: LicenseState;
    error: string | undefined;
    count: number;
  }> = [
    {
      part: 'DYN365_ENTERPRISE_CUSTOMER_SERVICE',
      groupName: 'Service desk',
      state: 'Error',
      error: 'CountViolation',
      count: 2,
    },
    {
      part: 'POWERAPPS_PER_USER',
      groupName: 'Power Platform makers',
      state: 'ActiveWithError',
      error: 'Other',
      count: 1,
    },
    { part: 'DYN365_TEAM_MEMBERS', groupName: null, state: 'Disabled', error: undefined, count: 1 },
  ];
  const used = new Set<string>();
  for (const entry of cases) {
    const skuId = skuByPartNumber(entry.part).skuId;
    const groupId = entry.groupName ? (group(entry.groupName)?.id ?? null) : null;
    const eligible = directory.users.filter(
      (user) =>
        user.userType === 'Member' &&
        user.accountEnabled &&
        user.id !== tenant.identity.adminUserId &&
        !used.has(user.id) &&
        !user.licenses.some((source) => source.skuId === skuId) &&
        (groupId === null || !user.groupIds.includes(groupId)),
    );
    for (let k = 0; k < entry.count && eligible.length > 0; k++) {
      const user = eligible.splice(Math.floor(rng() * eligible.length), 1)[0]!;
      used.add(user.id);
      const source = {
        skuId,
        assignedByGroup: groupId,
        disabledPlans: [],
        lastUpdatedDateTime: isoSeconds(new Date(tenant.now.getTime() - randomInt(rng, 5, 60) * DAY_MS)),
        state: entry.state,
        ...(entry.error ? { error: entry.error } : {}),
      };
      directory.addSourceInState(user.id, source);
      tenant.truth.nonActiveAssignments.push({
        userId: user.id,
        skuId,
        skuPartNumber: entry.part,
        state: entry.state,
        error: entry.error ?? null,
        assignedByGroup: groupId,
      });
    }
  }
}

function companySku(tenant: SandboxTenant, rng: Rng): void {
  tenant.directory.addSubscription({
    sku: COMPANY_SKU,
    appliesTo: 'Company',
    prepaidUnits: { enabled: 10, lockedOut: 0, suspended: 0, warning: 0 },
    subscriptionIds: [uuid(rng)],
    consumedUnits: 0,
  });
  tenant.truth.companySku = { skuId: COMPANY_SKU.skuId, skuPartNumber: COMPANY_SKU.skuPartNumber };
}

/** A Dynamics SKU partly in its renewal grace period, one with suspended units, one with locked-out units. */
function graceUnits(tenant: SandboxTenant): void {
  const changes: Array<[string, Partial<PrepaidUnits>]> = [
    ['DYN365_ENTERPRISE_CUSTOMER_SERVICE', { warning: 5 }],
    ['FLOW_PER_USER', { suspended: 4 }],
    ['DYN365_RETAIL', { lockedOut: 3 }],
  ];
  for (const [part, units] of changes) {
    tenant.setPrepaidUnits(part, units);
    tenant.truth.unitChanges.push({ skuPartNumber: part, units });
  }
}
