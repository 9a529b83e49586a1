import { generateTenant, SandboxError, UNLISTED_SKU_ID, type SandboxTenant } from '../../src/sandbox';
import { parseUserSelect, userJson } from '../../src/sandbox/graph/user-json';

const NOW = new Date('2026-06-01T00:00:00Z');
const BASE_APPS = new Set([
  'DYN365_ENTERPRISE_SALES',
  'D365_SALES_PRO',
  'DYN365_SALES_PREMIUM',
  'DYN365_ENTERPRISE_RELATIONSHIP_SALES',
  'DYN365_ENTERPRISE_CUSTOMER_SERVICE',
  'DYN365_CUSTOMER_SERVICE_PRO',
  'DYN365_ENTERPRISE_SALES_CUSTOMERSERVICE',
  'DYN365_ENTERPRISE_FIELD_SERVICE',
  'DYN365_FINANCE',
  'DYN365_SCM',
  'DYN365_RETAIL',
  'DYN365_PROJECT_OPERATIONS',
]);

function snapshot(tenant: SandboxTenant): string {
  const selection = parseUserSelect(
    'id,userPrincipalName,accountEnabled,userType,assignedLicenses,licenseAssignmentStates',
  );
  if (!selection.ok) throw new Error('bad select');
  const audit = tenant.dataverse.audit;
  const rows = Array.from(
    { length: Math.min(audit.length, 200) },
    (_, i) => `${audit.auditIdAt(i)}|${audit.createdOnAt(i)}|${audit.userAt(i)}|${audit.tableAt(i)}`,
  );
  return JSON.stringify({
    identity: tenant.identity,
    clientId: tenant.app.clientId,
    secret: tenant.app.clientSecret,
    summary: tenant.summary(),
    users: tenant.directory.users.map((user) => userJson(user, selection.selection)),
    systemUsers: tenant.dataverse.systemUsers,
    rows,
  });
}

