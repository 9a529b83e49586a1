import { startSandbox, UNLISTED_SKU_ID, type Sandbox } from '../../src/sandbox';
import { appToken, bearer, call, type HttpResult } from './support/https-client';

interface UserPage {
  '@odata.context': string;
  '@odata.nextLink'?: string;
  value: Record<string, unknown>[];
}

describe('sandbox Microsoft Graph', () => {
  let sandbox: Sandbox;
  let token: string;
  const get = (path: string): Promise<HttpResult> =>
    call(sandbox, 'GET', `${sandbox.graphBaseUrl}/v1.0/${path}`, bearer(token));
  const assign = (userId: string, body: unknown): Promise<HttpResult> =>
    call(sandbox, 'POST', `${sandbox.graphBaseUrl}/v1.0/users/${userId}/assignLicense`, {
      headers: { authorization: `Bearer ${token}` },
      body: body as object,
    });

  beforeAll(async () => {
    sandbox = await startSandbox({ users: 1200, seed: 11, now: new Date('2026-03-01T00:00:00Z') });
    token = await appToken(sandbox, 'graph');
  });
  afterAll(() => sandbox.stop());

  it('pages users with $select and $top by following nextLink verbatim, to exactly the tenant', async () => {
    const seen: Record<string, unknown>[] = [];
    let url: string | undefined =
      `${sandbox.graphBaseUrl}/v1.0/users?$select=id,userPrincipalName,assignedLicenses,licenseAssignmentStates,accountEnabled,userType&$top=500`;
    let pages = 0;
    while (url) {
      const result = await call(sandbox, 'GET', url, bearer(token));
      expect(result.status).toBe(200);
      const page = result.json<UserPage>();
      expect(page['@odata.context']).toBe(
        `${sandbox.graphBaseUrl}/v1.0/$metadata#users(id,userPrincipalName,assignedLicenses,licenseAssignmentStates,accountEnabled,userType)`,
      );
      if (page['@odata.nextLink']) expect(page['@odata.nextLink']).toContain('$skiptoken=');
      seen.push(...page.value);
      url = page['@odata.nextLink'];
      pages++;
    }
    expect(pages).toBe(3);
    const tenantUsers = sandbox.tenant.directory.users;
    expect(seen.map((user) => user['id'])).toEqual(tenantUsers.map((user) => user.id));
    const withBoth = tenantUsers.find(
      (user) =>
        user.licenses.some((s) => s.assignedByGroup) &&
        user.licenses.some(
          (s) => s.assignedByGroup === null && user.licenses.some((g) => g.assignedByGroup && g.skuId === s.skuId),
        ),
    )!;
    const json = seen.find((user) => user['id'] === withBoth.id)!;
    const skuIds = (json['assignedLicenses'] as { skuId: string }[]).map((license) => license.skuId);
    expect(new Set(skuIds).size).toBe(skuIds.length);
    const states = json['licenseAssignmentStates'] as {
      assignedByGroup: string | null;
      state: string;
      error: string;
    }[];
    expect(states.length).toBeGreaterThan(skuIds.length - 1);
    expect(states.some((state) => state.assignedByGroup === null)).toBe(true);
    expect(states.every((state) => state.state === 'Active' && state.error === 'None')).toBe(true);
  });

  it('returns only the default properties without $select, 100 per page', async () => {
    const page = (await get('users')).json<UserPage>();
    expect(page.value).toHaveLength(100);
    expect(Object.keys(page.value[0]!).sort()).toEqual(
      [
        'businessPhones',
        'displayName',
        'givenName',
        'id',
        'jobTitle',
        'mail',
        'mobilePhone',
        'officeLocation',
        'preferredLanguage',
        'surname',
        'userPrincipalName',
      ].sort(),
    );
    expect(page['@odata.nextLink']).not.toContain('$select');
  });

  it('refuses $top=1000 and $skip as Graph does', async () => {
    const top = await get('users?$top=1000');
    expect(top.status).toBe(400);
    expect(top.json()).toMatchObject({
      error: {
        code: 'Request_UnsupportedQuery',
        message: "Invalid page size specified: '1000'. Must be between 1 and 999 inclusive.",
      },
    });
    expect((await get('users?$skip=10')).status).toBe(400);
    const unknown = await get('users?$select=id,shoeSize');
    expect(unknown.status).toBe(400);
    expect(unknown.json<{ error: { innerError: Record<string, string> } }>().error.innerError).toEqual(
      expect.objectContaining({
        'request-id': expect.any(String),
        'client-request-id': expect.any(String),
        date: expect.any(String),
      }),
    );
  });

  it('gets a user by id or UPN, and 404s an unknown one', async () => {
    const user = sandbox.tenant.directory.users[5]!;
    expect((await get(`users/${user.id}`)).json()).toMatchObject({
      id: user.id,
      '@odata.context': `${sandbox.graphBaseUrl}/v1.0/$metadata#users/$entity`,
    });
    expect((await get(`users/${encodeURIComponent(user.userPrincipalName)}?$select=id,accountEnabled`)).json()).toEqual(
      {
        '@odata.context': `${sandbox.graphBaseUrl}/v1.0/$metadata#users(id,accountEnabled)/$entity`,
        id: user.id,
        accountEnabled: user.accountEnabled,
      },
    );
    const missing = await get('users/00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    expect(missing.json()).toMatchObject({ error: { code: 'Request_ResourceNotFound' } });
  });

  it('reports consumedUnits as the users holding each SKU, and the unlisted SKU', async () => {
    const skus = (await get('subscribedSkus')).json<{
      value: {
        skuId: string;
        consumedUnits: number;
        id: string;
        prepaidUnits: Record<string, number>;
        servicePlans: unknown[];
      }[];
    }>().value;
    for (const sku of skus) {
      const holders = sandbox.tenant.directory.users.filter((user) =>
        user.licenses.some((source) => source.skuId === sku.skuId),
      ).length;
      expect(sku.consumedUnits).toBe(holders);
      expect(sku.id).toBe(`${sandbox.tenantId}_${sku.skuId}`);
      expect(Object.keys(sku.prepaidUnits).sort()).toEqual(['enabled', 'lockedOut', 'suspended', 'warning']);
    }
    const unlisted = skus.find((sku) => sku.skuId === UNLISTED_SKU_ID)!;
    expect(unlisted.consumedUnits).toBeGreaterThanOrEqual(3);
  });

  it('removes a direct license, refuses a group-only one, and removes only the direct copy of one held both ways', async () => {
    const users = sandbox.tenant.directory.users;
    const direct = users.find(
      (u) =>
        u.usageLocation &&
        u.licenses.some(
          (s) => s.assignedByGroup === null && !u.licenses.some((g) => g.assignedByGroup && g.skuId === s.skuId),
        ),
    )!;
    const directSku = direct.licenses.find(
      (s) => s.assignedByGroup === null && !direct.licenses.some((g) => g.assignedByGroup && g.skuId === s.skuId),
    )!.skuId;
    const removed = await assign(direct.id, { addLicenses: [], removeLicenses: [directSku] });
    expect(removed.status).toBe(200);
    expect(removed.json()).toMatchObject({
      id: direct.id,
      '@odata.context': `${sandbox.graphBaseUrl}/v1.0/$metadata#users/$entity`,
    });
    expect(sandbox.tenant.directory.requireUser(direct.id).licenses.some((s) => s.skuId === directSku)).toBe(false);

    const inherited = users.find((u) =>
      u.licenses.some(
        (s) => s.assignedByGroup && !u.licenses.some((d) => d.assignedByGroup === null && d.skuId === s.skuId),
      ),
    )!;
    const inheritedSku = inherited.licenses.find(
      (s) => s.assignedByGroup && !inherited.licenses.some((d) => d.assignedByGroup === null && d.skuId === s.skuId),
    )!.skuId;
    const refused = await assign(inherited.id, { addLicenses: [], removeLicenses: [inheritedSku] });
    expect(refused.status).toBe(400);
    expect(refused.json()).toMatchObject({
      error: {
        code: 'Request_BadRequest',
        message: 'User license is inherited from a group membership and it cannot be removed directly from the user.',
      },
    });

    const both = users.find((u) =>
      u.licenses.some(
        (s) => s.assignedByGroup === null && u.licenses.some((g) => g.assignedByGroup && g.skuId === s.skuId),
      ),
    )!;
    const bothSku = both.licenses.find(
      (s) => s.assignedByGroup === null && both.licenses.some((g) => g.assignedByGroup && g.skuId === s.skuId),
    )!.skuId;
    const before = sandbox.tenant.directory.findSubscription(bothSku)!.consumedUnits;
    expect((await assign(both.id, { addLicenses: [], removeLicenses: [bothSku] })).status).toBe(200);
    const remaining = sandbox.tenant.directory.requireUser(both.id).licenses.filter((s) => s.skuId === bothSku);
    expect(remaining.length).toBeGreaterThan(0);
    expect(remaining.every((s) => s.assignedByGroup !== null)).toBe(true);
    expect(sandbox.tenant.directory.findSubscription(bothSku)!.consumedUnits).toBe(before);
    expect(sandbox.requestCounts()['POST /graph/v1.0/users/{id}/assignLicense']).toBe(3);
  });

  it('adds a license and lists it in licenseDetails; requires both assignLicense keys', async () => {
    const user = sandbox.tenant.directory.users.find(
      (u) => u.usageLocation && !u.licenses.some((s) => s.skuId === UNLISTED_SKU_ID),
    )!;
    sandbox.tenant.setPrepaidUnits(UNLISTED_SKU_ID, { enabled: 1000 });
    expect(
      (await assign(user.id, { addLicenses: [{ skuId: UNLISTED_SKU_ID, disabledPlans: [] }], removeLicenses: [] }))
        .status,
    ).toBe(200);
    const details = (await get(`users/${user.id}/licenseDetails`)).json<{
      value: { skuId: string; skuPartNumber: string }[];
    }>();
    expect(details.value).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ skuId: UNLISTED_SKU_ID, skuPartNumber: 'DYN365_SALES_AGENT_2027' }),
      ]),
    );
    const missing = await assign(user.id, { addLicenses: [] });
    expect(missing.status).toBe(400);
  });

  it('serves groups, with assignedLicenses only on $select', async () => {
    const group = [...sandbox.tenant.directory.groups.values()].find((g) => g.displayName === 'Sales team')!;
    const plain = (await get(`groups/${group.id}`)).json();
    expect(plain).toMatchObject({ id: group.id, displayName: 'Sales team' });
    expect(plain).not.toHaveProperty('assignedLicenses');
    const selected = (await get(`groups/${group.id}?$select=id,displayName,description,assignedLicenses`)).json<{
      assignedLicenses: { skuId: string }[];
    }>();
    expect(selected.assignedLicenses[0]!.skuId).toBe('1e1a282c-9c54-43a2-9310-98ef728faace');
  });

  it('answers 401 InvalidAuthenticationToken without a token or with a Dataverse token', async () => {
    const none = await call(sandbox, 'GET', `${sandbox.graphBaseUrl}/v1.0/users`);
    expect(none.status).toBe(401);
    expect(none.json()).toMatchObject({
      error: { code: 'InvalidAuthenticationToken', message: 'Access token is empty.' },
    });
    const wrongAudience = await call(
      sandbox,
      'GET',
      `${sandbox.graphBaseUrl}/v1.0/users`,
      bearer(await appToken(sandbox, 'dynamics')),
    );
    expect(wrongAudience.status).toBe(401);
    expect(wrongAudience.json()).toMatchObject({ error: { code: 'InvalidAuthenticationToken' } });
  });
});
