import { request } from 'node:https';
import { USER_LICENSE_SELECT } from '../../src/connectors';
import { startHarness, type Harness } from './support/harness';

/**
 * Reports (does not assert) what reading only the licensed users saves on a tenant where about 10%
 * hold a Dynamics or Power Platform license: pages and bytes of the full read against the filtered
 * read, over the same HTTPS as the product. Asserts only that both name the same licensed users.
 */
describe('measure: filtered user read on a 10%-licensed tenant', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ users: 20_000, seed: 31, dynamicsLicensedShare: 0.1 });
  }, 60_000);
  afterAll(() => h.close());

  async function read(firstUrl: string, headers: Record<string, string>) {
    const token = await h.connectors.tokens.accessToken({
      authorityHost: h.sandbox.authorityHost,
      tenantId: h.sandbox.tenantId,
      clientId: h.sandbox.clientId,
      clientSecret: () => h.sandbox.clientSecret,
      permissionType: 'application',
      resource: h.sandbox.graphBaseUrl,
    });
    let url: string | undefined = firstUrl;
    let pages = 0;
    let bytes = 0;
    const users: Array<{ id: string; assignedLicenses: Array<{ skuId: string }> }> = [];
    while (url) {
      const body = await get(url, { authorization: `Bearer ${token}`, ...headers });
      pages++;
      bytes += Buffer.byteLength(body);
      const parsed = JSON.parse(body) as { value: typeof users; '@odata.nextLink'?: string };
      users.push(...parsed.value);
      url = parsed['@odata.nextLink'];
    }
    return { pages, bytes, users };
  }

  it('reports pages and bytes saved', async () => {
    const graph = h.connectors.clients(h.profile()).graph;
    const skuIds = h.sandbox.tenant.directory.subscriptions
      .filter((subscription) => ['dynamics', 'power', 'unlisted'].includes(subscription.sku.family))
      .map((subscription) => subscription.sku.skuId);
    const full = await read(`${graph.baseUrl}/users?$select=${USER_LICENSE_SELECT.join(',')}&$top=999`, {});
    const filtered = { pages: 0, bytes: 0, users: [] as typeof full.users, queries: 0 };
    for (const url of graph.licensedUsersUrls(skuIds, USER_LICENSE_SELECT, 999)) {
      const part = await read(url, { ConsistencyLevel: 'eventual' });
      filtered.pages += part.pages;
      filtered.bytes += part.bytes;
      filtered.users.push(...part.users);
      filtered.queries++;
    }
    const licensed = full.users.filter((user) =>
      user.assignedLicenses.some((license) => skuIds.includes(license.skuId)),
    );
    expect([...new Set(filtered.users.map((user) => user.id))].sort()).toEqual(licensed.map((user) => user.id).sort());
    process.stdout.write(
      `\nfiltered read, ${full.users.length} users, ${licensed.length} (${((100 * licensed.length) / full.users.length).toFixed(1)}%) licensed, ${skuIds.length} SKUs:\n` +
        `  full read:     ${full.pages} pages, ${(full.bytes / 1e6).toFixed(2)} MB\n` +
        `  filtered read: ${filtered.queries} queries, ${filtered.pages} pages, ${(filtered.bytes / 1e6).toFixed(2)} MB (${filtered.users.length} rows before de-duplication)\n` +
        `  saved:         ${full.pages - filtered.pages} pages, ${((1 - filtered.bytes / full.bytes) * 100).toFixed(1)}% of the bytes\n`,
    );
  }, 60_000);

  function get(url: string, headers: Record<string, string>): Promise<string> {
    return new Promise((resolve, reject) => {
      request(url, { ca: h.sandbox.caPem, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200) reject(new Error(`${res.statusCode}: ${body}`));
          else resolve(body);
        });
      })
        .on('error', reject)
        .end();
    });
  }
});
