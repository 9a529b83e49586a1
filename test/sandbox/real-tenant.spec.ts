import { startSandbox, type Sandbox } from '../../src/sandbox';
import { appToken, bearer, call, form, type HttpResult } from './support/https-client';

const now = new Date('2026-06-30T12:00:00Z');

interface AuditRow {
  auditid: string;
  action: number;
  operation: number;
  objecttypecode: string;
  createdon: string;
  _userid_value: string;
  _callinguserid_value: string | null;
}

/** A client-credentials token for any of the sandbox's resources (environment URL or discovery base). */
async function tokenFor(sandbox: Sandbox, resource: string): Promise<string> {
  const result = await call(
    sandbox,
    'POST',
    `${sandbox.authority}/oauth2/v2.0/token`,
    form({
      grant_type: 'client_credentials',
      client_id: sandbox.clientId,
      client_secret: sandbox.clientSecret,
      scope: `${resource}/.default`,
    }),
  );
  return result.json<{ access_token: string }>().access_token;
}

/** Every audit row of an environment, oldest first, through the Web API. */
async function allAudits(sandbox: Sandbox, environmentUrl: string): Promise<AuditRow[]> {
  const token = await tokenFor(sandbox, environmentUrl);
  const rows: AuditRow[] = [];
  let url: string | undefined = `${environmentUrl}/api/data/v9.2/audits?$orderby=createdon asc`;
  while (url) {
    const page: HttpResult = await call(sandbox, 'GET', url, bearer(token));
    expect(page.status).toBe(200);
    const body = page.json<{ value: AuditRow[]; '@odata.nextLink'?: string }>();
    rows.push(...body.value);
    url = body['@odata.nextLink'];
  }
  return rows;
}

describe('sandbox: the default tenant stays the forgiving one', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ users: 40, seed: 3, now });
  });
  afterAll(() => sandbox.stop());

  it('has one environment with auditing on, every table audited, the app allowed to read the log', async () => {
    expect(sandbox.environmentUrls).toEqual([sandbox.environmentUrl]);
    const token = await appToken(sandbox, 'dynamics');
    const organizations = await call(
      sandbox,
      'GET',
      `${sandbox.environmentUrl}/api/data/v9.2/organizations`,
      bearer(token),
    );
    expect(organizations.json<{ value: unknown[] }>().value[0]).toMatchObject({
      isauditenabled: true,
      isuseraccessauditenabled: true,
      useraccessauditinginterval: 4,
      auditretentionperiodv2: -1,
    });
    const definitions = await call(
      sandbox,
      'GET',
      `${sandbox.environmentUrl}/api/data/v9.2/EntityDefinitions?$select=LogicalName,IsAuditEnabled&$filter=IsAuditEnabled/Value eq false`,
      bearer(token),
    );
    expect(definitions.json<{ value: unknown[] }>().value).toEqual([]);
    expect((await allAudits(sandbox, sandbox.environmentUrl)).every((row) => row._callinguserid_value === null)).toBe(
      true,
    );
  });
});

