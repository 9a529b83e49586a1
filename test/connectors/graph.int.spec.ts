import { request as httpsRequest } from 'node:https';
import { UpstreamError, type ConnectionTarget, type GraphClient, type RetryEvent } from '../../src/connectors';
import { collect, failure, startHarness, type Harness } from './support/harness';

const SELECT = [
  'id',
  'userPrincipalName',
  'displayName',
  'accountEnabled',
  'userType',
  'assignedLicenses',
  'licenseAssignmentStates',
];
const USERS_ROUTE = 'GET /graph/v1.0/users';

describe('connectors: Graph client against the sandbox over HTTPS', () => {
  let h: Harness;
  let graph: GraphClient;
  let retries: RetryEvent[];

  beforeAll(async () => {
    h = await startHarness({ users: 60 });
  });
  afterAll(() => h.close());
  beforeEach(() => {
    retries = [];
    graph = h.connectors.clients(h.profile(), { onRetry: (event) => retries.push(event) }).graph;
    h.sandbox.resetRequestCounts();
  });
  afterEach(() => h.sandbox.faults.clear());

  const tenantUsers = () =>
    h.sandbox.tenant.directory.users.map((user) => ({ id: user.id, userPrincipalName: user.userPrincipalName }));
  const sortById = <T extends { id: string }>(items: T[]) => [...items].sort((a, b) => a.id.localeCompare(b.id));

  it('pages users to the end with $select and $top, and the result is the tenant', async () => {
    const { items, pages } = await collect(graph.usersPages(SELECT, 25));
    expect(pages).toBe(Math.ceil(tenantUsers().length / 25));
    expect(sortById(items.map((u) => ({ id: u.id, userPrincipalName: u.userPrincipalName! })))).toEqual(
      sortById(tenantUsers()),
    );
    for (const user of items) expect(Object.keys(user).sort()).toEqual([...SELECT].sort());
    expect(h.count(USERS_ROUTE)).toBe(pages);
  });

  it('requests @odata.nextLink exactly as Graph sent it', async () => {
    const target: ConnectionTarget = {
      authorityHost: h.sandbox.authorityHost,
      tenantId: h.sandbox.tenantId,
      clientId: h.sandbox.clientId,
      clientSecret: () => h.sandbox.clientSecret,
      permissionType: 'application',
      resource: h.sandbox.graphBaseUrl,
    };
    const token = await h.connectors.tokens.accessToken(target);
    const first = await getJson(`${graph.baseUrl}/users?$select=${SELECT.join(',')}&$top=25`, token, h.sandbox.caPem);
    const nextLink = first['@odata.nextLink'] as string;
    const link = new URL(nextLink);
    const probe = h.sandbox.faults.add({
      family: 'graph',
      pathContains: `${link.pathname}${link.search}`,
      kind: 'slow',
      delayMs: 0,
      times: 1000,
    });

    await collect(graph.usersPages(SELECT, 25));
    expect(h.sandbox.faults.list().find((rule) => rule.id === probe.id)?.matched).toBe(1);
  });

  it('waits out a 429 with Retry-After and then succeeds', async () => {
    h.sandbox.faults.add({ family: 'graph', pathContains: '/users', kind: 'throttle', retryAfterSeconds: 7, after: 1 });
    const { items } = await collect(graph.usersPages(SELECT, 25));
    expect(items).toHaveLength(tenantUsers().length);
    expect(retries).toEqual([
      expect.objectContaining({
        service: 'graph',
        method: 'GET',
        path: '/graph/v1.0/users',
        status: 429,
        cause: 'throttled',
        attempt: 1,
        waitSource: 'retry-after',
        waitMs: 20,
      }),
    ]);
  });

  it('gives up on a 503 storm after the last attempt with cause unavailable', async () => {
    h.sandbox.faults.add({ family: 'graph', kind: 'unavailable', times: 100, retryAfterSeconds: 1 });
    const error = await failure(graph.firstUsersPage(SELECT));
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({
      service: 'graph',
      cause: 'unavailable',
      status: 503,
      microsoftCode: 'serviceNotAvailable',
      attempts: 4,
      kind: 'unavailable',
    });
    expect(h.count(USERS_ROUTE)).toBe(4);
    expect(retries.map((r) => r.attempt)).toEqual([1, 2, 3]);
  });

  it('retries a truncated (malformed) page', async () => {
    h.sandbox.faults.add({ family: 'graph', pathContains: '$skiptoken', kind: 'malformed' });
    const { items } = await collect(graph.usersPages(SELECT, 25));
    expect(sortById(items.map((u) => ({ id: u.id, userPrincipalName: u.userPrincipalName! })))).toEqual(
      sortById(tenantUsers()),
    );
    expect(retries).toEqual([
      expect.objectContaining({ cause: 'invalid-response', status: 200, waitSource: 'backoff' }),
    ]);
  });

  it('retries a request that never gets an answer, once the fault has cleared', async () => {
    h.sandbox.faults.add({ family: 'graph', pathContains: '/users', kind: 'timeout' });
    await expect(graph.firstUsersPage(SELECT)).resolves.toHaveLength(1);
    expect(retries).toEqual([expect.objectContaining({ cause: 'network', status: null })]);
    expect(h.count(USERS_ROUTE)).toBe(2);
  });

  it('retries a reset connection', async () => {
    h.sandbox.faults.add({ family: 'graph', pathContains: '/users', kind: 'reset' });
    await expect(graph.firstUsersPage(SELECT)).resolves.toHaveLength(1);
    expect(retries).toEqual([expect.objectContaining({ cause: 'network' })]);
  });

  it('answers a 401 (expired token) with exactly one fresh token, then succeeds', async () => {
    await graph.firstUsersPage(SELECT);
    const tokensBefore = h.tokenRequests();
    h.sandbox.faults.add({ family: 'graph', kind: 'expire-token' });
    await expect(graph.firstUsersPage(SELECT)).resolves.toHaveLength(1);
    expect(h.tokenRequests() - tokensBefore).toBe(1);
  });

  it('recovers from revoked tokens with one fresh token', async () => {
    await graph.firstUsersPage(SELECT);
    const tokensBefore = h.tokenRequests();
    h.sandbox.tokens.revokeAll();
    await expect(graph.firstUsersPage(SELECT)).resolves.toHaveLength(1);
    expect(h.tokenRequests() - tokensBefore).toBe(1);
  });

  it('reports a second 401 as authentication without asking again', async () => {
    await graph.firstUsersPage(SELECT);
    const tokensBefore = h.tokenRequests();
    h.sandbox.faults.add({ family: 'graph', kind: 'expire-token', times: 5 });
    await expect(graph.firstUsersPage(SELECT)).rejects.toMatchObject({
      service: 'graph',
      cause: 'authentication',
      status: 401,
      microsoftCode: 'InvalidAuthenticationToken',
    });
    expect(h.tokenRequests() - tokensBefore).toBe(1);
    expect(h.count(USERS_ROUTE)).toBe(3);
  });

  it('maps an unknown user to not-found', async () => {
    await expect(graph.user('00000000-0000-0000-0000-00000000dead')).rejects.toMatchObject({
      service: 'graph',
      cause: 'not-found',
      status: 404,
      microsoftCode: 'Request_ResourceNotFound',
    });
  });

  it('reads subscribed SKUs with units and service plans, and a group by id', async () => {
    const skus = await graph.subscribedSkus();
    const summary = h.sandbox.tenant.summary();
    expect(skus.map((s) => s.skuPartNumber).sort()).toEqual(summary.skus.map((s) => s.skuPartNumber).sort());
    for (const sku of skus) {
      expect(sku).toMatchObject({
        skuId: expect.any(String),
        capabilityStatus: expect.any(String),
        appliesTo: expect.any(String),
        consumedUnits: expect.any(Number),
      });
      expect(sku.prepaidUnits).toMatchObject({
        enabled: expect.any(Number),
        suspended: expect.any(Number),
        warning: expect.any(Number),
      });
      expect(Array.isArray(sku.servicePlans)).toBe(true);
    }
    const group = summary.groups[0]!;
    await expect(graph.group(group.id)).resolves.toEqual({ id: group.id, displayName: group.displayName });
  });

  describe('assignLicense', () => {
    const sku = () => h.sandbox.tenant.summary().skus.find((s) => s.skuPartNumber === 'D365_SALES_PRO')!;

    it('removes a direct license', async () => {
      const user = h.sandbox.tenant.addUser({
        displayName: 'Direct Dana',
        userPrincipalName: `dana.${Date.now()}@example.test`,
      });
      h.sandbox.tenant.setPrepaidUnits(sku().skuId, { enabled: 10_000 });
      h.sandbox.tenant.assignLicense(user.id, sku().skuId);
      const updated = await graph.assignLicense(user.id, { addLicenses: [], removeLicenses: [sku().skuId] });
      expect(updated.id).toBe(user.id);
      expect(h.sandbox.tenant.directory.requireUser(user.id).licenses).toEqual([]);
    });

    it("reports a group-inherited license as rejected with Graph's reason", async () => {
      const user = h.sandbox.tenant.addUser({
        displayName: 'Grouped Gil',
        userPrincipalName: `gil.${Date.now()}@example.test`,
      });
      const group = h.sandbox.tenant.addGroup({ displayName: `Sales ${Date.now()}`, licenses: [sku().skuId] });
      h.sandbox.tenant.addGroupMember(group.id, user.id);
      const error = await failure(graph.assignLicense(user.id, { addLicenses: [], removeLicenses: [sku().skuId] }));
      expect(error).toMatchObject({
        service: 'graph',
        cause: 'rejected',
        status: 400,
        microsoftCode: 'Request_BadRequest',
      });
      expect((error as Error).message).toMatch(/group/i);
    });

    it('does not repeat a write whose outcome is unknown (connection reset)', async () => {
      const user = h.sandbox.tenant.addUser({
        displayName: 'Reset Rae',
        userPrincipalName: `rae.${Date.now()}@example.test`,
      });
      h.sandbox.tenant.assignLicense(user.id, sku().skuId);
      h.sandbox.faults.add({ family: 'graph', pathContains: 'assignLicense', kind: 'reset' });
      const error = await failure(graph.assignLicense(user.id, { addLicenses: [], removeLicenses: [sku().skuId] }));
      expect(error).toMatchObject({ service: 'graph', cause: 'network' });
      expect((error as Error).message).toContain('may or may not have been applied');
      expect(h.count('POST /graph/v1.0/users/{id}/assignLicense')).toBe(1);
    });

    it('repeats a write that was throttled (429 means not processed)', async () => {
      const user = h.sandbox.tenant.addUser({
        displayName: 'Throttled Theo',
        userPrincipalName: `theo.${Date.now()}@example.test`,
      });
      h.sandbox.tenant.assignLicense(user.id, sku().skuId);
      h.sandbox.faults.add({ family: 'graph', pathContains: 'assignLicense', kind: 'throttle' });
      await graph.assignLicense(user.id, { addLicenses: [], removeLicenses: [sku().skuId] });
      expect(h.count('POST /graph/v1.0/users/{id}/assignLicense')).toBe(2);
      expect(h.sandbox.tenant.directory.requireUser(user.id).licenses).toEqual([]);
    });
  });
});

function getJson(url: string, token: string, ca: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { headers: { authorization: `Bearer ${token}` }, ca, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
