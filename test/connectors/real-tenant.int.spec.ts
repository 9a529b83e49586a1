import { request } from 'node:https';
import { createPkcePair, UpstreamError, type DiscoveryEndpoints, type RetryEvent } from '../../src/connectors';
import { ENVIRONMENT_TABLES } from '../../src/sandbox';
import { collect, failure, startHarness, type Harness } from './support/harness';

const now = new Date('2026-06-30T12:00:00Z');
const DAY_MS = 86_400_000;

describe('connectors: a realistic tenant over HTTPS', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ users: 200, seed: 17, now, realistic: true, adminEnvironmentsPageSize: 2 });
  });
  afterAll(() => h.close());
  afterEach(() => h.sandbox.faults.clear());

  const dataverse = (name = 'primary') =>
    h.connectors.clients({
      ...h.profile(),
      activity: { ...h.profile().activity!, environmentUrl: h.sandbox.environmentUrlOf(name) },
    }).dataverse!;
  const env = (name: string) => h.sandbox.tenant.requireEnvironment(name);
  const endpoints = (): DiscoveryEndpoints => {
    const base = h.sandbox.discoveryBaseUrl;
    return {
      globalDiscoveryUrl: base,
      globalDiscoveryScope: `${base}/.default`,
      adminApiUrl: base,
      adminApiScope: `${base}/.default`,
    };
  };

  it('reads the organization row of each environment', async () => {
    await expect(dataverse('service').organizationAuditSettings()).resolves.toEqual({
      organizationid: env('service').organization.organizationId,
      isauditenabled: true,
      isuseraccessauditenabled: true,
      useraccessauditinginterval: 8,
      auditretentionperiodv2: -1,
    });
  });

  it('reads tables audit flags in batches, leaving out tables the environment lacks', async () => {
    h.sandbox.resetRequestCounts();
    const asked = [...ENVIRONMENT_TABLES, ...Array.from({ length: 20 }, (_, k) => `new_custom${k}`)];
    const settings = await dataverse().tableAuditSettings(asked);
    expect(h.count('GET /dynamics/api/data/v9.2/EntityDefinitions')).toBe(2);
    expect(
      settings
        .filter((table) => !table.isAuditEnabled)
        .map((table) => table.logicalName)
        .sort(),
    ).toEqual(['knowledgearticle', 'quote']);
    expect(settings.map((table) => table.logicalName).sort()).toEqual([...ENVIRONMENT_TABLES].sort());
  });

  it('proves the audit log readable, and names prvReadAuditSummary when it is not', async () => {
    await expect(dataverse('sales').proveAuditReadable()).resolves.toBeUndefined();
    env('sales').appCanReadAudit = false;
    try {
      const error = await failure(dataverse('sales').proveAuditReadable());
      expect(error).toBeInstanceOf(UpstreamError);
      expect(error).toMatchObject({
        service: 'dataverse',
        cause: 'permission',
        status: 403,
        microsoftCode: '0x80040220',
      });
      expect((error as Error).message).toContain('prvReadAuditSummary');
    } finally {
      env('sales').appCanReadAudit = true;
    }
  });

  it('reads the audit-setting rows in a window, oldest first', async () => {
    const from = new Date(now.getTime() - 200 * DAY_MS).toISOString();
    const primary = await dataverse().auditSettingChanges({ from });
    const [off] = env('primary').truth.auditOff;
    expect(primary.map((row) => [row.action, row.createdon])).toEqual([
      [110, off!.from],
      [107, off!.to],
    ]);
    const sales = await dataverse('sales').auditSettingChanges({ from });
    expect(sales.map((row) => [row.action, row.createdon])).toEqual([[111, env('sales').truth.logDeletions[0]!.at]]);
    const service = await dataverse('service').auditSettingChanges({ from });
    expect(service.map((row) => row.action)).toEqual([113, 112]);
  });

  it('reads the calling user of every audit row', async () => {
    const from = new Date(now.getTime() - 400 * DAY_MS).toISOString();
    const { items } = await collect(dataverse().auditsPages({ from }));
    const impersonated = items.filter((row) => row._callinguserid_value !== null);
    expect(impersonated).toHaveLength(env('primary').truth.impersonatedRows);
    expect(new Set(impersonated.map((row) => row._callinguserid_value))).toEqual(
      new Set([env('primary').truth.impersonatingSystemUserId]),
    );
  });

  it('discovers the environments with Dataverse through the admin list, page by page', async () => {
    h.sandbox.resetRequestCounts();
    const discovery = h.connectors.environmentDiscovery({
      authorityHost: h.sandbox.authorityHost,
      tenantId: h.sandbox.tenantId,
      credentials: h.profile().activity!,
      endpoints: endpoints(),
    });
    const found = await discovery.environments();
    expect(found.map((environment) => environment.environmentUrl)).toEqual(h.sandbox.environmentUrls);
    expect(found[1]).toEqual({
      environmentUrl: h.sandbox.environmentUrlOf('sales'),
      displayName: 'Sales EMEA',
      id: env('sales').environment.environmentId,
    });
    expect(h.count('GET /discovery/providers/Microsoft.BusinessAppPlatform/scopes/admin/environments')).toBe(2);
  });

  it('says how to register a management app when the admin list refuses the app', async () => {
    h.sandbox.tenant.app.powerPlatformManagementApp = false;
    try {
      const discovery = h.connectors.environmentDiscovery({
        authorityHost: h.sandbox.authorityHost,
        tenantId: h.sandbox.tenantId,
        credentials: h.profile().activity!,
        endpoints: endpoints(),
      });
      const error = await failure(discovery.environments());
      expect(error).toMatchObject({ service: 'discovery', cause: 'permission', status: 403 });
      expect((error as Error).message).toContain('Power Platform management application');
    } finally {
      h.sandbox.tenant.app.powerPlatformManagementApp = true;
    }
  });

  it('discovers through the Global Discovery Service for a delegated connection', async () => {
    const pkce = await createPkcePair();
    const app = {
      authorityHost: h.sandbox.authorityHost,
      tenantId: h.sandbox.tenantId,
      clientId: h.sandbox.clientId,
      clientSecret: () => h.sandbox.clientSecret,
    };
    const scopes = [`${h.sandbox.discoveryBaseUrl}/.default`, 'offline_access'];
    const redirectUri = 'https://ledger.example.test/api/v1/oauth/callback';
    const url = await h.connectors.authorizationUrl({
      ...app,
      redirectUri,
      scopes,
      state: 's',
      codeChallenge: pkce.challenge,
    });
    const code = await codeFrom(url);
    const { refreshToken } = await h.connectors.redeemCode({
      ...app,
      code,
      codeVerifier: pkce.verifier,
      redirectUri,
      scopes,
    });
    const discovery = h.connectors.environmentDiscovery({
      authorityHost: h.sandbox.authorityHost,
      tenantId: h.sandbox.tenantId,
      credentials: {
        clientId: h.sandbox.clientId,
        permissionType: 'delegated',
        clientSecret: () => h.sandbox.clientSecret,
        refreshToken: () => refreshToken,
      },
      endpoints: endpoints(),
    });
    const found = await discovery.environments();
    expect(found.map((environment) => environment.environmentUrl)).toEqual(h.sandbox.environmentUrls);
    expect(found[0]).toMatchObject({ id: env('primary').organization.organizationId });
  });

  async function codeFrom(authorizationUrl: string): Promise<string> {
    return new Promise((resolve, reject) => {
      request(authorizationUrl, { ca: h.sandbox.caPem }, (res) => {
        res.resume();
        const location = res.headers.location;
        if (!location) reject(new Error(`no redirect: ${res.statusCode}`));
        else resolve(new URL(location).searchParams.get('code')!);
      })
        .on('error', reject)
        .end();
    });
  }
});

