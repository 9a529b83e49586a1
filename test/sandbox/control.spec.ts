import { startSandbox, type Sandbox } from '../../src/sandbox';
import { appToken, bearer, call, type HttpResult } from './support/https-client';

describe('sandbox control API (/_sandbox)', () => {
  let sandbox: Sandbox;
  const control = (method: string, path: string, body?: object): Promise<HttpResult> =>
    call(sandbox, method, `${sandbox.url}/_sandbox${path}`, body ? { body } : {});

  beforeAll(async () => {
    sandbox = await startSandbox({ users: 100, seed: 13, now: new Date('2026-04-01T00:00:00Z') });
  });
  afterAll(() => sandbox.stop());

  it('describes the sandbox, including the profile body', async () => {
    const info = (await control('GET', '')).json<{ tenantId: string; profile: Record<string, unknown> }>();
    expect(info.tenantId).toBe(sandbox.tenantId);
    expect(info.profile).toEqual(sandbox.profileBody());
    expect(sandbox.profileBody()).toMatchObject({
      cloud: 'custom',
      endpoints: { authorityHost: sandbox.url, graphBaseUrl: `${sandbox.url}/graph` },
      analyzeActivityFrom: '2025-09-30',
      downloadActivity: true,
      subscriptionConnection: {
        tenantId: sandbox.tenantId,
        clientId: sandbox.clientId,
        clientSecret: sandbox.clientSecret,
      },
      activityConnection: { environmentUrl: `${sandbox.url}/dynamics`, permissionType: 'application' },
    });
    expect(
      sandbox.profileBody({ displayName: 'x', activityConnection: { permissionType: 'delegated' } }),
    ).toMatchObject({
      displayName: 'x',
      activityConnection: { permissionType: 'delegated', clientId: sandbox.clientId },
    });
  });

  it('adds a user, licenses it directly and through a group, and Graph shows it', async () => {
    const created = await control('POST', '/users', {
      displayName: 'Casey Control',
      userPrincipalName: 'casey.control@licenseledgersandbox.onmicrosoft.com',
    });
    expect(created.status).toBe(201);
    const userId = created.json<{ id: string }>().id;
    const service = [...sandbox.tenant.directory.groups.values()].find((g) => g.displayName === 'Service desk')!;
    expect((await control('POST', `/users/${userId}/licenses`, { sku: 'DYN365_TEAM_MEMBERS' })).status).toBe(200);
    expect((await control('POST', `/groups/${service.id}/members`, { userId })).status).toBe(204);
    const view = (await control('GET', `/users/${userId}`)).json<{
      licenses: { skuPartNumber: string; assignedByGroup: string | null }[];
      systemUserId: string | null;
    }>();
    expect(view.licenses.map((l) => [l.skuPartNumber, l.assignedByGroup])).toEqual([
      ['DYN365_TEAM_MEMBERS', null],
      ['DYN365_ENTERPRISE_CUSTOMER_SERVICE', service.id],
    ]);
    expect(view.systemUserId).toEqual(expect.any(String));

    const token = await appToken(sandbox, 'graph');
    const graph = await call(
      sandbox,
      'GET',
      `${sandbox.graphBaseUrl}/v1.0/users/${userId}?$select=id,licenseAssignmentStates`,
      bearer(token),
    );
    expect(graph.json<{ licenseAssignmentStates: unknown[] }>().licenseAssignmentStates).toHaveLength(2);

    const refused = await control('DELETE', `/users/${userId}/licenses/DYN365_ENTERPRISE_CUSTOMER_SERVICE`);
    expect(refused.status).toBe(400);
    expect(refused.json()).toMatchObject({ error: { code: 'group_inherited' } });
    expect((await control('DELETE', `/users/${userId}`)).status).toBe(204);
    expect((await control('GET', `/users/${userId}`)).status).toBe(404);
  });

  it('sets prepaid units, adds audit rows and rotates the secret', async () => {
    const units = await control('PATCH', '/skus/DYN365_ENTERPRISE_SALES/prepaidUnits', { enabled: 7, warning: 2 });
    expect(units.json()).toMatchObject({ enabled: 7, warning: 2 });
    const user = sandbox.tenant.directory.users.find((u) => sandbox.tenant.dataverse.findByEntraObjectId(u.id))!;
    const added = await control('POST', '/audits', {
      rows: [{ entraObjectId: user.id, createdOn: '2026-03-31T08:00:00Z', operation: 4, objectTypeCode: 'systemuser' }],
    });
    expect(added.json()).toEqual({ added: 1 });
    const old = sandbox.clientSecret;
    const rotated = await control('POST', '/client-secret', {});
    expect(rotated.json<{ clientSecret: string }>().clientSecret).toBe(sandbox.clientSecret);
    expect(sandbox.clientSecret).not.toBe(old);
  });

  it('counts requests per route, so a test can assert how often a call was made', async () => {
    expect((await control('DELETE', '/requests')).status).toBe(204);
    const token = await appToken(sandbox, 'graph');
    const user = sandbox.tenant.directory.users.find((u) => u.licenses.some((s) => s.assignedByGroup === null))!;
    const skuId = user.licenses.find((s) => s.assignedByGroup === null)!.skuId;
    await call(sandbox, 'POST', `${sandbox.graphBaseUrl}/v1.0/users/${user.id}/assignLicense`, {
      headers: { authorization: `Bearer ${token}` },
      body: { addLicenses: [], removeLicenses: [skuId] },
    });
    await call(sandbox, 'GET', `${sandbox.graphBaseUrl}/v1.0/subscribedSkus`, bearer(token));
    const counts = (await control('GET', '/requests')).json<Record<string, number>>();
    expect(counts).toEqual({
      'POST /{tenant}/oauth2/v2.0/token': 1,
      'POST /graph/v1.0/users/{id}/assignLicense': 1,
      'GET /graph/v1.0/subscribedSkus': 1,
    });
    expect(sandbox.requestCounts()).toEqual(counts);
  });

  it('answers unknown control routes and bad input with a JSON error', async () => {
    expect((await control('GET', '/nope')).status).toBe(404);
    expect((await control('POST', '/users', { displayName: 'no upn' })).status).toBe(400);
  });
});