describe('sandbox: realistic tenant', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ users: 300, seed: 9, now, realistic: true });
  });
  afterAll(() => sandbox.stop());

  const env = (name: string) => sandbox.tenant.requireEnvironment(name);

  it('serves three environments, each with its own systemusers, organization and token audience', async () => {
    expect(sandbox.environmentUrls).toEqual([
      `${sandbox.url}/dynamics`,
      `${sandbox.url}/dynamics-sales`,
      `${sandbox.url}/dynamics-service`,
    ]);
    const sales = sandbox.environmentUrlOf('sales');
    const token = await tokenFor(sandbox, sales);
    const whoAmI = await call(sandbox, 'GET', `${sales}/api/data/v9.2/WhoAmI`, bearer(token));
    expect(whoAmI.json()).toMatchObject({
      UserId: env('sales').findByApplicationId(sandbox.clientId)!.systemuserid,
      OrganizationId: env('sales').organization.organizationId,
    });
    expect(env('sales').findByApplicationId(sandbox.clientId)!.systemuserid).not.toBe(
      env('primary').findByApplicationId(sandbox.clientId)!.systemuserid,
    );
    const primaryToken = await appToken(sandbox, 'dynamics');
    expect((await call(sandbox, 'GET', `${sales}/api/data/v9.2/WhoAmI`, bearer(primaryToken))).status).toBe(401);
  });

  it('leaves an audit-off period: row 110, row 107, and not a single row in between', async () => {
    const [off] = env('primary').truth.auditOff;
    const rows = await allAudits(sandbox, sandbox.environmentUrl);
    const from = Date.parse(off!.from);
    const to = Date.parse(off!.to);
    const inside = rows.filter((row) => Date.parse(row.createdon) >= from && Date.parse(row.createdon) <= to);
    expect(inside.map((row) => [row.action, row.createdon, row.objecttypecode])).toEqual([
      [110, off!.from, 'organization'],
      [107, off!.to, 'organization'],
    ]);
    expect(rows.filter((row) => Date.parse(row.createdon) < from).length).toBeGreaterThan(0);
  });

  it('deletes logs: row 111, and every older row gone', async () => {
    const [deletion] = env('sales').truth.logDeletions;
    const rows = await allAudits(sandbox, sandbox.environmentUrlOf('sales'));
    expect(rows[0]).toMatchObject({ action: 111, createdon: deletion!.at });
    expect(rows.every((row) => Date.parse(row.createdon) >= Date.parse(deletion!.deletedBefore))).toBe(true);
  });

  it('stops user-access auditing: 113 then 112, and no access row in between', async () => {
    const [off] = env('service').truth.userAccessOff;
    const rows = await allAudits(sandbox, sandbox.environmentUrlOf('service'));
    const inside = rows.filter(
      (row) => Date.parse(row.createdon) >= Date.parse(off!.from) && Date.parse(row.createdon) <= Date.parse(off!.to),
    );
    expect(inside.filter((row) => row.operation === 4)).toEqual([]);
    expect(inside.filter((row) => row.action >= 112).map((row) => row.action)).toEqual([113, 112]);
    expect(inside.some((row) => row.operation !== 4 && row.action < 100)).toBe(true);
  });

  it('writes access rows at most once per useraccessauditinginterval per user', async () => {
    for (const name of ['primary', 'service']) {
      const store = env(name);
      const intervalMs = store.settings.useraccessauditinginterval * 3_600_000;
      const last = new Map<string, number>();
      for (const row of await allAudits(sandbox, sandbox.environmentUrlOf(name))) {
        if (row.operation !== 4) continue;
        const at = Date.parse(row.createdon);
        const previous = last.get(row._userid_value);
        if (previous !== undefined) expect(at - previous).toBeGreaterThanOrEqual(intervalMs);
        last.set(row._userid_value, at);
      }
    }
  });

  it('marks impersonated rows with the integration as calling user', async () => {
    const truth = env('primary').truth;
    const rows = await allAudits(sandbox, sandbox.environmentUrl);
    const impersonated = rows.filter((row) => row._callinguserid_value !== null);
    expect(impersonated).toHaveLength(truth.impersonatedRows);
    expect(truth.impersonatedRows).toBeGreaterThan(0);
    expect(new Set(impersonated.map((row) => row._callinguserid_value))).toEqual(
      new Set([truth.impersonatingSystemUserId]),
    );
    const targets = new Set(truth.impersonatedUsers.map((id) => env('primary').findByEntraObjectId(id)!.systemuserid));
    expect(impersonated.every((row) => targets.has(row._userid_value))).toBe(true);
  });

  it('has users whose every row is on a common table', async () => {
    const common = new Set(['account', 'contact', 'task', 'email', 'phonecall', 'appointment']);
    const ids = env('primary').truth.commonTableOnlyUsers.map(
      (id) => env('primary').findByEntraObjectId(id)!.systemuserid,
    );
    expect(ids.length).toBe(5);
    const rows = (await allAudits(sandbox, sandbox.environmentUrl)).filter((row) => ids.includes(row._userid_value));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.filter((row) => row.operation !== 4).every((row) => common.has(row.objecttypecode))).toBe(true);
  });

  it('has full-license holders whose only work anywhere is on contacts and activities, as Team Members may', async () => {
    const light = env('primary').truth.teamMembersLevelUsers;
    expect(light.length).toBe(3);
    const teamMembersTables = new Set(['contact', 'task', 'email', 'phonecall', 'appointment']);
    for (const name of ['primary', 'sales', 'service']) {
      const ids = light.flatMap((id) => env(name).findByEntraObjectId(id)?.systemuserid ?? []);
      const rows = (await allAudits(sandbox, sandbox.environmentUrlOf(name))).filter((row) =>
        ids.includes(row._userid_value),
      );
      if (name === 'primary') {
        expect(rows.length).toBeGreaterThan(0);
        expect(rows.every((row) => teamMembersTables.has(row.objecttypecode))).toBe(true);
      } else expect(rows).toEqual([]);
    }
  });

  it('answers EntityDefinitions with IsAuditEnabled as a BooleanManagedProperty, filtered by or-clauses', async () => {
    const token = await appToken(sandbox, 'dynamics');
    const filter = encodeURIComponent(
      "LogicalName eq 'quote' or LogicalName eq 'opportunity' or LogicalName eq 'nosuchtable'",
    );
    const result = await call(
      sandbox,
      'GET',
      `${sandbox.environmentUrl}/api/data/v9.2/EntityDefinitions?$select=LogicalName,IsAuditEnabled&$filter=${filter}`,
      bearer(token),
    );
    const value = result.json<{ value: Array<{ LogicalName: string; IsAuditEnabled: unknown; MetadataId: string }> }>()
      .value;
    expect(value.map((row) => [row.LogicalName, row.IsAuditEnabled])).toEqual([
      ['opportunity', { Value: true, CanBeChanged: true, ManagedPropertyLogicalName: 'canmodifyauditsettings' }],
      ['quote', { Value: false, CanBeChanged: true, ManagedPropertyLogicalName: 'canmodifyauditsettings' }],
    ]);
    expect((await allAudits(sandbox, sandbox.environmentUrl)).some((row) => row.objecttypecode === 'quote')).toBe(
      false,
    );
    const single = await call(
      sandbox,
      'GET',
      `${sandbox.environmentUrl}/api/data/v9.2/EntityDefinitions(LogicalName='account')?$select=LogicalName,IsAuditEnabled`,
      bearer(token),
    );
    expect(single.json()).toMatchObject({ LogicalName: 'account', IsAuditEnabled: { Value: true } });
  });

  it('refuses audits with 403 when the application user lacks prvReadAuditSummary, and no other table', async () => {
    const control = await call(sandbox, 'PATCH', `${sandbox.url}/_sandbox/environments/service`, {
      body: { appCanReadAudit: false },
    });
    expect(control.status).toBe(200);
    const service = sandbox.environmentUrlOf('service');
    const token = await tokenFor(sandbox, service);
    const refused = await call(sandbox, 'GET', `${service}/api/data/v9.2/audits?$top=1`, bearer(token));
    expect(refused.status).toBe(403);
    expect(refused.json<{ error: { code: string; message: string } }>().error).toMatchObject({
      code: '0x80040220',
      message: expect.stringContaining('is missing prvReadAuditSummary privilege'),
    });
    expect((await call(sandbox, 'GET', `${service}/api/data/v9.2/systemusers?$top=1`, bearer(token))).status).toBe(200);
    await call(sandbox, 'PATCH', `${sandbox.url}/_sandbox/environments/service`, { body: { appCanReadAudit: true } });
  });

  it('changes audit settings now through the control API, writing the switch rows and honouring the interval', async () => {
    const base = `${sandbox.url}/_sandbox/environments/sales`;
    const changed = await call(sandbox, 'PATCH', `${base}/audit-settings`, {
      body: { isuseraccessauditenabled: false },
    });
    expect(changed.json()).toMatchObject({ isuseraccessauditenabled: false });
    const user = env('sales').systemUsers.find(
      (candidate) => candidate.accessmode === 0 && candidate.azureactivedirectoryobjectid,
    )!;
    const access = (): Promise<HttpResult> =>
      call(sandbox, 'POST', `${base}/access`, { body: { userId: user.azureactivedirectoryobjectid } });
    expect((await access()).json()).toEqual({ written: false });
    await call(sandbox, 'PATCH', `${base}/audit-settings`, { body: { isuseraccessauditenabled: true } });
    expect((await access()).json()).toEqual({ written: true });
    expect((await access()).json()).toEqual({ written: false });
    const rows = await allAudits(sandbox, sandbox.environmentUrlOf('sales'));
    expect(rows.slice(-3).map((row) => row.action)).toEqual(expect.arrayContaining([113, 112, 64]));
  });

  it('exposes the truth at GET /_sandbox/truth', async () => {
    const truth = (await call(sandbox, 'GET', `${sandbox.url}/_sandbox/truth`)).json<{
      tenant: { nonActiveAssignments: unknown[]; companySku: unknown };
      environments: Array<{ name: string; truth: unknown }>;
    }>();
    expect(truth.environments.map((environment) => environment.name)).toEqual(['primary', 'sales', 'service']);
    expect(truth.tenant.nonActiveAssignments).toHaveLength(4);
    expect(truth.tenant.companySku).toMatchObject({ skuPartNumber: 'CDS_DB_CAPACITY' });
  });
});
