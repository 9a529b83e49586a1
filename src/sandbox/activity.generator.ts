import { AuditColumnsBuilder } from './audit-log';
import type { DataverseStore } from './dataverse-store';
import type { ActivityProfile, GeneratedDirectory } from './directory.generator';
import { activityAreas, type ActivityArea } from './personas';
import { chance, pick, randomInt, uuid, type Rng } from './random';
import { skuById } from './sku-catalog';
import type { AppRegistration, SystemUser } from './tenant.model';

/** Tables per app, as the product's catalog groups Dataverse audit categories (DESIGN.md "Which app"). */
export const AUDIT_TABLES: Readonly<Record<Exclude<ActivityArea, 'access'>, readonly string[]>> = {
  sales: ['opportunity', 'lead', 'quote', 'salesorder', 'invoice'],
  service: ['incident', 'queueitem', 'knowledgearticle', 'contract'],
  field: ['msdyn_workorder', 'msdyn_workorderservicetask', 'incident'],
  common: ['account', 'contact', 'task', 'email', 'phonecall', 'appointment'],
};

const DAY_MS = 86_400_000;
/** Rows older than this are not generated; the product analyses ~6 months back. */
const OLDEST_DAYS = 209;

interface RowSink {
  add(user: SystemUser, at: number, table: string, operation: number, action?: number): void;
}

/** Creates the environment's systemusers and ~6 months of audit history for the generated directory. */
export function generateDataverse(
  rng: Rng,
  now: Date,
  generated: GeneratedDirectory,
  sandboxApp: Pick<AppRegistration, 'clientId' | 'servicePrincipalId'>,
  domain: string,
  store: DataverseStore,
): void {
  const nowMs = now.getTime();
  const rows = new AuditColumnsBuilder();
  const oldest = nowMs - OLDEST_DAYS * DAY_MS;
  const sink: RowSink = {
    add(user, at, table, operation, action = operation) {
      if (at < oldest) return;
      const createdOnMs = Math.floor(Math.min(nowMs, at) / 1000) * 1000;
      rows.push(createdOnMs, user.index, action, operation, table);
    },
  };
  const at = (daysAgo: number): Date => new Date(nowMs - daysAgo * DAY_MS);

  for (const fullname of ['SYSTEM', 'INTEGRATION']) {
    store.addSystemUser(
      {
        azureactivedirectoryobjectid: null,
        domainname: '',
        fullname,
        isdisabled: false,
        accessmode: 0,
        applicationid: null,
        islicensed: false,
      },
      at(1000),
    );
  }
  const appUsers = [
    { name: '# License Ledger sandbox', applicationid: sandboxApp.clientId, objectId: sandboxApp.servicePrincipalId },
    { name: '# Dual-write integration', applicationid: uuid(rng), objectId: uuid(rng) },
    { name: '# Data export service', applicationid: uuid(rng), objectId: uuid(rng) },
  ].map(({ name, applicationid, objectId }) =>
    store.addSystemUser(
      {
        azureactivedirectoryobjectid: objectId,
        domainname: `${applicationid}@${domain}`,
        fullname: name,
        isdisabled: false,
        accessmode: 4,
        applicationid,
        islicensed: false,
      },
      at(800),
    ),
  );

  let licensed = 0;
  for (const user of generated.users) {
    const profile = generated.activity.get(user.id);
    const isAdmin = user.id === generated.adminUserId;
    if (profile === undefined && !isAdmin) continue;
    const systemUser = store.addSystemUser(
      {
        azureactivedirectoryobjectid: user.id,
        domainname: user.userPrincipalName,
        fullname: user.displayName,
        isdisabled: !user.accountEnabled,
        // The tenant admin uses Administrative access mode, which needs no Dynamics license.
        accessmode: isAdmin ? 1 : 0,
        applicationid: null,
        islicensed: !isAdmin,
      },
      new Date(Date.parse(user.createdDateTime) + DAY_MS),
    );
    if (isAdmin) {
      for (let k = 0; k < 3; k++) sink.add(systemUser, nowMs - rng() * 10 * DAY_MS, 'systemuser', 4, 64);
      continue;
    }
    licensed++;
    const parts = user.licenses.map((source) => skuById(source.skuId)?.skuPartNumber ?? '');
    userActivity(rng, nowMs, systemUser, profile!, activityAreas(parts), sink);
  }

  // systemusers whose Entra object no longer exists in Graph (deleted or never synced back).
  for (const fullname of ['Former Employee', 'Departed Contractor']) {
    const orphan = store.addSystemUser(
      {
        azureactivedirectoryobjectid: uuid(rng),
        domainname: `${fullname.toLowerCase().replace(' ', '.')}@${domain}`,
        fullname,
        isdisabled: false,
        accessmode: 0,
        applicationid: null,
        islicensed: true,
      },
      at(400),
    );
    for (let k = randomInt(rng, 3, 6); k > 0; k--)
      sink.add(orphan, nowMs - randomInt(rng, 20, 60) * DAY_MS, pick(rng, AUDIT_TABLES.common), 2);
  }

  const perApp = Math.max(40, Math.round((licensed * 0.25) / appUsers.length));
  const appTables = [...AUDIT_TABLES.common, ...AUDIT_TABLES.sales, ...AUDIT_TABLES.service];
  for (const appUser of appUsers) {
    for (let k = 0; k < perApp; k++) {
      sink.add(appUser, nowMs - rng() * 183 * DAY_MS, pick(rng, appTables), chance(rng, 0.3) ? 1 : 2);
    }
  }
  store.audit.load(rows);
}

