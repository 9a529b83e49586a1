import { request as httpsRequest } from 'node:https';
import { createPkcePair } from '../../src/connectors';
import { collect, failure, startHarness, type Harness } from './support/harness';

const REDIRECT_URI = 'https://ledger.example.test/api/oauth/callback';

describe('connectors: nothing secret reaches a log line', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ users: 40, seed: 9 });
  });
  afterAll(() => h.close());

  it('logs retries with method, host, path, status, attempt and wait, and never a secret, token or header', async () => {
    const secrets: string[] = [h.sandbox.clientSecret, 'abc8Q~wrong-secret-value-0123456789'];
    const profile = h.profile();
    const { graph, dataverse } = h.connectors.clients(profile);

    // Application flow with every kind of fault.
    h.sandbox.faults.add({ family: 'token', kind: 'throttle', times: 1 });
    h.sandbox.faults.add({ family: 'graph', pathContains: '/users', kind: 'throttle', after: 1 });
    h.sandbox.faults.add({ family: 'graph', pathContains: '$skiptoken', kind: 'malformed' });
    await collect(graph.usersPages(undefined, 10));
    h.sandbox.faults.add({ family: 'graph', kind: 'expire-token' });
    await graph.firstUsersPage();
    h.sandbox.faults.add({ family: 'dataverse', kind: 'reset' });
    await collect(dataverse!.auditsPages({ from: new Date(Date.now() - 86_400_000 * 30).toISOString() }));
    h.sandbox.faults.clear();

    // A wrong secret.
    const wrong = h.connectors.clients(
      h.profile({
        subscription: { clientId: h.sandbox.clientId, permissionType: 'application', clientSecret: () => secrets[1]! },
      }),
    );
    const rejected = await failure(wrong.graph.firstUsersPage());

    // The delegated flow, with a rotation.
    const scopes = h.connectors.graphDelegatedScopes(h.sandbox.graphBaseUrl);
    const pkce = await createPkcePair();
    const app = {
      authorityHost: h.sandbox.authorityHost,
      tenantId: h.sandbox.tenantId,
      clientId: h.sandbox.clientId,
      clientSecret: () => h.sandbox.clientSecret,
    };
    const url = await h.connectors.authorizationUrl({
      ...app,
      redirectUri: REDIRECT_URI,
      scopes,
      state: 's',
      codeChallenge: pkce.challenge,
    });
    const code = new URL((await redirectOf(url, h.sandbox.caPem))!).searchParams.get('code')!;
    const redeemed = await h.connectors.redeemCode({
      ...app,
      code,
      codeVerifier: pkce.verifier,
      redirectUri: REDIRECT_URI,
      scopes,
    });
    const store = { token: redeemed.refreshToken, saved: [] as string[] };
    const delegated = h.connectors.clients(
      h.profile({
        subscription: {
          clientId: h.sandbox.clientId,
          permissionType: 'delegated',
          clientSecret: () => h.sandbox.clientSecret,
          refreshToken: () => store.token,
          saveRefreshToken: (token) => {
            store.token = token;
            store.saved.push(token);
          },
        },
      }),
    );
    h.sandbox.faults.add({ family: 'graph', kind: 'expire-token' });
    await delegated.graph.firstUsersPage();
    h.sandbox.faults.clear();

    const accessTokens = [
      await h.connectors.tokens.accessToken({
        ...app,
        permissionType: 'application',
        resource: h.sandbox.graphBaseUrl,
      }),
      await h.connectors.tokens.accessToken({
        ...app,
        permissionType: 'application',
        resource: h.sandbox.environmentUrl,
      }),
    ];
    const forbidden = [
      ...secrets,
      h.sandbox.clientSecret,
      code,
      pkce.verifier,
      redeemed.refreshToken,
      ...store.saved,
      ...accessTokens,
    ];
    expect(store.saved.length).toBeGreaterThan(0);

    const lines = h.logger.serialized();
    expect(lines.length).toBeGreaterThan(5);
    for (const line of lines) {
      for (const value of forbidden) expect(line).not.toContain(value);
      expect(line).not.toMatch(/bearer\s|authorization|client_secret|refresh_token=|eyJ[A-Za-z0-9_-]{8,}\./i);
    }
    expect((rejected as Error).message).not.toContain(secrets[1]);

    const retryLines = h.logger.lines.filter((line) => line.message === 'upstream request failed; retrying');
    expect(retryLines.length).toBeGreaterThanOrEqual(4);
    for (const line of retryLines) {
      expect(line.fields).toEqual(
        expect.objectContaining({
          method: expect.any(String),
          host: expect.any(String),
          path: expect.any(String),
          attempt: expect.any(Number),
          waitMs: expect.any(Number),
        }),
      );
      expect(line.fields!['status'] === null || typeof line.fields!['status'] === 'number').toBe(true);
      expect(String(line.fields!['path'])).not.toContain('?');
    }
  });
});

function redirectOf(url: string, ca: string): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { ca, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.headers.location));
    });
    req.on('error', reject);
    req.end();
  });
}
