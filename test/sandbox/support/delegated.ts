import type { Sandbox } from '../../../src/sandbox';
import { call, form } from './https-client';

/** The sandbox admin's delegated access token for one resource scope: authorize (deemed signed in), then redeem. */
export async function delegatedToken(
  sandbox: Sandbox,
  scope: string,
  redirectUri = 'http://localhost/cb',
): Promise<string> {
  const authorize = await call(
    sandbox,
    'GET',
    `${sandbox.authority}/oauth2/v2.0/authorize?${new URLSearchParams({ client_id: sandbox.clientId, response_type: 'code', redirect_uri: redirectUri, scope: `openid offline_access ${scope}` })}`,
  );
  if (authorize.status !== 302) throw new Error(`authorize failed: ${authorize.status} ${authorize.text}`);
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
      redirect_uri: redirectUri,
      scope,
    }),
  );
  if (redeemed.status !== 200) throw new Error(`redeem failed: ${redeemed.status} ${redeemed.text}`);
  return redeemed.json<{ access_token: string }>().access_token;
}
