import { startSandbox, type Sandbox } from '../../src/sandbox';
import { appToken, bearer, call, type HttpResult } from './support/https-client';

interface Page {
  '@odata.context': string;
  '@odata.nextLink'?: string;
  value: Record<string, unknown>[];
}

describe('sandbox Dataverse Web API', () => {
  let sandbox: Sandbox;
  let token: string;
  const now = new Date('2026-03-01T00:00:00Z');
  const api = (): string => `${sandbox.environmentUrl}/api/data/v9.2`;
  const get = (url: string, headers: Record<string, string> = {}): Promise<HttpResult> =>
    call(sandbox, 'GET', url, bearer(token, headers));

  /** Follows nextLink verbatim, sending the same Prefer header each time (page-results). */
  async function all(url: string, prefer: string): Promise<{ rows: Record<string, unknown>[]; pages: number }> {
    const rows: Record<string, unknown>[] = [];
    let next: string | undefined = url;
    let pages = 0;
    while (next) {
      const result = await get(next, { prefer });
      expect(result.status).toBe(200);
      const page = result.json<Page>();
      rows.push(...page.value);
      next = page['@odata.nextLink'];
      pages++;
    }
    return { rows, pages };
  }

  beforeAll(async () => {
    sandbox = await startSandbox({ users: 600, seed: 21, now });
    token = await appToken(sandbox, 'dynamics');
  });
  afterAll(() => sandbox.stop());

  it('answers WhoAmI for the application user', async () => {
    const body = (await get(`${api()}/WhoAmI`)).json();
    const { organization } = sandbox.tenant.dataverse;
    expect(body).toEqual({
      '@odata.context': `${api()}/$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse`,
      BusinessUnitId: organization.businessUnitId,
      UserId: sandbox.tenant.dataverse.findByApplicationId(sandbox.clientId)!.systemuserid,
      OrganizationId: organization.organizationId,
    });
  });

  it('lists systemusers with $select, $filter and paging', async () => {
    const select =
      'systemuserid,azureactivedirectoryobjectid,domainname,fullname,isdisabled,accessmode,applicationid,islicensed';
    const { rows, pages } = await all(`${api()}/systemusers?$select=${select}`, 'odata.maxpagesize=100');
    expect(rows).toHaveLength(sandbox.tenant.dataverse.systemUsers.length);
    expect(pages).toBe(Math.ceil(rows.length / 100));
    expect(Object.keys(rows[0]!).sort()).toEqual(['@odata.etag', ...select.split(',')].sort());
    const apps = (await get(`${api()}/systemusers?$select=fullname,applicationid&$filter=accessmode eq 4`)).json<Page>()
      .value;
    expect(apps.length).toBe(3);
    expect(apps.every((row) => typeof row['applicationid'] === 'string')).toBe(true);
    const graphIds = new Set(sandbox.tenant.directory.users.map((user) => user.id));
    const orphans = rows.filter(
      (row) =>
        row['accessmode'] === 0 &&
        row['azureactivedirectoryobjectid'] &&
        !graphIds.has(String(row['azureactivedirectoryobjectid'])),
    );
    expect(orphans.length).toBe(2);
  });

  it('filters audits by createdon, operation and user, newest first, paging by maxpagesize', async () => {
    const from = '2026-01-01T00:00:00Z';
    const url = `${api()}/audits?$select=auditid,action,operation,objecttypecode,createdon,_userid_value,_objectid_value&$filter=createdon ge ${from} and operation eq 4&$orderby=createdon desc`;
    const first = await get(url, { prefer: 'odata.maxpagesize=50' });
    expect(first.headers['preference-applied']).toBe('odata.maxpagesize=50');
    expect(first.json<Page>()['@odata.nextLink']).toContain(
      '$skiptoken=%3Ccookie%20pagenumber=%222%22%20pagingcookie=%22%253Ccookie',
    );
    const { rows } = await all(url, 'odata.maxpagesize=50');
    const log = sandbox.tenant.dataverse.audit;
    let expected = 0;
    for (let i = 0; i < log.length; i++)
      if (log.createdOnAt(i) >= Date.parse(from) && log.operationAt(i) === 4) expected++;
    expect(rows).toHaveLength(expected);
    expect(new Set(rows.map((row) => row['auditid'])).size).toBe(expected);
    const times = rows.map((row) => Date.parse(String(row['createdon'])));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(rows.every((row) => row['operation'] === 4 && (row['action'] === 64 || row['action'] === 65))).toBe(true);

    const user = String(rows[0]!['_userid_value']);
    const mine = (
      await get(
        `${api()}/audits?$filter=_userid_value eq ${user} and createdon lt 2026-03-01T00:00:00Z&$orderby=createdon asc`,
      )
    ).json<Page>().value;
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((row) => row['_userid_value'] === user)).toBe(true);
  });

  it('includes formatted values when annotations are asked for', async () => {
    const result = await get(
      `${api()}/audits?$select=action,createdon,_userid_value,_objectid_value,objecttypecode&$filter=objecttypecode eq 'opportunity'`,
      {
        prefer: 'odata.include-annotations="*",odata.maxpagesize=5',
      },
    );
    const row = result.json<Page>().value[0]!;
    expect(row['_userid_value@OData.Community.Display.V1.FormattedValue']).toEqual(expect.any(String));
    expect(row['_userid_value@Microsoft.Dynamics.CRM.lookuplogicalname']).toBe('systemuser');
    expect(row['_objectid_value@Microsoft.Dynamics.CRM.lookuplogicalname']).toBe('opportunity');
    expect(row['createdon@OData.Community.Display.V1.FormattedValue']).toMatch(
      /^\d{1,2}\/\d{1,2}\/\d{4} \d{1,2}:\d{2} (AM|PM)$/,
    );
    expect(result.json()).toHaveProperty(['@Microsoft.Dynamics.CRM.totalrecordcount'], -1);
  });

  it('ignores $top when maxpagesize is set, and honours it otherwise', async () => {
    const withPrefer = await get(`${api()}/audits?$select=auditid&$top=3`, { prefer: 'odata.maxpagesize=10' });
    expect(withPrefer.json<Page>().value).toHaveLength(10);
    const alone = (await get(`${api()}/audits?$select=auditid&$top=3`)).json<Page>();
    expect(alone.value).toHaveLength(3);
    expect(alone['@odata.nextLink']).toBeUndefined();
  });

  it('answers unsupported queries with the Dataverse error body', async () => {
    const unknown = await get(`${api()}/audits?$select=nosuchcolumn`);
    expect(unknown.status).toBe(400);
    expect(unknown.json()).toEqual({
      error: {
        code: '0x80060888',
        message: "Could not find a property named 'nosuchcolumn' on type 'Microsoft.Dynamics.CRM.audit'.",
      },
    });
    const syntax = await get(`${api()}/audits?$filter=createdon ge`);
    expect(syntax.status).toBe(400);
    expect(syntax.json<{ error: { code: string } }>().error.code).toBe('0x80060888');
  });

  it('shows rows added through the mutation API', async () => {
    const user = sandbox.tenant.directory.users.find(
      (u) => sandbox.tenant.dataverse.findByEntraObjectId(u.id) && u.id !== sandbox.tenant.identity.adminUserId,
    )!;
    const systemUser = sandbox.tenant.dataverse.findByEntraObjectId(user.id)!;
    sandbox.tenant.addAuditRows([
      { entraObjectId: user.id, createdOn: '2026-02-27T10:00:00Z', operation: 2, objectTypeCode: 'quote' },
    ]);
    const rows = (
      await get(
        `${api()}/audits?$filter=_userid_value eq ${systemUser.systemuserid} and createdon eq 2026-02-27T10:00:00Z`,
      )
    ).json<Page>().value;
    expect(rows).toEqual([
      expect.objectContaining({ objecttypecode: 'quote', operation: 2, action: 2, createdon: '2026-02-27T10:00:00Z' }),
    ]);
  });

  it('refuses a Graph token with 401, and a caller that is not an enabled systemuser with 403', async () => {
    const graph = await call(sandbox, 'GET', `${api()}/WhoAmI`, bearer(await appToken(sandbox, 'graph')));
    expect(graph.status).toBe(401);
    expect(graph.json<{ error: { code: string; message: string } }>().error).toEqual({
      code: '0x80072243',
      message: expect.any(String),
    });
    expect(graph.headers['www-authenticate']).toContain('authorization_uri=');
    const appUser = sandbox.tenant.dataverse.findByApplicationId(sandbox.clientId)!;
    appUser.isdisabled = true;
    try {
      const forbidden = await get(`${api()}/WhoAmI`);
      expect(forbidden.status).toBe(403);
      expect(forbidden.json()).toEqual({
        error: { code: '0x80072560', message: 'The user is not a member of the organization.' },
      });
    } finally {
      appUser.isdisabled = false;
    }
  });
});
