import { request } from 'node:https';
import {
  createPkcePair,
  MAX_ADVANCED_QUERY_URL,
  MAX_FILTER_CLAUSES,
  UpstreamError,
  type GraphUser,
} from '../../src/connectors';
import { collect, failure, startHarness, type Harness } from './support/harness';

const USERS_ROUTE = 'GET /graph/v1.0/users';

describe('connectors: reading only the licensed users', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ users: 400, seed: 23, dynamicsLicensedShare: 0.1, licenseStates: true });
  });
  afterAll(() => h.close());
  beforeEach(() => h.sandbox.resetRequestCounts());

  const graph = () => h.connectors.clients(h.profile()).graph;
  /** Who holds one of the SKUs, computed from the tenant itself (an Error-state assignment holds nothing). */
  const holders = (skuIds: readonly string[]): string[] =>
    h.sandbox.tenant.directory.users
      .filter((user) =>
        user.licenses.some(
          (source) => skuIds.includes(source.skuId) && (source.state ?? 'Active').startsWith('Active'),
        ),
      )
      .map((user) => user.id)
      .sort();

  it('splits more SKUs than one query may carry into several, and yields each user once', async () => {
    const skuIds = h.sandbox.tenant.directory.subscriptions.map((subscription) => subscription.sku.skuId);
    expect(skuIds.length).toBeGreaterThan(MAX_FILTER_CLAUSES);
    const urls = graph().licensedUsersUrls(skuIds, ['id'], 999);
    expect(urls.length).toBe(Math.ceil(skuIds.length / MAX_FILTER_CLAUSES));
    for (const url of urls) {
      expect(url.length).toBeLessThanOrEqual(MAX_ADVANCED_QUERY_URL);
      expect(decodeURIComponent(new URL(url).searchParams.get('$filter')!).split(' or ').length).toBeLessThanOrEqual(
        MAX_FILTER_CLAUSES,
      );
    }
    const counts: Array<number | null> = [];
    const { items } = await collect(graph().licensedUsersPages(skuIds, undefined, 50, (count) => counts.push(count)));
    const ids = items.map((user: GraphUser) => user.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(holders(skuIds));
    // Graph sends @odata.count only when the advanced query (ConsistencyLevel: eventual) was honoured.
    expect(counts).toHaveLength(urls.length);
    expect(counts.every((count) => typeof count === 'number')).toBe(true);
    expect((counts as number[]).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(ids.length);
    expect(items[0]).toEqual(
      expect.objectContaining({ id: expect.any(String), licenseAssignmentStates: expect.any(Array) }),
    );
  });

  it('returns the same users as the full read filtered on the client, for the Dynamics SKUs', async () => {
    const skuIds = h.sandbox.tenant.directory.subscriptions
      .filter((subscription) => subscription.sku.family === 'dynamics')
      .map((subscription) => subscription.sku.skuId);
    const filtered = (await collect(graph().licensedUsersPages(skuIds))).items;
    const full = (await collect(graph().usersPages())).items.filter((user) =>
      (user.assignedLicenses ?? []).some((license) => skuIds.includes(license.skuId)),
    );
    expect(filtered.map((user) => user.id).sort()).toEqual(full.map((user) => user.id).sort());
    expect(filtered.length).toBeLessThan(h.sandbox.tenant.directory.users.length / 3);
  });

  it('reads the whole directory once when the split queries would return more rows than it holds', async () => {
    // Every SKU the tenant has: most users hold one, and the SKUs take several queries.
    const skuIds = h.sandbox.tenant.directory.subscriptions.map((subscription) => subscription.sku.skuId);
    const urls = graph().licensedUsersUrls(skuIds, ['id'], 50);
    const plans: unknown[] = [];
    const counts: Array<number | null> = [];
    const { items } = await collect(
      graph().licensedUsersPages(
        skuIds,
        undefined,
        50,
        (count) => counts.push(count),
        (plan) => plans.push(plan),
      ),
    );
    const rows = (counts as number[]).reduce((a, b) => a + b, 0);
    const directory = h.sandbox.tenant.directory.users.length;
    expect(rows).toBeGreaterThan(directory);
    expect(plans).toEqual([{ read: 'directory', queries: urls.length, rows, directory }]);
    expect(items.map((user: GraphUser) => user.id).sort()).toEqual(holders(skuIds));
    // Sizing (one $top=1 request per query and one for the directory), then each directory page once.
    expect(h.count(USERS_ROUTE)).toBe(urls.length + 1 + Math.ceil(directory / 50));
  });

  it('keeps the filtered queries when together they return fewer rows than the directory', async () => {
    const dynamics = h.sandbox.tenant.directory.subscriptions
      .filter((subscription) => subscription.sku.family === 'dynamics')
      .map((subscription) => subscription.sku.skuId);
    // Enough SKUs for two queries, few enough holders that filtering pays.
    const skuIds = [...dynamics, ...Array.from({ length: MAX_FILTER_CLAUSES }, (_, i) => fakeSku(i))];
    const plans: Array<{ read: string }> = [];
    const { items } = await collect(graph().licensedUsersPages(skuIds, undefined, 50, undefined, (p) => plans.push(p)));
    expect(plans.map((p) => p.read)).toEqual(['filtered']);
    expect(items.map((user: GraphUser) => user.id).sort()).toEqual(holders(skuIds));
  });

  it('maps a withheld permission (403 Authorization_RequestDenied) to a permission error naming it', async () => {
    h.sandbox.tenant.app.graphApplicationRoles = ['LicenseAssignment.Read.All'];
    h.connectors.tokens.clear();
    try {
      const error = await failure(collect(graph().usersPages()));
      expect(error).toBeInstanceOf(UpstreamError);
      expect(error).toMatchObject({
        service: 'graph',
        cause: 'permission',
        status: 403,
        microsoftCode: 'Authorization_RequestDenied',
      });
      expect((error as Error).message).toContain('User.Read.All');
      expect(h.count(USERS_ROUTE)).toBe(1);
    } finally {
      h.sandbox.tenant.app.graphApplicationRoles = [
        'User.Read.All',
        'GroupMember.Read.All',
        'Organization.Read.All',
        'LicenseAssignment.ReadWrite.All',
      ];
      h.connectors.tokens.clear();
    }
  });

  it('sends the admin to an error page (AADSTS50011) when the redirect URI is not registered', async () => {
    h.sandbox.registerRedirectUri('https://ledger.example.test/api/v1/oauth/callback');
    const app = {
      authorityHost: h.sandbox.authorityHost,
      tenantId: h.sandbox.tenantId,
      clientId: h.sandbox.clientId,
      clientSecret: () => h.sandbox.clientSecret,
    };
    const pkce = await createPkcePair();
    const authorize = (redirectUri: string) =>
      h.connectors.authorizationUrl({
        ...app,
        redirectUri,
        scopes: h.connectors.graphDelegatedScopes(h.sandbox.graphBaseUrl),
        state: 's',
        codeChallenge: pkce.challenge,
      });
    const registered = await get(await authorize('https://ledger.example.test/api/v1/oauth/callback'));
    expect(registered.status).toBe(302);
    const refused = await get(await authorize('https://other.example.test/api/v1/oauth/callback'));
    expect(refused.status).toBe(400);
    expect(JSON.parse(refused.body)).toMatchObject({ error: 'invalid_request', error_codes: [50011] });
  });

  function get(url: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      request(url, { ca: h.sandbox.caPem }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      })
        .on('error', reject)
        .end();
    });
  }
});

/** A well-formed skuId no tenant holds. */
function fakeSku(i: number): string {
  return `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
}
