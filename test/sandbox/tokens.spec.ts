import { startSandbox, type Sandbox } from '../../src/sandbox';
import { appToken, bearer, call, form } from './support/https-client';

describe('sandbox token lifetime and revocation', () => {
  let sandbox: Sandbox;
  const users = (token: string): ReturnType<typeof call> =>
    call(sandbox, 'GET', `${sandbox.graphBaseUrl}/v1.0/users?$top=1`, bearer(token));

  beforeAll(async () => {
    sandbox = await startSandbox({ users: 20, seed: 4, accessTokenLifetimeSeconds: 600 });
  });
  afterAll(() => sandbox.stop());

  it('rejects a token once the token clock passes its expiry', async () => {
    const token = await appToken(sandbox, 'graph');
    expect((await users(token)).status).toBe(200);
    sandbox.tokens.advanceClock(601);
    const expired = await users(token);
    expect(expired.status).toBe(401);
    expect(expired.json()).toMatchObject({
      error: { code: 'InvalidAuthenticationToken', message: 'Lifetime validation failed, the token is expired.' },
    });
    expect((await users(await appToken(sandbox, 'graph'))).status).toBe(200);
  });

  it('rejects every token, code and refresh token issued before a revocation', async () => {
    const graph = await appToken(sandbox, 'graph');
    const dataverse = await appToken(sandbox, 'dynamics');
    const authorize = await call(
      sandbox,
      'GET',
      `${sandbox.authority}/oauth2/v2.0/authorize?${new URLSearchParams({ client_id: sandbox.clientId, response_type: 'code', redirect_uri: 'http://localhost/cb', scope: `openid offline_access ${sandbox.graphBaseUrl}/.default` })}`,
    );
    const code = new URL(String(authorize.headers.location)).searchParams.get('code')!;
    const redeemed = await call(
      sandbox,
      'POST',
      `${sandbox.authority}/oauth2/v2.0/token`,
      form({
        grant_type: 'authorization_code',
        client_id: sandbox.clientId,
        client_secret: sandbox.clientSecret,
        code,
        redirect_uri: 'http://localhost/cb',
        scope: `${sandbox.graphBaseUrl}/.default`,
      }),
    );
    const refreshToken = redeemed.json<{ refresh_token: string }>().refresh_token;

    expect((await call(sandbox, 'POST', `${sandbox.url}/_sandbox/tokens/revoke`)).status).toBe(204);
    expect((await users(graph)).status).toBe(401);
    const whoAmI = await call(sandbox, 'GET', `${sandbox.environmentUrl}/api/data/v9.2/WhoAmI`, bearer(dataverse));
    expect(whoAmI.status).toBe(401);
    const refresh = await call(
      sandbox,
      'POST',
      `${sandbox.authority}/oauth2/v2.0/token`,
      form({
        grant_type: 'refresh_token',
        client_id: sandbox.clientId,
        client_secret: sandbox.clientSecret,
        refresh_token: refreshToken,
        scope: `${sandbox.graphBaseUrl}/.default`,
      }),
    );
    expect(refresh.status).toBe(400);
    expect(refresh.json()).toMatchObject({ error: 'invalid_grant', error_codes: [50173] });
    expect((await users(await appToken(sandbox, 'graph'))).status).toBe(200);
  });

  it('moves the token clock over HTTP too', async () => {
    const token = await appToken(sandbox, 'dynamics');
    const moved = await call(sandbox, 'POST', `${sandbox.url}/_sandbox/clock`, { body: { advanceSeconds: 3600 } });
    expect(moved.status).toBe(200);
    const result = await call(sandbox, 'GET', `${sandbox.environmentUrl}/api/data/v9.2/WhoAmI`, bearer(token));
    expect(result.status).toBe(401);
  });
});
