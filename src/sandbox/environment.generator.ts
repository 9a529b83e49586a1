import { AUDIT_TABLES } from './activity.generator';
import { AuditColumnsBuilder } from './audit-log';
import { DataverseStore } from './dataverse-store';
import { activityAreas, type ActivityArea } from './personas';
import { chance, pick, randomInt, uuid, type Rng } from './random';
import type { SandboxTenant } from './sandbox-tenant';
import type { EnvironmentSpec } from './scenario';
import { skuById } from './sku-catalog';
import type { SystemUser } from './tenant.model';

const DAY_MS = 86_400_000;

/**
 * A further Dynamics 365 environment with its own organization, systemusers (new ids, as each
 * environment has its own) and audit log: the same app registrations as application users, the
 * tenant admin, and a share of the primary environment's licensed users, each with a few months
 * of work in their apps' tables.
 */
export function addEnvironment(
  tenant: SandboxTenant,
  rng: Rng,
  spec: EnvironmentSpec,
  ordinal: number,
): DataverseStore {
  const now = tenant.now.getTime();
  const organization = {
    organizationId: uuid(rng),
    businessUnitId: uuid(rng),
    name: spec.displayName ?? spec.name,
  };
  const store = new DataverseStore(
    organization,
    tenant.seed * 31 + ordinal,
    () => uuid(rng),
    () => tenant.currentTime(),
    {
      path: `dynamics-${spec.name}`,
      name: spec.name,
      displayName: spec.displayName ?? spec.name,
      environmentId: uuid(rng),
      uniqueName: `unq${uuid(rng).replace(/-/g, '').slice(0, 29)}`,
      sku: spec.sku ?? 'Production',
    },
  );
  const primary = tenant.dataverse;
  const at = (daysAgo: number): Date => new Date(now - daysAgo * DAY_MS);
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
      at(600),
    );
  }
  for (const appUser of primary.systemUsers.filter((user) => user.applicationid)) {
    store.addSystemUser({ ...copyOf(appUser), systemuserid: uuid(rng) }, at(500));
  }
  const rows = new AuditColumnsBuilder();
  const share = spec.userShare ?? 0.4;
  for (const user of primary.systemUsers) {
    if (user.applicationid || !user.azureactivedirectoryobjectid) continue;
    const entraUser = tenant.directory.findUser(user.azureactivedirectoryobjectid);
    if (!entraUser) continue;
    const admin = user.accessmode === 1;
    if (!admin && !chance(rng, share)) continue;
    const systemUser = store.addSystemUser({ ...copyOf(user), systemuserid: uuid(rng) }, at(randomInt(rng, 100, 400)));
    if (admin) continue;
    const parts = entraUser.licenses.map((source) => skuById(source.skuId)?.skuPartNumber ?? '');
    work(rng, now, systemUser, activityAreas(parts), rows);
  }
  store.audit.load(rows);
  tenant.environments.push(store);
  return store;
}

function copyOf(user: SystemUser) {
  return {
    azureactivedirectoryobjectid: user.azureactivedirectoryobjectid,
    domainname: user.domainname,
    fullname: user.fullname,
    isdisabled: user.isdisabled,
    accessmode: user.accessmode,
    applicationid: user.applicationid,
    islicensed: user.islicensed,
  };
}

/** Some users work here recently, some long ago, some never: the product must take the latest across environments. */
function work(rng: Rng, now: number, user: SystemUser, areas: Set<ActivityArea>, rows: AuditColumnsBuilder): void {
  if (chance(rng, 0.2)) return;
  const last = now - randomInt(rng, 0, 150) * DAY_MS - Math.floor(rng() * DAY_MS);
  const tables = [...areas].flatMap((area) => (area === 'access' ? [] : AUDIT_TABLES[area]));
  const choices = tables.length > 0 ? tables : AUDIT_TABLES.common;
  for (let k = randomInt(rng, 1, 4); k > 0; k--) {
    const when = k === 1 ? last : last - rng() * 60 * DAY_MS;
    rows.push(Math.floor(when / 1000) * 1000, user.index, 2, 2, pick(rng, choices));
  }
  rows.push(Math.floor(last / 1000) * 1000, user.index, chance(rng, 0.8) ? 64 : 65, 4, 'systemuser');
}
