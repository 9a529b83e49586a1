import { MicrosoftConnectors, UpstreamError } from '../../src/connectors';
import { CapturingLogger, FAST_RETRIES, failure, startHarness, type Harness } from './support/harness';

describe('connectors: Entra tokens (MSAL against the sandbox over HTTPS)', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());
  afterEach(() => h.sandbox.faults.clear());

  it('gets client-credentials tokens for Graph and Dataverse and reuses them from MSAL cache', async () => {
    const { graph, dataverse } = h.connectors.clients(h.profile());
    const before = h.tokenRequests();
    await graph.firstUsersPage();
    await dataverse!.whoAmI();
    expect(h.tokenRequests() - before).toBe(2);
    await graph.firstUsersPage();
    await dataverse!.whoAmI();
    expect(h.tokenRequests() - before).toBe(2);
  });

  it('reports a wrong secret as cause authentication with AADSTS7000215 and the fix', async () => {
    const { graph } = h.connectors.clients(
      h.profile({
        subscription: {
          clientId: h.sandbox.clientId,
          permissionType: 'application',
          clientSecret: () => 'abc8Q~not-the-secret',
        },
      }),
    );
    const error = await failure(graph.firstUsersPage());
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({
      service: 'entra',
      cause: 'authentication',
      microsoftCode: 'AADSTS7000215',
      status: 401,
      kind: 'upstream',
      code: 'entra-authentication',
    });
    expect((error as UpstreamError).message).toContain('Entra rejected the client secret (AADSTS7000215)');
    expect((error as UpstreamError).message).toContain('Certificates & secrets');
    expect((error as UpstreamError).message).not.toContain('not-the-secret');
  });

  it('picks up a rotated secret on the next call (one MSAL app per app registration and secret)', async () => {
    const { graph } = h.connectors.clients(h.profile());
    await graph.firstUsersPage();
    const newSecret = h.sandbox.tenant.rotateClientSecret();
    const fresh = h.connectors.clients(h.profile());
    h.sandbox.tokens.revokeAll();
    await expect(fresh.graph.firstUsersPage()).resolves.toHaveLength(1);
    expect(h.sandbox.clientSecret).toBe(newSecret);
  });

  it('maps an unknown client id to configuration (AADSTS700016)', async () => {
    const { graph } = h.connectors.clients(
      h.profile({
        subscription: {
          clientId: '11111111-2222-3333-4444-555555555555',
          permissionType: 'application',
          clientSecret: () => 'x',
        },
      }),
    );
    await expect(graph.firstUsersPage()).rejects.toMatchObject({
      service: 'entra',
      cause: 'configuration',
      microsoftCode: 'AADSTS700016',
    });
  });

  it('maps an unknown tenant to configuration (AADSTS90002)', async () => {
    const { graph } = h.connectors.clients(h.profile({ tenantId: '00000000-0000-0000-0000-000000000001' }));
    await expect(graph.firstUsersPage()).rejects.toMatchObject({
      service: 'entra',
      cause: 'configuration',
      microsoftCode: 'AADSTS90002',
    });
  });

  /** A connectors instance of its own: no token cached yet. */
  async function withFreshConnectors(
    run: (connectors: MicrosoftConnectors) => Promise<void>,
    maxAttempts = FAST_RETRIES.maxAttempts,
  ): Promise<void> {
    const connectors = new MicrosoftConnectors({
      ...FAST_RETRIES,
      maxAttempts,
      trustedCaPems: [h.sandbox.caPem],
      logger: new CapturingLogger(),
    });
    try {
      await run(connectors);
    } finally {
      connectors.close();
    }
  }

  it('retries a throttled token endpoint and then gets the token (MSAL never sees the 429)', async () => {
    const rule = h.sandbox.faults.add({ family: 'token', kind: 'throttle', times: 2, retryAfterSeconds: 1 });
    const before = h.tokenRequests();
    await withFreshConnectors(async (connectors) => {
      await expect(connectors.clients(h.profile()).dataverse!.whoAmI()).resolves.toMatchObject({
        UserId: expect.any(String),
      });
      // Had MSAL seen the 429 it would answer this identical request from its throttling cache, without a request.
      const target = {
        ...h.profile(),
        ...h.profile().subscription,
        permissionType: 'application' as const,
        resource: h.sandbox.environmentUrl,
      };
      await expect(connectors.tokens.accessToken(target, { forceRefresh: true })).resolves.toEqual(expect.any(String));
    });
    expect(h.sandbox.faults.list().find((r) => r.id === rule.id)?.applied).toBe(2);
    expect(h.tokenRequests() - before).toBe(4);
  });

  it('retries a truncated token response and a token request that never gets an answer', async () => {
    h.sandbox.faults.add({ family: 'token', kind: 'malformed' });
    h.sandbox.faults.add({ family: 'token', kind: 'timeout', after: 1 });
    const before = h.tokenRequests();
    await withFreshConnectors(async (connectors) => {
      await expect(connectors.clients(h.profile()).graph.firstUsersPage()).resolves.toHaveLength(1);
    });
    expect(h.tokenRequests() - before).toBe(3);
  });

  it('gives up on a token endpoint that stays unavailable with cause unavailable', async () => {
    h.sandbox.faults.add({ family: 'token', kind: 'unavailable', times: 100 });
    await withFreshConnectors(async (connectors) => {
      const error = await failure(connectors.clients(h.profile()).graph.firstUsersPage());
      expect(error).toMatchObject({
        service: 'entra',
        cause: 'unavailable',
        status: 503,
        attempts: 3,
        kind: 'unavailable',
        microsoftCode: 'AADSTS90033',
      });
    }, 3);
  });

  it('does not trust the sandbox without its CA: cause configuration, naming the certificate problem', async () => {
    const connectors = new MicrosoftConnectors({ ...FAST_RETRIES, logger: new CapturingLogger() });
    try {
      const error = await failure(connectors.clients(h.profile()).graph.firstUsersPage());
      expect(error).toMatchObject({ service: 'entra', cause: 'configuration' });
      expect((error as Error).message).toMatch(/TLS certificate .* is not trusted/);
    } finally {
      connectors.close();
    }
  });

  it('refuses an http authority before MSAL does', async () => {
    const { graph } = h.connectors.clients(h.profile({ authorityHost: h.sandbox.url.replace('https:', 'http:') }));
    await expect(graph.firstUsersPage()).rejects.toMatchObject({ service: 'entra', cause: 'configuration' });
  });
});
