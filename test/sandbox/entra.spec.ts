import { startSandbox, type Sandbox } from '../../src/sandbox';
import { call, form } from './support/https-client';

describe('sandbox Entra endpoints', () => {
  let sandbox: Sandbox;
  const tokenUrl = (): string => `${sandbox.authority}/oauth2/v2.0/token`;
  const clientCredentials = (overrides: Record<string, string> = {}): ReturnType<typeof form> =>
    form({
      grant_type: 'client_credentials',
      client_id: sandbox.clientId,
      client_secret: sandbox.clientSecret,
      scope: `${sandbox.graphBaseUrl}/.default`,
      ...overrides,
    });

  beforeAll(async () => {
    sandbox = await startSandbox({ users: 50, seed: 3 });
  });
  afterAll(() => sandbox.stop());

  it('serves OpenID metadata whose issuer shares the authority host', async () => {
    const result = await call(sandbox, 'GET', `${sandbox.authority}/v2.0/.well-known/openid-configuration`);
    expect(result.status).toBe(200);
    const metadata = result.json<Record<string, string>>();
    expect(metadata).toMatchObject({
      token_endpoint: `${sandbox.authority}/oauth2/v2.0/token`,
      authorization_endpoint: `${sandbox.authority}/oauth2/v2.0/authorize`,
      issuer: `${sandbox.authority}/v2.0`,
      jwks_uri: `${sandbox.authority}/discovery/v2.0/keys`,
    });
    const keys = await call(sandbox, 'GET', metadata['jwks_uri']!);
    expect(keys.json<{ keys: { kty: string; kid: string }[] }>().keys[0]).toMatchObject({ kty: 'RSA' });
  });

  it('answers an unknown tenant with AADSTS90002', async () => {
    const result = await call(
      sandbox,
      'POST',
      `${sandbox.url}/00000000-0000-0000-0000-000000000001/oauth2/v2.0/token`,
      clientCredentials(),
    );
    expect(result.status).toBe(400);
    expect(result.json()).toMatchObject({ error: 'invalid_request', error_codes: [90002] });
  });

  it('issues a client-credentials token with the documented fields', async () => {
    const result = await call(sandbox, 'POST', tokenUrl(), clientCredentials());
    expect(result.status).toBe(200);
    const body = result.json<Record<string, unknown>>();
    expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'ext_expires_in', 'token_type']);
    expect(body['token_type']).toBe('Bearer');
    const claims = JSON.parse(
      Buffer.from(String(body['access_token']).split('.')[1]!, 'base64url').toString(),
    ) as Record<string, unknown>;
    expect(claims).toMatchObject({ aud: sandbox.graphBaseUrl, tid: sandbox.tenantId, appid: sandbox.clientId });
    expect(claims['roles']).toEqual(expect.arrayContaining(['User.Read.All', 'LicenseAssignment.ReadWrite.All']));
  });

  it('accepts the secret through HTTP Basic too', async () => {
    const basic = Buffer.from(`${sandbox.clientId}:${sandbox.clientSecret}`).toString('base64');
    const result = await call(sandbox, 'POST', tokenUrl(), {
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        scope: `${sandbox.environmentUrl}/.default`,
      }).toString(),
    });
    expect(result.status).toBe(200);
  });

  it('refuses a wrong secret with 401 invalid_client AADSTS7000215', async () => {
    const result = await call(sandbox, 'POST', tokenUrl(), clientCredentials({ client_secret: 'not-the-secret' }));
    expect(result.status).toBe(401);
    const body = result.json<Record<string, unknown>>();
    expect(Object.keys(body).sort()).toEqual([
      'correlation_id',
      'error',
      'error_codes',
      'error_description',
      'error_uri',
      'timestamp',
      'trace_id',
    ]);
    expect(body).toMatchObject({ error: 'invalid_client', error_codes: [7000215] });
    expect(body['error_description']).toMatch(/^AADSTS7000215: Invalid client secret provided\. /);
    expect(body['timestamp']).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}Z$/);
  });

  it('refuses an unknown client with 400 unauthorized_client AADSTS700016', async () => {
    const result = await call(
      sandbox,
      'POST',
      tokenUrl(),
      clientCredentials({ client_id: '11111111-2222-3333-4444-555555555555' }),
    );
    expect(result.status).toBe(400);
    expect(result.json()).toMatchObject({ error: 'unauthorized_client', error_codes: [700016] });
  });

  it('refuses bad scopes with invalid_scope', async () => {
    const unknown = await call(
      sandbox,
      'POST',
      tokenUrl(),
      clientCredentials({ scope: 'https://graph.microsoft.com/.default' }),
    );
    expect(unknown.status).toBe(400);
    expect(unknown.json()).toMatchObject({ error: 'invalid_scope', error_codes: [70011] });
    const notDefault = await call(
      sandbox,
      'POST',
      tokenUrl(),
      clientCredentials({ scope: `${sandbox.graphBaseUrl}/User.Read.All` }),
    );
    expect(notDefault.json()).toMatchObject({ error: 'invalid_scope', error_codes: [1002012] });
    const twoResources = await call(
      sandbox,
      'POST',
      tokenUrl(),
      clientCredentials({ scope: `${sandbox.graphBaseUrl}/.default ${sandbox.environmentUrl}/.default` }),
    );
    expect(twoResources.json()).toMatchObject({ error: 'invalid_scope', error_codes: [28000] });
  });

  it('accepts the Dataverse double-slash form of .default', async () => {
    const result = await call(
      sandbox,
      'POST',
      tokenUrl(),
      clientCredentials({ scope: `${sandbox.environmentUrl}//.default` }),
    );
    expect(result.status).toBe(200);
  });

  it('refuses a bad code or refresh token with invalid_grant', async () => {
    const code = await call(
      sandbox,
      'POST',
      tokenUrl(),
      form({
        grant_type: 'authorization_code',
        client_id: sandbox.clientId,
        client_secret: sandbox.clientSecret,
        code: 'nope',
        redirect_uri: 'http://localhost/cb',
        scope: `${sandbox.graphBaseUrl}/.default`,
      }),
    );
    expect(code.status).toBe(400);
    expect(code.json()).toMatchObject({ error: 'invalid_grant' });
    const refresh = await call(
      sandbox,
      'POST',
      tokenUrl(),
      form({
        grant_type: 'refresh_token',
        client_id: sandbox.clientId,
        client_secret: sandbox.clientSecret,
        refresh_token: 'nope',
        scope: `${sandbox.graphBaseUrl}/.default`,
      }),
    );
    expect(refresh.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('redirects authorize requests with a code, and errors per OAuth once the redirect URI is known', async () => {
    const params = (extra: Record<string, string>): string =>
      new URLSearchParams({
        client_id: sandbox.clientId,
        redirect_uri: 'http://localhost:5000/callback',
        response_type: 'code',
        scope: 'openid offline_access',
        state: 's1',
        ...extra,
      }).toString();
    const ok = await call(sandbox, 'GET', `${sandbox.authority}/oauth2/v2.0/authorize?${params({})}`);
    expect(ok.status).toBe(302);
    const location = new URL(String(ok.headers.location));
    expect(location.origin + location.pathname).toBe('http://localhost:5000/callback');
    expect(location.searchParams.get('code')).toBeTruthy();
    expect(location.searchParams.get('state')).toBe('s1');

    const badType = await call(
      sandbox,
      'GET',
      `${sandbox.authority}/oauth2/v2.0/authorize?${params({ response_type: 'token' })}`,
    );
    expect(badType.status).toBe(302);
    const error = new URL(String(badType.headers.location)).searchParams;
    expect(error.get('error')).toBe('unsupported_response_type');
    expect(error.get('state')).toBe('s1');

    const noRedirect = await call(
      sandbox,
      'GET',
      `${sandbox.authority}/oauth2/v2.0/authorize?client_id=${sandbox.clientId}&response_type=code&scope=openid`,
    );
    expect(noRedirect.status).toBe(400);
    const unknownClient = await call(
      sandbox,
      'GET',
      `${sandbox.authority}/oauth2/v2.0/authorize?${params({ client_id: 'a1b2c3d4-0000-0000-0000-000000000000' })}`,
    );
    expect(unknownClient.status).toBe(400);
    expect(unknownClient.json()).toMatchObject({ error: 'unauthorized_client' });
  });

  it('stops accepting the old secret once rotated', async () => {
    const old = sandbox.clientSecret;
    const fresh = sandbox.tenant.rotateClientSecret();
    expect(fresh).not.toBe(old);
    expect((await call(sandbox, 'POST', tokenUrl(), clientCredentials({ client_secret: old }))).status).toBe(401);
    expect((await call(sandbox, 'POST', tokenUrl(), clientCredentials({ client_secret: fresh }))).status).toBe(200);
  });
});
