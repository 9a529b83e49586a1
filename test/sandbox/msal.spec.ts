import { createHash, randomBytes } from 'node:crypto';
import { ConfidentialClientApplication } from '@azure/msal-node';
import { sandboxNetworkClient, startSandbox, type Sandbox } from '../../src/sandbox';
import { bearer, call } from './support/https-client';

describe('MSAL node against the sandbox', () => {
  let sandbox: Sandbox;
  let cca: ConfidentialClientApplication;
  const redirectUri = 'http://localhost:3000/auth/callback';

  beforeAll(async () => {
    sandbox = await startSandbox({ users: 40, seed: 5 });
    cca = new ConfidentialClientApplication({
      auth: {
        clientId: sandbox.clientId,
        clientSecret: sandbox.clientSecret,
        authority: sandbox.authority,
        knownAuthorities: [new URL(sandbox.url).host],
        authorityMetadata: JSON.stringify(sandbox.openIdConfiguration()),
      },
      system: { networkClient: sandboxNetworkClient(sandbox.caPem) },
    });
  });
  afterAll(() => sandbox.stop());

  it('gets application tokens for Graph and Dataverse that both services accept', async () => {
    const graph = await cca.acquireTokenByClientCredential({ scopes: [`${sandbox.graphBaseUrl}/.default`] });
    const dataverse = await cca.acquireTokenByClientCredential({ scopes: [`${sandbox.environmentUrl}/.default`] });
    expect(graph?.accessToken).toBeTruthy();
    const users = await call(sandbox, 'GET', `${sandbox.graphBaseUrl}/v1.0/users?$top=1`, bearer(graph!.accessToken));
    expect(users.status).toBe(200);
    const whoAmI = await call(
      sandbox,
      'GET',
      `${sandbox.environmentUrl}/api/data/v9.2/WhoAmI`,
      bearer(dataverse!.accessToken),
    );
    expect(whoAmI.status).toBe(200);
    const appUser = sandbox.tenant.dataverse.findByApplicationId(sandbox.clientId)!;
    expect(whoAmI.json()).toMatchObject({ UserId: appUser.systemuserid });
    const again = await cca.acquireTokenByClientCredential({ scopes: [`${sandbox.graphBaseUrl}/.default`] });
    expect(again?.fromCache).toBe(true);
  });

  it('surfaces the documented error for a wrong secret', async () => {
    const wrong = new ConfidentialClientApplication({
      auth: {
        clientId: sandbox.clientId,
        clientSecret: 'wrong',
        authority: sandbox.authority,
        knownAuthorities: [new URL(sandbox.url).host],
      },
      system: { networkClient: sandboxNetworkClient(sandbox.caPem) },
    });
    await expect(
      wrong.acquireTokenByClientCredential({ scopes: [`${sandbox.graphBaseUrl}/.default`] }),
    ).rejects.toMatchObject({
      errorCode: 'invalid_client',
      errorNo: 7000215,
    });
  });

  it('completes the authorization-code flow with PKCE, then refreshes for another resource', async () => {
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const scopes = [`${sandbox.graphBaseUrl}/.default`];
    const authUrl = await cca.getAuthCodeUrl({
      scopes,
      redirectUri,
      state: 'state-123',
      nonce: 'nonce-456',
      codeChallenge: challenge,
      codeChallengeMethod: 'S256',
    });
    expect(authUrl.startsWith(`${sandbox.authority}/oauth2/v2.0/authorize?`)).toBe(true);

    const redirect = await call(sandbox, 'GET', authUrl);
    expect(redirect.status).toBe(302);
    const callback = new URL(String(redirect.headers.location));
    expect(callback.origin + callback.pathname).toBe(redirectUri);
    const code = callback.searchParams.get('code')!;
    expect(callback.searchParams.get('state')).toBe('state-123');

    const result = await cca.acquireTokenByCode(
      { code, scopes, redirectUri, codeVerifier: verifier, state: 'state-123', nonce: 'nonce-456' },
      { code, state: callback.searchParams.get('state')! },
    );
    const admin = sandbox.tenant.directory.requireUser(sandbox.tenant.identity.adminUserId);
    expect(result.account).toMatchObject({
      tenantId: sandbox.tenantId,
      localAccountId: admin.id,
      username: admin.userPrincipalName,
    });
    expect(result.account?.homeAccountId).toBe(`${admin.id}.${sandbox.tenantId}`);
    expect(result.idTokenClaims).toMatchObject({ aud: sandbox.clientId, nonce: 'nonce-456', oid: admin.id });
    const me = await call(sandbox, 'GET', `${sandbox.graphBaseUrl}/v1.0/users/${admin.id}`, bearer(result.accessToken));
    expect(me.status).toBe(200);

    // MSAL keeps the refresh token in its cache; read it out as a service that stores it would.
    const cache = JSON.parse(cca.getTokenCache().serialize()) as { RefreshToken: Record<string, { secret: string }> };
    const refreshToken = Object.values(cache.RefreshToken)[0]!.secret;
    const refreshed = await cca.acquireTokenByRefreshToken({
      refreshToken,
      scopes: [`${sandbox.environmentUrl}/user_impersonation`],
    });
    expect(refreshed?.accessToken).toBeTruthy();
    const whoAmI = await call(
      sandbox,
      'GET',
      `${sandbox.environmentUrl}/api/data/v9.2/WhoAmI`,
      bearer(refreshed!.accessToken),
    );
    expect(whoAmI.status).toBe(200);
    expect(whoAmI.json()).toMatchObject({
      UserId: sandbox.tenant.dataverse.findByEntraObjectId(admin.id)!.systemuserid,
    });

    const rotated = JSON.parse(cca.getTokenCache().serialize()) as { RefreshToken: Record<string, { secret: string }> };
    expect(Object.values(rotated.RefreshToken)[0]!.secret).not.toBe(refreshToken);
  });

  it('refuses a code redeemed with the wrong PKCE verifier, and a code redeemed twice', async () => {
    const challenge = createHash('sha256').update('right-verifier-right-verifier-right-verifier').digest('base64url');
    const scopes = [`${sandbox.graphBaseUrl}/User.Read.All`];
    const authUrl = await cca.getAuthCodeUrl({
      scopes,
      redirectUri,
      codeChallenge: challenge,
      codeChallengeMethod: 'S256',
    });
    const code = new URL(String((await call(sandbox, 'GET', authUrl)).headers.location)).searchParams.get('code')!;
    await expect(
      cca.acquireTokenByCode({
        code,
        scopes,
        redirectUri,
        codeVerifier: 'wrong-verifier-wrong-verifier-wrong-verifier',
      }),
    ).rejects.toMatchObject({ errorCode: 'invalid_grant' });
    await expect(
      cca.acquireTokenByCode({
        code,
        scopes,
        redirectUri,
        codeVerifier: 'right-verifier-right-verifier-right-verifier',
      }),
    ).rejects.toMatchObject({ errorCode: 'invalid_grant' });
  });
});
