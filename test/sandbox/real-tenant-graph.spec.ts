import { startSandbox, type Sandbox } from '../../src/sandbox';
import { parseSandboxArgs, SANDBOX_USAGE } from '../../src/sandbox/cli-options';
import { delegatedToken } from './support/delegated';
import { appToken, bearer, call, form } from './support/https-client';

const now = new Date('2026-06-30T12:00:00Z');

async function discoveryAppToken(sandbox: Sandbox): Promise<string> {
  const result = await call(
    sandbox,
    'POST',
    `${sandbox.authority}/oauth2/v2.0/token`,
    form({
      grant_type: 'client_credentials',
      client_id: sandbox.clientId,
      client_secret: sandbox.clientSecret,
      scope: `${sandbox.discoveryBaseUrl}/.default`,
    }),
  );
  return result.json<{ access_token: string }>().access_token;
}

describe('sandbox: Graph as strict as Microsoft, discovery, redirect URIs', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({
      users: 200,
      seed: 21,
      now,
      realistic: true,
      withholdGraphRoles: ['User.Read.All'],
      redirectUris: ['https://ledger.example.test/api/v1/oauth/callback', 'http://localhost/cb'],
      adminEnvironmentsPageSize: 2,
    });
  });
  afterAll(() => sandbox.stop());

  const users = (query: string, token: string, headers: Record<string, string> = {}) =>
    call(sandbox, 'GET', `${sandbox.graphBaseUrl}/v1.0/users?${query}`, bearer(token, headers));

  it('refuses an operation whose permission was withheld with 403 Authorization_RequestDenied', async () => {
    const token = await appToken(sandbox, 'graph');
    const refused = await users('$top=1', token);
    expect(refused.status).toBe(403);
    expect(refused.json()).toMatchObject({
      error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' },
    });
    expect((await call(sandbox, 'GET', `${sandbox.graphBaseUrl}/v1.0/subscribedSkus`, bearer(token))).status).toBe(200);
    await call(sandbox, 'PUT', `${sandbox.url}/_sandbox/app/graph-roles`, {
      body: { roles: ['User.Read.All', 'LicenseAssignment.Read.All'] },
    });
    expect((await users('$top=1', token)).status).toBe(403);
    expect((await users('$top=1', await appToken(sandbox, 'graph'))).status).toBe(200);
  });

  it('filters users by licences joined with or; more than 15 clauses need the advanced query parameters', async () => {
    const token = await appToken(sandbox, 'graph');
    const skus = sandbox.tenant.directory.subscriptions.map((subscription) => subscription.sku.skuId);
    expect(skus.length).toBeGreaterThan(15);
    const filter = encodeURIComponent(skus.map((id) => `assignedLicenses/any(x:x/skuId eq ${id})`).join(' or '));
    const plain = await users(`$filter=${filter}&$select=id&$top=999`, token);
    expect(plain.status).toBe(400);
    expect(plain.json()).toMatchObject({
      error: {
        code: 'Request_UnsupportedQuery',
        message: `Too many child clauses specified in search filter expression containing 'OR' operators: ${skus.length}. Max allowed: 15.`,
      },
    });
    const advanced = await users(`$filter=${filter}&$select=id&$top=999&$count=true`, token, {
      ConsistencyLevel: 'eventual',
    });
    expect(advanced.status).toBe(200);
    const holders = sandbox.tenant.directory.users.filter((user) =>
      user.licenses.some((source) => source.state !== 'Error' && source.state !== 'Disabled'),
    );
    expect(advanced.json()).toMatchObject({ '@odata.count': holders.length });
  });

  it('ignores $count=true without ConsistencyLevel, as Graph does, and matches only held licences', async () => {
    const token = await appToken(sandbox, 'graph');
    const errored = sandbox.tenant.truth.nonActiveAssignments.find((assignment) => assignment.state === 'Error')!;
    const filter = encodeURIComponent(`assignedLicenses/any(x:x/skuId eq ${errored.skuId})`);
    const result = await users(`$filter=${filter}&$select=id,licenseAssignmentStates&$top=999&$count=true`, token);
    expect(result.status).toBe(200);
    const body = result.json<{ value: Array<{ id: string }>; '@odata.count'?: number }>();
    expect(body['@odata.count']).toBeUndefined();
    expect(body.value.map((user) => user.id)).not.toContain(errored.userId);
    const one = await call(
      sandbox,
      'GET',
      `${sandbox.graphBaseUrl}/v1.0/users/${errored.userId}?$select=assignedLicenses,licenseAssignmentStates`,
      bearer(token),
    );
    const user = one.json<{ assignedLicenses: Array<{ skuId: string }>; licenseAssignmentStates: unknown[] }>();
    expect(user.assignedLicenses.map((license) => license.skuId)).not.toContain(errored.skuId);
    expect(user.licenseAssignmentStates).toContainEqual(
      expect.objectContaining({
        skuId: errored.skuId,
        state: 'Error',
        error: 'CountViolation',
        assignedByGroup: errored.assignedByGroup,
      }),
    );
  });

  it('lists a Company-scoped SKU and units in grace, suspended and locked out', async () => {
    const token = await appToken(sandbox, 'graph');
    const skus = (await call(sandbox, 'GET', `${sandbox.graphBaseUrl}/v1.0/subscribedSkus`, bearer(token))).json<{
      value: Array<{
        skuPartNumber: string;
        appliesTo: string;
        prepaidUnits: Record<string, number>;
        consumedUnits: number;
      }>;
    }>().value;
    expect(skus.find((sku) => sku.skuPartNumber === 'CDS_DB_CAPACITY')).toMatchObject({
      appliesTo: 'Company',
      consumedUnits: 0,
    });
    expect(
      skus.find((sku) => sku.skuPartNumber === 'DYN365_ENTERPRISE_CUSTOMER_SERVICE')!.prepaidUnits['warning'],
    ).toBe(5);
    expect(skus.find((sku) => sku.skuPartNumber === 'DYN365_RETAIL')!.prepaidUnits['lockedOut']).toBe(3);
  });

  it('lists environments for a management app, page by page, without Dataverse ones carrying no instance URL', async () => {
    const token = await discoveryAppToken(sandbox);
    const base = `${sandbox.discoveryBaseUrl}/providers/Microsoft.BusinessAppPlatform/scopes/admin/environments`;
    const items: Array<{ properties: { linkedEnvironmentMetadata?: { instanceUrl: string } } }> = [];
    let url: string | undefined = `${base}?api-version=2020-10-01`;
    let pages = 0;
    while (url) {
      const page = await call(sandbox, 'GET', url, bearer(token));
      expect(page.status).toBe(200);
      const body = page.json<{ value: typeof items; nextLink?: string }>();
      items.push(...body.value);
      url = body.nextLink;
      pages++;
    }
    expect(pages).toBe(2);
    expect(items.map((item) => item.properties.linkedEnvironmentMetadata?.instanceUrl ?? null)).toEqual([
      ...sandbox.environmentUrls.map((environmentUrl) => `${environmentUrl}/`),
      null,
    ]);
    expect((await call(sandbox, 'GET', base, bearer(token))).status).toBe(400);
    await call(sandbox, 'PATCH', `${sandbox.url}/_sandbox/app`, { body: { powerPlatformManagementApp: false } });
    expect((await call(sandbox, 'GET', `${base}?api-version=2020-10-01`, bearer(token))).status).toBe(403);
    await call(sandbox, 'PATCH', `${sandbox.url}/_sandbox/app`, { body: { powerPlatformManagementApp: true } });
  });

  it('answers the Global Discovery Service for a signed-in user with the environments they are a user of', async () => {
    const token = await delegatedToken(sandbox, `${sandbox.discoveryBaseUrl}/user_impersonation`);
    const instances = await call(
      sandbox,
      'GET',
      `${sandbox.discoveryBaseUrl}/api/discovery/v2.0/Instances?$select=ApiUrl,FriendlyName`,
      bearer(token),
    );
    expect(instances.status).toBe(200);
    expect(instances.json<{ value: Array<{ ApiUrl: string }> }>().value.map((instance) => instance.ApiUrl)).toEqual(
      sandbox.environmentUrls,
    );
    const app = await call(
      sandbox,
      'GET',
      `${sandbox.discoveryBaseUrl}/api/discovery/v2.0/Instances`,
      bearer(await discoveryAppToken(sandbox)),
    );
    expect(app.status).toBe(403);
  });

  it('refuses an unregistered redirect URI with AADSTS50011, ignoring only a loopback port', async () => {
    const authorize = (redirectUri: string) =>
      call(
        sandbox,
        'GET',
        `${sandbox.authority}/oauth2/v2.0/authorize?${new URLSearchParams({ client_id: sandbox.clientId, response_type: 'code', redirect_uri: redirectUri, scope: 'openid offline_access User.Read.All' })}`,
      );
    expect((await authorize('https://ledger.example.test/api/v1/oauth/callback')).status).toBe(302);
    expect((await authorize('http://localhost:5000/cb')).status).toBe(302);
    const refused = await authorize('https://ledger.example.test/API/v1/oauth/callback');
    expect(refused.status).toBe(400);
    expect(refused.json()).toMatchObject({ error: 'invalid_request', error_codes: [50011] });
    await call(sandbox, 'POST', `${sandbox.url}/_sandbox/app/redirect-uris`, {
      body: { uri: 'https://ledger.example.test/API/v1/oauth/callback' },
    });
    expect((await authorize('https://ledger.example.test/API/v1/oauth/callback')).status).toBe(302);
  });
});

