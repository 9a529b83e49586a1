import { Agent, request } from 'node:https';
import { AUDIT_SELECT, SYSTEM_USER_SELECT } from '../../src/connectors/dataverse.types';
import { MAX_DATAVERSE_PAGE } from '../../src/connectors/dataverse.client';
import { MAX_USERS_PAGE } from '../../src/connectors/graph.client';
import type { SandboxInfo } from './sandbox-process';

/** The job's $select (src/jobs/download-subscriptions.job.ts), in the same order, so the pages are byte-identical. */
export const DOWNLOAD_USER_FIELDS = [
  'id',
  'userPrincipalName',
  'accountEnabled',
  'userType',
  'assignedLicenses',
  'licenseAssignmentStates',
];

export interface BareFetch {
  readonly ms: number;
  readonly pages: number;
  readonly items: number;
  readonly bytes: number;
}

/**
 * The baseline: Node's https with one keep-alive agent and a client-credentials token, reading
 * the same pages the product reads (same URLs, headers and page sizes), parsing each page to
 * find its nextLink, and nothing else: no retries, no validation, no storage.
 */
export class BareClient {
  private readonly agent: Agent;

  constructor(
    private readonly sandbox: SandboxInfo,
    caPem: string,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets: 16, ca: caPem });
  }

  async token(resource: string): Promise<string> {
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: this.sandbox.clientId,
      client_secret: this.sandbox.clientSecret,
      scope: `${resource}/.default`,
    }).toString();
    const reply = await this.send(
      'POST',
      `${this.sandbox.url}/${this.sandbox.tenantId}/oauth2/v2.0/token`,
      {
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body,
    );
    return (JSON.parse(reply) as { access_token: string }).access_token;
  }

  /** subscribedSkus, then every users page with the download job's $select and $top. */
  async graphDownload(): Promise<BareFetch> {
    const token = await this.token(this.sandbox.graphBaseUrl);
    const base = `${this.sandbox.graphBaseUrl}/v1.0`;
    const select = DOWNLOAD_USER_FIELDS.map(encodeURIComponent).join(',');
    const headers = { Accept: 'application/json', Authorization: `Bearer ${token}` };
    const started = performance.now();
    const skus = await this.pages(`${base}/subscribedSkus`, headers);
    const users = await this.pages(`${base}/users?$select=${select}&$top=${MAX_USERS_PAGE}`, headers);
    return sum(performance.now() - started, skus, users);
  }

  /** systemusers, then the audit rows of [from, to) oldest first, with the job's page size header. */
  async dataverseDownload(from: string, to: string): Promise<BareFetch> {
    const token = await this.token(this.sandbox.environmentUrl);
    const base = `${this.sandbox.environmentUrl}/api/data/v9.2`;
    const headers = {
      Accept: 'application/json',
      'OData-MaxVersion': '4.0',
      'OData-Version': '4.0',
      Prefer: `odata.maxpagesize=${MAX_DATAVERSE_PAGE}`,
      Authorization: `Bearer ${token}`,
    };
    const filter = encodeURIComponent(`createdon ge ${from} and createdon lt ${to}`);
    const started = performance.now();
    const systemUsers = await this.pages(`${base}/systemusers?$select=${SYSTEM_USER_SELECT.join(',')}`, headers);
    const audits = await this.pages(
      `${base}/audits?$select=${AUDIT_SELECT.join(',')}&$filter=${filter}&$orderby=${encodeURIComponent('createdon asc')}`,
      headers,
    );
    return sum(performance.now() - started, systemUsers, audits);
  }

  close(): void {
    this.agent.destroy();
  }

  private async pages(first: string, headers: Record<string, string>): Promise<Omit<BareFetch, 'ms'>> {
    let url: string | undefined = first;
    let pages = 0;
    let items = 0;
    let bytes = 0;
    while (url) {
      const text = await this.send('GET', url, headers);
      const page = JSON.parse(text) as { value: unknown[]; '@odata.nextLink'?: string };
      pages += 1;
      items += page.value.length;
      bytes += text.length;
      url = page['@odata.nextLink'];
    }
    return { pages, items, bytes };
  }

  private send(method: string, url: string, headers: Record<string, string>, body?: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const req = request(url, { method, headers, agent: this.agent }, (res) => {
        res.setEncoding('utf8');
        let text = '';
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () =>
          res.statusCode === 200
            ? resolve(text)
            : reject(new Error(`${method} ${url} -> ${res.statusCode}: ${text.slice(0, 300)}`)),
        );
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  }
}

function sum(ms: number, ...parts: Omit<BareFetch, 'ms'>[]): BareFetch {
  return parts.reduce(
    (a, p) => ({ ms, pages: a.pages + p.pages, items: a.items + p.items, bytes: a.bytes + p.bytes }),
    { ms, pages: 0, items: 0, bytes: 0 },
  );
}
