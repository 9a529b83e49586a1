import type { DataverseClient, RetryEvent } from '../../src/connectors';
import { collect, failure, startHarness, type Harness } from './support/harness';

const DAY_MS = 86_400_000;
const AUDITS_ROUTE = 'GET /dynamics/api/data/v9.2/audits';

describe('connectors: Dataverse client against the sandbox over HTTPS', () => {
  let h: Harness;
  let retries: RetryEvent[];
  const now = new Date('2026-06-30T12:00:00Z');

  const client = (maxPageSize?: number): DataverseClient =>
    h.connectors.clients(h.profile(), {
      onRetry: (event) => retries.push(event),
      ...(maxPageSize ? { dataverseMaxPageSize: maxPageSize } : {}),
    }).dataverse!;

  /** What the audit log holds in [from, to), oldest first. */
  const expectedAudits = (from: Date, to: Date): string[] => {
    const log = h.sandbox.tenant.dataverse.audit;
    const ids: string[] = [];
    for (let i = 0; i < log.length; i++) {
      const at = log.createdOnAt(i);
      if (at >= from.getTime() && at < to.getTime()) ids.push(log.auditIdAt(i));
    }
    return ids;
  };

  beforeAll(async () => {
    h = await startHarness({ users: 40, seed: 11, now });
  });
  afterAll(() => h.close());
  beforeEach(() => {
    retries = [];
    h.sandbox.resetRequestCounts();
  });
  afterEach(() => h.sandbox.faults.clear());

  it('answers WhoAmI as the application user of the app', async () => {
    const appUser = h.sandbox.tenant.dataverse.findByApplicationId(h.sandbox.clientId)!;
    await expect(client().whoAmI()).resolves.toMatchObject({
      UserId: appUser.systemuserid,
      OrganizationId: expect.any(String),
      BusinessUnitId: expect.any(String),
    });
  });

  it('pages system users with the selected columns', async () => {
    const { items, pages } = await collect(client(10).systemUsersPages());
    const expected = h.sandbox.tenant.dataverse.systemUsers.map((user) => user.systemuserid).sort();
    expect(items.map((user) => user.systemuserid).sort()).toEqual(expected);
    expect(pages).toBe(Math.ceil(expected.length / 10));
    for (const user of items) {
      expect(
        Object.keys(user)
          .filter((key) => !key.startsWith('@'))
          .sort(),
      ).toEqual([
        'accessmode',
        'applicationid',
        'azureactivedirectoryobjectid',
        'domainname',
        'fullname',
        'isdisabled',
        'systemuserid',
      ]);
    }
  });

  it('pages the audit log in a window, oldest first, at the page size it asked for on every page', async () => {
    const from = new Date(now.getTime() - 30 * DAY_MS);
    const to = new Date(now.getTime() - 2 * DAY_MS);
    const expected = expectedAudits(from, to);
    expect(expected.length).toBeGreaterThan(30);

    const sizes: number[] = [];
    const rows = [];
    for await (const page of client(10).auditsPages({ from: from.toISOString(), to: to.toISOString() })) {
      sizes.push(page.length);
      rows.push(...page);
    }
    expect(rows.map((row) => row.auditid)).toEqual(expected);
    expect(sizes.length).toBe(Math.ceil(expected.length / 10));
    expect(sizes.every((size) => size <= 10)).toBe(true);
    const times = rows.map((row) => Date.parse(row.createdon));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(
      Object.keys(rows[0]!)
        .filter((key) => !key.startsWith('@'))
        .sort(),
    ).toEqual([
      '_callinguserid_value',
      '_userid_value',
      'action',
      'auditid',
      'createdon',
      'objecttypecode',
      'operation',
    ]);
  });

  it('reads one audit row for validation', async () => {
    const from = new Date(now.getTime() - 10 * DAY_MS);
    const rows = await client().firstAuditsPage(from.toISOString());
    expect(rows).toHaveLength(1);
    expect(rows[0]!.auditid).toBe(expectedAudits(from, new Date(8.64e15))[0]);
  });

  it('waits out a service-protection 429 (0x80072322) on a next page', async () => {
    const from = new Date(now.getTime() - 20 * DAY_MS);
    h.sandbox.faults.add({ family: 'dataverse', pathContains: '$skiptoken', kind: 'throttle', retryAfterSeconds: 3 });
    const { items } = await collect(client(10).auditsPages({ from: from.toISOString() }));
    expect(items).toHaveLength(expectedAudits(from, new Date(8.64e15)).length);
    expect(retries).toEqual([
      expect.objectContaining({
        service: 'dataverse',
        status: 429,
        cause: 'throttled',
        waitSource: 'retry-after',
        waitMs: 20,
      }),
    ]);
  });

  it('reports a missing or disabled application user as permission, saying what to set up', async () => {
    const appUser = h.sandbox.tenant.dataverse.findByApplicationId(h.sandbox.clientId)!;
    appUser.isdisabled = true;
    try {
      const error = await failure(client().firstAuditsPage(new Date(now.getTime() - DAY_MS).toISOString()));
      expect(error).toMatchObject({
        service: 'dataverse',
        cause: 'permission',
        status: 403,
        microsoftCode: '0x80072560',
        kind: 'upstream',
      });
      expect((error as Error).message).toContain('application user');
      expect((error as Error).message).toContain('prvReadAuditSummary');
    } finally {
      appUser.isdisabled = false;
    }
  });

  it('answers an expired-token 401 with one fresh token', async () => {
    const dataverse = client();
    await dataverse.whoAmI();
    const before = h.tokenRequests();
    h.sandbox.faults.add({ family: 'dataverse', kind: 'expire-token' });
    await dataverse.whoAmI();
    expect(h.tokenRequests() - before).toBe(1);
  });

  it('gives up on a 503 storm with cause unavailable', async () => {
    h.sandbox.faults.add({ family: 'dataverse', pathContains: '/audits', kind: 'unavailable', times: 100 });
    await expect(client().firstAuditsPage(now.toISOString())).rejects.toMatchObject({
      service: 'dataverse',
      cause: 'unavailable',
      attempts: 4,
      microsoftCode: '0x80040216',
    });
    expect(h.count(AUDITS_ROUTE)).toBe(4);
  });
});
