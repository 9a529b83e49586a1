import { request as httpsRequest } from 'node:https';
import { createPkcePair, type ProfileConnections } from '../../src/connectors';
import { failure, startHarness, type Harness } from './support/harness';

const REDIRECT_URI = 'https://ledger.example.test/api/oauth/callback';

describe('connectors: delegated permissions (authorization code + refresh token) against the sandbox', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ users: 30, seed: 5 });
  });
  afterAll(() => h.close());
  afterEach(() => h.sandbox.faults.clear());

  const app = () => ({
    authorityHost: h.sandbox.authorityHost,
    tenantId: h.sandbox.tenantId,
    clientId: h.sandbox.clientId,
    clientSecret: () => h.sandbox.clientSecret,
  });

  /** authorizationUrl → the sandbox's 302 (its admin is deemed signed in) → redeemCode. */
  async function signIn(): Promise<{ refreshToken: string; account: string | null }> {
    const scopes = h.connectors.graphDelegatedScopes(h.sandbox.graphBaseUrl);
    const pkce = await createPkcePair();
    const url = await h.connectors.authorizationUrl({
      ...app(),
      redirectUri: REDIRECT_URI,
      scopes,
      state: 'state-123',
      codeChallenge: pkce.challenge,
    });
    expect(url.startsWith(`${h.sandbox.authority}/oauth2/v2.0/authorize?`)).toBe(true);
    const query = new URL(url).searchParams;
    expect(query.get('code_challenge_method')).toBe('S256');
    expect(query.get('scope')!.split(' ')).toEqual(
      expect.arrayContaining([`${h.sandbox.graphBaseUrl}/User.Read.All`, 'offline_access']),
    );

    const redirect = await get(url, h.sandbox.caPem);
    expect(redirect.status).toBe(302);
    const location = new URL(redirect.location!);
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
    expect(location.searchParams.get('state')).toBe('state-123');
    const code = location.searchParams.get('code')!;

    return h.connectors.redeemCode({ ...app(), code, codeVerifier: pkce.verifier, redirectUri: REDIRECT_URI, scopes });
  }

  function delegatedProfile(store: { token: string | null; saved: string[] }): ProfileConnections {
    const credentials = {
      clientId: h.sandbox.clientId,
      permissionType: 'delegated' as const,
      clientSecret: () => h.sandbox.clientSecret,
      refreshToken: () => store.token,
      saveRefreshToken: (token: string) => {
        store.token = token;
        store.saved.push(token);
      },
    };
    return h.profile({
      subscription: credentials,
      activity: { ...credentials, environmentUrl: h.sandbox.environmentUrl },
    });
  }

  it('round-trips the code flow and calls Graph and Dataverse with delegated tokens, saving the rotated refresh token', async () => {
    const redeemed = await signIn();
    const admin = h.sandbox.tenant.directory.requireUser(h.sandbox.tenant.identity.adminUserId);
    expect(redeemed.account).toBe(admin.userPrincipalName);
    expect(redeemed.refreshToken.length).toBeGreaterThan(20);

    const store = { token: redeemed.refreshToken as string | null, saved: [] as string[] };
    const { graph, dataverse } = h.connectors.clients(delegatedProfile(store));
    await expect(graph.firstUsersPage()).resolves.toHaveLength(1);
    expect(store.saved).toHaveLength(1);
    expect(store.saved[0]).not.toBe(redeemed.refreshToken);

    // The delegated caller is the admin's own systemuser, not the application user.
    const me = await dataverse!.whoAmI();
    expect(me.UserId).toBe(h.sandbox.tenant.dataverse.findByEntraObjectId(admin.id)!.systemuserid);
    expect(store.saved).toHaveLength(2);
  });

  it('reuses a delegated access token until it needs renewing, and refreshes once after a 401', async () => {
    const store = { token: (await signIn()).refreshToken as string | null, saved: [] as string[] };
    const { graph } = h.connectors.clients(delegatedProfile(store));
    const before = h.tokenRequests();
    await graph.firstUsersPage();
    await graph.firstUsersPage();
    expect(h.tokenRequests() - before).toBe(1);

    h.sandbox.faults.add({ family: 'graph', kind: 'expire-token' });
    await graph.firstUsersPage();
    expect(h.tokenRequests() - before).toBe(2);
  });

  it('asks for a new sign-in when there is no stored refresh token', async () => {
    const { graph } = h.connectors.clients(delegatedProfile({ token: null, saved: [] }));
    const error = await failure(graph.firstUsersPage());
    expect(error).toMatchObject({ service: 'entra', cause: 'authentication' });
    expect((error as Error).message).toContain('sign in');
  });

  it('maps a revoked refresh token to authentication (invalid_grant) with the sign-in fix', async () => {
    const store = { token: (await signIn()).refreshToken as string | null, saved: [] as string[] };
    h.sandbox.tokens.revokeAll();
    const error = await failure(h.connectors.clients(delegatedProfile(store)).graph.firstUsersPage());
    expect(error).toMatchObject({ service: 'entra', cause: 'authentication', microsoftCode: 'AADSTS50173' });
    expect((error as Error).message).toContain('sign in again');
  });

  it('refuses a code redeemed with the wrong PKCE verifier', async () => {
    const scopes = h.connectors.graphDelegatedScopes(h.sandbox.graphBaseUrl);
    const pkce = await createPkcePair();
    const other = await createPkcePair();
    const url = await h.connectors.authorizationUrl({
      ...app(),
      redirectUri: REDIRECT_URI,
      scopes,
      state: 's',
      codeChallenge: pkce.challenge,
    });
    const code = new URL((await get(url, h.sandbox.caPem)).location!).searchParams.get('code')!;
    const error = await failure(
      h.connectors.redeemCode({ ...app(), code, codeVerifier: other.verifier, redirectUri: REDIRECT_URI, scopes }),
    );
    expect(error).toMatchObject({ service: 'entra', cause: 'authentication', microsoftCode: 'AADSTS501481' });
  });
});

function get(url: string, ca: string): Promise<{ status: number; location: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { ca, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location }));
    });
    req.on('error', reject);
    req.end();
  });
}