function userActivity(
  rng: Rng,
  nowMs: number,
  user: SystemUser,
  profile: ActivityProfile,
  areas: Set<ActivityArea>,
  sink: RowSink,
): void {
  if (profile === 'never') return;
  const dataAreas = [...areas].filter((area): area is Exclude<ActivityArea, 'access'> => area !== 'access');
  if (profile === 'sales-recent-service-stale') {
    // Active in Sales, but Customer Service last used ~100 days ago: a per-app low-usage case.
    burst(rng, user, nowMs - randomInt(rng, 0, 20) * DAY_MS, AUDIT_TABLES.sales, randomInt(rng, 2, 5), sink);
    burst(rng, user, nowMs - randomInt(rng, 95, 105) * DAY_MS, AUDIT_TABLES.service, randomInt(rng, 1, 3), sink);
    accessRows(rng, user, nowMs - randomInt(rng, 0, 20) * DAY_MS, sink);
    return;
  }
  const lastDaysAgo =
    profile === 'active'
      ? randomInt(rng, 0, 25)
      : profile === 'fading'
        ? randomInt(rng, 30, 60)
        : randomInt(rng, 70, 200);
  const last = nowMs - lastDaysAgo * DAY_MS - rng() * DAY_MS * 0.5;
  if (dataAreas.length === 0) {
    // Finance, supply chain, Power Platform: Dataverse only sees them sign in.
    accessRows(rng, user, last, sink);
    return;
  }
  for (const area of dataAreas) burst(rng, user, last, AUDIT_TABLES[area], randomInt(rng, 1, 4), sink);
  if (chance(rng, 0.6)) burst(rng, user, last, AUDIT_TABLES.common, randomInt(rng, 1, 2), sink);
  accessRows(rng, user, last, sink);
}

/** One row exactly at `last`, the rest spread over up to four months before it. */
function burst(
  rng: Rng,
  user: SystemUser,
  last: number,
  tables: readonly string[],
  count: number,
  sink: RowSink,
): void {
  const span = randomInt(rng, 5, 120) * DAY_MS;
  for (let k = 0; k < count; k++) {
    const when = k === 0 ? last : last - rng() * span;
    const operation = rng() < 0.25 ? 1 : rng() < 0.95 ? 2 : 3;
    sink.add(user, when, pick(rng, tables), operation);
  }
}

/** Dataverse writes a user-access row (64 via a model-driven app, 65 via web services) at most every few hours. */
function accessRows(rng: Rng, user: SystemUser, last: number, sink: RowSink): void {
  for (let k = randomInt(rng, 1, 2); k > 0; k--) {
    sink.add(user, last - (k - 1) * rng() * 30 * DAY_MS, 'systemuser', 4, chance(rng, 0.8) ? 64 : 65);
  }
}