describe('connectors: Retry-After honoured up to the configured cap', () => {
  let h: Harness;
  let retries: RetryEvent[];
  beforeAll(async () => {
    h = await startHarness({ users: 20, seed: 2 }, { maxRetryAfterMs: 1_500 });
  });
  afterAll(() => h.close());
  beforeEach(() => {
    retries = [];
  });

  it('defaults the cap to the 300 s Dataverse service protection may ask for', () => {
    expect(
      new (h.connectors.constructor as typeof import('../../src/connectors').MicrosoftConnectors)({ logger: h.logger })
        .retry.maxRetryAfterMs,
    ).toBe(300_000);
  });

  it('waits what the server asks when under the cap, and the cap when over it', async () => {
    const graph = h.connectors.clients(h.profile(), { onRetry: (event) => retries.push(event) }).graph;
    h.sandbox.faults.add({ family: 'graph', pathContains: '/subscribedSkus', kind: 'throttle', retryAfterSeconds: 1 });
    await graph.subscribedSkus();
    h.sandbox.faults.add({
      family: 'graph',
      pathContains: '/subscribedSkus',
      kind: 'throttle',
      retryAfterSeconds: 300,
    });
    await graph.subscribedSkus();
    expect(retries.map((event) => [event.status, event.waitSource, event.waitMs])).toEqual([
      [429, 'retry-after', 1_000],
      [429, 'retry-after', 1_500],
    ]);
  });
});