describe('sandbox tenant generator', () => {
  const tenant = generateTenant({ users: 2000, seed: 42, now: NOW });
  const partOf = (skuId: string): string => tenant.directory.requireSubscription(skuId).sku.skuPartNumber;

  it('is deterministic: same seed and now give the same tenant, another seed another one', () => {
    expect(snapshot(generateTenant({ users: 2000, seed: 42, now: NOW }))).toBe(snapshot(tenant));
    const other = generateTenant({ users: 2000, seed: 43, now: NOW });
    expect(other.tenantId).not.toBe(tenant.tenantId);
    expect(snapshot(other)).not.toBe(snapshot(tenant));
  });

  it('holds the documented mix of users, licenses and groups', () => {
    const users = tenant.directory.users;
    const summary = tenant.summary();
    expect(summary.users).toBe(2000);
    expect(summary.guests / 2000).toBeGreaterThan(0.01);
    expect(summary.guests / 2000).toBeLessThan(0.035);
    expect(summary.disabledUsers / 2000).toBeGreaterThan(0.015);
    expect(summary.disabledUsers / 2000).toBeLessThan(0.045);
    expect(users.filter((u) => u.userType === 'Guest').every((u) => u.userPrincipalName.includes('#EXT#'))).toBe(true);

    const inScope = users.reduce(
      (sum, u) =>
        sum +
        new Set(
          u.licenses
            .map((s) => s.skuId)
            .filter((id) => tenant.directory.requireSubscription(id).sku.family !== 'office'),
        ).size,
      0,
    );
    expect(inScope / 2000).toBeGreaterThan(2.1);
    expect(inScope / 2000).toBeLessThan(2.9);
    const multiBase = users.filter(
      (u) => new Set(u.licenses.map((s) => partOf(s.skuId)).filter((p) => BASE_APPS.has(p))).size >= 2,
    ).length;
    expect(multiBase / 2000).toBeGreaterThan(0.06);
    expect(multiBase / 2000).toBeLessThan(0.16);
    expect(
      users.some((u) =>
        u.licenses.some(
          (s) => s.assignedByGroup === null && u.licenses.some((g) => g.assignedByGroup && g.skuId === s.skuId),
        ),
      ),
    ).toBe(true);

    expect(summary.groups.map((g) => g.displayName)).toEqual(expect.arrayContaining(['Sales team', 'Service desk']));
    const unlisted = summary.skus.find((s) => s.skuId === UNLISTED_SKU_ID)!;
    expect(unlisted.skuPartNumber).toBe('DYN365_SALES_AGENT_2027');
    expect(unlisted.consumedUnits).toBeGreaterThanOrEqual(3);
    expect(unlisted.consumedUnits).toBeLessThan(20);
    expect(summary.skus.map((s) => s.skuPartNumber)).toEqual(
      expect.arrayContaining(['ENTERPRISEPACK', 'SPE_E5', 'POWERAPPS_PER_USER', 'DYN365_TEAM_MEMBERS']),
    );

    const positions = summary.skus.map((s) => Math.sign(s.prepaidUnits.enabled - s.consumedUnits));
    expect(positions).toEqual(expect.arrayContaining([1, -1, 0]));
    expect(summary.skus.some((s) => s.prepaidUnits.warning > 0)).toBe(true);
  });

  it('gives the Dynamics environment systemusers, application users, orphans and ~6 months of audit rows', () => {
    const { dataverse } = tenant;
    const graphIds = new Set(tenant.directory.users.map((u) => u.id));
    const systemUsers = dataverse.systemUsers;
    expect(systemUsers.filter((s) => s.accessmode === 4 && s.applicationid).length).toBe(3);
    expect(
      systemUsers.filter(
        (s) => s.accessmode === 0 && s.azureactivedirectoryobjectid && !graphIds.has(s.azureactivedirectoryobjectid),
      ).length,
    ).toBe(2);
    const licensed = tenant.directory.users.filter((u) =>
      u.licenses.some((s) => tenant.directory.requireSubscription(s.skuId).sku.family !== 'office'),
    );
    expect(licensed.every((u) => dataverse.findByEntraObjectId(u.id)?.domainname === u.userPrincipalName)).toBe(true);

    const audit = dataverse.audit;
    expect(audit.length / 2000).toBeGreaterThan(2);
    expect(audit.length / 2000).toBeLessThan(10);
    const oldest = NOW.getTime() - 210 * 86_400_000;
    let access = 0;
    const lastByUser = new Map<number, number>();
    for (let i = 0; i < audit.length; i++) {
      expect(audit.createdOnAt(i)).toBeGreaterThanOrEqual(i > 0 ? audit.createdOnAt(i - 1) : oldest);
      if (audit.operationAt(i) === 4) access++;
      lastByUser.set(audit.userAt(i), audit.createdOnAt(i));
    }
    expect(access).toBeGreaterThan(0);
    const human = systemUsers.filter(
      (s) => s.accessmode === 0 && s.azureactivedirectoryobjectid && graphIds.has(s.azureactivedirectoryobjectid),
    );
    const daysIdle = human.map((s) =>
      lastByUser.has(s.index) ? (NOW.getTime() - lastByUser.get(s.index)!) / 86_400_000 : Infinity,
    );
    expect(daysIdle.filter((d) => d === Infinity).length).toBeGreaterThan(0);
    expect(daysIdle.filter((d) => d >= 70 && d <= 200).length).toBeGreaterThan(0);
    expect(daysIdle.filter((d) => d < 30).length).toBeGreaterThan(human.length / 3);
  });

  it('generates 100,000 users with their licenses, systemusers and audit rows', () => {
    const big = generateTenant({ users: 100_000, seed: 7, now: NOW });
    const summary = big.summary();
    expect(summary.users).toBe(100_000);
    const assignments = big.directory.users.reduce((sum, u) => sum + u.licenses.length, 0);
    expect(assignments).toBeGreaterThan(200_000);
    expect(summary.systemUsers).toBeGreaterThan(80_000);
    expect(summary.auditRows).toBeGreaterThan(200_000);
  });

  it('applies mutations with Graph semantics and keeps consumed units right', () => {
    const t = generateTenant({ users: 300, seed: 9, now: NOW });
    const salesTeam = [...t.directory.groups.values()].find((g) => g.displayName === 'Sales team')!;
    const user = t.addUser({
      displayName: 'New Hire',
      userPrincipalName: 'new.hire@licenseledgersandbox.onmicrosoft.com',
    });
    const sales = t.directory.requireSubscription('DYN365_ENTERPRISE_SALES');
    const before = sales.consumedUnits;
    t.assignLicense(user.id, 'DYN365_ENTERPRISE_SALES', { viaGroupId: salesTeam.id });
    expect(sales.consumedUnits).toBe(before + 1);
    expect(t.dataverse.findByEntraObjectId(user.id)).toBeDefined();
    expect(() => t.removeLicense(user.id, 'DYN365_ENTERPRISE_SALES')).toThrow(SandboxError);
    t.assignLicense(user.id, 'DYN365_ENTERPRISE_SALES');
    expect(sales.consumedUnits).toBe(before + 1);
    t.removeLicense(user.id, 'DYN365_ENTERPRISE_SALES');
    expect(t.directory.requireUser(user.id).licenses.map((s) => s.assignedByGroup)).toEqual([salesTeam.id]);
    t.removeGroupMember(salesTeam.id, user.id);
    expect(sales.consumedUnits).toBe(before);
    t.deleteUser(user.id);
    expect(t.directory.findUser(user.id)).toBeUndefined();
    expect(t.dataverse.findByEntraObjectId(user.id)?.isdisabled).toBe(true);
  });
});