describe('sandbox: command line', () => {
  it('lists every flag in --help and parses the cases into start options', () => {
    for (const flag of [
      '--realistic',
      '--environments',
      '--audit-off',
      '--log-deleted',
      '--user-access-off',
      '--access-interval',
      '--unaudited-tables',
      '--no-audit-read',
      '--impersonated-rows',
      '--common-only-users',
      '--license-states',
      '--company-sku',
      '--grace-units',
      '--withhold-graph-role',
      '--redirect-uri',
      '--no-management-app',
      '--platform-only-environments',
      '--dynamics-share',
    ])
      expect(SANDBOX_USAGE).toContain(flag);
    expect(
      parseSandboxArgs([
        '--realistic',
        '--audit-off',
        '40:33',
        '--withhold-graph-role',
        'User.Read.All',
        '--environments',
        'sales,service',
      ]),
    ).toMatchObject({
      realistic: true,
      primaryAudit: { auditOffDaysAgo: [[40, 33]] },
      withholdGraphRoles: ['User.Read.All'],
      environments: [{ name: 'sales' }, { name: 'service' }],
    });
    expect(() => parseSandboxArgs(['--audit-off', '3:9'])).toThrow(/FROM > TO/);
    expect(() => parseSandboxArgs(['--bogus'])).toThrow(/unknown option/);
  });
});
