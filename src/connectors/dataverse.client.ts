import type { PermissionType } from './connection-target';
import { trimTrailingSlash } from './connection-target';
import {
  AUDIT_SELECT,
  AUDIT_SETTING_ACTIONS,
  ORGANIZATION_AUDIT_SELECT,
  SYSTEM_USER_SELECT,
  type AuditRecord,
  type AuditWindow,
  type DataverseSystemUser,
  type OrganizationAuditSettings,
  type TableAuditSetting,
  type WhoAmI,
} from './dataverse.types';
import { followNextLinks, isObject, parsePage, type ODataPage } from './odata-pages';
import type { RetryHook } from './retry-policy';
import type { RequestPurpose } from './service-errors';
import type { TokenSource, UpstreamHttp } from './upstream-http';
import { UpstreamError } from './upstream-error';

export interface DataverseClientOptions {
  readonly http: UpstreamHttp;
  /** e.g. `https://contoso.crm.dynamics.com`, or the sandbox's `${url}/dynamics`. */
  readonly environmentUrl: string;
  readonly token: TokenSource;
  readonly permissionType: PermissionType;
  /** `Prefer: odata.maxpagesize`; Dataverse's default and maximum is 5000 (page-results). */
  readonly maxPageSize?: number;
  readonly onRetry?: RetryHook;
}

export const MAX_DATAVERSE_PAGE = 5000;

const isSystemUser = (item: unknown): item is DataverseSystemUser =>
  isObject(item) && typeof item['systemuserid'] === 'string';
const isAudit = (item: unknown): item is AuditRecord =>
  isObject(item) && typeof item['auditid'] === 'string' && typeof item['createdon'] === 'string';
const isOrganization = (item: unknown): item is OrganizationAuditSettings =>
  isObject(item) &&
  typeof item['organizationid'] === 'string' &&
  typeof item['isauditenabled'] === 'boolean' &&
  typeof item['isuseraccessauditenabled'] === 'boolean' &&
  typeof item['useraccessauditinginterval'] === 'number' &&
  typeof item['auditretentionperiodv2'] === 'number';
const isEntityDefinition = (item: unknown): item is { LogicalName: string; IsAuditEnabled: { Value: boolean } } =>
  isObject(item) &&
  typeof item['LogicalName'] === 'string' &&
  isObject(item['IsAuditEnabled']) &&
  typeof item['IsAuditEnabled']['Value'] === 'boolean';

/**
 * Table names per EntityDefinitions request. Learn puts no number on it; a batch keeps the URL
 * short (an `or` clause is ~30 characters) well inside any proxy's and Dataverse's URL limits.
 */
export const ENTITY_DEFINITIONS_BATCH = 40;

/** The Dataverse Web API of one Dynamics 365 environment: who is who, and the audit log. */
export class DataverseClient {
  readonly baseUrl: string;
  private readonly maxPageSize: number;

  constructor(private readonly options: DataverseClientOptions) {
    this.baseUrl = `${trimTrailingSlash(options.environmentUrl)}/api/data/v9.2`;
    this.maxPageSize = options.maxPageSize ?? MAX_DATAVERSE_PAGE;
    if (!Number.isInteger(this.maxPageSize) || this.maxPageSize < 1 || this.maxPageSize > MAX_DATAVERSE_PAGE) {
      throw new RangeError(`Dataverse page size must be 1..${MAX_DATAVERSE_PAGE}`);
    }
  }

  /** Proves the token reaches the environment as a known user (an application user, for app-only access). */
  async whoAmI(): Promise<WhoAmI> {
    return this.options.http.json({
      ...this.base(
        `${this.baseUrl}/WhoAmI`,
        this.purpose('identify the caller (WhoAmI)', 'a security role in the environment'),
        this.maxPageSize,
      ),
      parse: (body) => (isObject(body) && typeof body['UserId'] === 'string' ? (body as unknown as WhoAmI) : null),
    });
  }

  systemUsersPages(): AsyncIterable<DataverseSystemUser[]> {
    const purpose = this.purpose('list system users', 'a security role with prvReadUser');
    const url = `${this.baseUrl}/systemusers?$select=${SYSTEM_USER_SELECT.join(',')}`;
    return followNextLinks('dataverse', url, (next) => this.page(next, isSystemUser, purpose, this.maxPageSize));
  }

  /** Audit rows in `[from, to)`, oldest first, so an interrupted pull can resume from the last `createdon`. */
  auditsPages(window: AuditWindow): AsyncIterable<AuditRecord[]> {
    const purpose = this.auditPurpose();
    return followNextLinks('dataverse', this.auditsUrl(window), (next) =>
      this.page(next, isAudit, purpose, this.maxPageSize),
    );
  }

  /** One row at most: proves the audit log is readable (validate connection). */
  async firstAuditsPage(from: string): Promise<AuditRecord[]> {
    return (await this.page(this.auditsUrl({ from }), isAudit, this.auditPurpose(), 1)).value;
  }

  /**
   * The organization row's audit columns. The table holds a single row (Configure auditing);
   * reading it needs no privilege beyond access to the environment.
   */
  async organizationAuditSettings(): Promise<OrganizationAuditSettings> {
    const purpose = this.purpose("read the organization's audit settings", 'a security role in the environment');
    const url = `${this.baseUrl}/organizations?$select=${ORGANIZATION_AUDIT_SELECT.join(',')}`;
    const page = await this.page(url, isOrganization, purpose, this.maxPageSize);
    const row = page.value[0];
    if (!row) {
      throw new UpstreamError({
        service: 'dataverse',
        cause: 'invalid-response',
        message: 'Dataverse returned no organization row; every environment has exactly one',
      });
    }
    return {
      organizationid: row.organizationid,
      isauditenabled: row.isauditenabled,
      isuseraccessauditenabled: row.isuseraccessauditenabled,
      useraccessauditinginterval: row.useraccessauditinginterval,
      auditretentionperiodv2: row.auditretentionperiodv2,
    };
  }

  /**
   * Each table's own audit flag, for the tables asked about (by logical name). Metadata queries are
   * not paged (query-metadata-web-api); names are batched into `or` filters. Tables the environment
   * does not have are absent from the answer.
   */
  async tableAuditSettings(logicalNames: readonly string[]): Promise<TableAuditSetting[]> {
    const purpose = this.purpose('read table definitions (EntityDefinitions)', 'a security role in the environment');
    const names = [...new Set(logicalNames.map((name) => name.toLowerCase()))];
    const settings: TableAuditSetting[] = [];
    for (let k = 0; k < names.length; k += ENTITY_DEFINITIONS_BATCH) {
      const filter = names
        .slice(k, k + ENTITY_DEFINITIONS_BATCH)
        .map((name) => `LogicalName eq '${name.replace(/'/g, "''")}'`)
        .join(' or ');
      const url = `${this.baseUrl}/EntityDefinitions?$select=LogicalName,IsAuditEnabled&$filter=${encodeURIComponent(filter)}`;
      const page = await this.page(url, isEntityDefinition, purpose, this.maxPageSize);
      for (const row of page.value)
        settings.push({ logicalName: row.LogicalName, isAuditEnabled: row.IsAuditEnabled.Value });
    }
    return settings;
  }

  /**
   * Proves the connection may read the audit log: a 403 (the caller lacks prvReadAuditSummary) comes
   * back as a `permission` UpstreamError naming the privilege.
   */
  async proveAuditReadable(): Promise<void> {
    await this.page(`${this.auditsUrl({ from: '2000-01-01T00:00:00Z' })}`, isAudit, this.auditPurpose(), 1);
  }

  /**
   * The rows that switch auditing on or off or delete logs (107, 110, 111, 112, 113) in `[from, to)`,
   * oldest first: what coverage is built from.
   */
  async auditSettingChanges(window: AuditWindow): Promise<AuditRecord[]> {
    const actions = Object.values(AUDIT_SETTING_ACTIONS)
      .map((action) => `action eq ${action}`)
      .join(' or ');
    const url = this.auditsUrl(window, `(${actions})`);
    const rows: AuditRecord[] = [];
    const purpose = this.auditPurpose();
    for await (const page of followNextLinks('dataverse', url, (next) =>
      this.page(next, isAudit, purpose, this.maxPageSize),
    ))
      rows.push(...page);
    return rows;
  }

  private auditsUrl(window: AuditWindow, extra?: string): string {
    const filter = [
      `createdon ge ${odataDate(window.from)}`,
      ...(window.to ? [`createdon lt ${odataDate(window.to)}`] : []),
      ...(extra ? [extra] : []),
    ].join(' and ');
    return `${this.baseUrl}/audits?$select=${AUDIT_SELECT.join(',')}&$filter=${encodeURIComponent(filter)}&$orderby=${encodeURIComponent('createdon asc')}`;
  }

  private page<T>(
    url: string,
    isItem: (item: unknown) => item is T,
    purpose: RequestPurpose,
    pageSize: number,
  ): Promise<ODataPage<T>> {
    return this.options.http.json({ ...this.base(url, purpose, pageSize), parse: (body) => parsePage(body, isItem) });
  }

  private base(url: string, purpose: RequestPurpose, pageSize: number) {
    return {
      service: 'dataverse' as const,
      method: 'GET' as const,
      url,
      token: this.options.token,
      purpose,
      headers: {
        Accept: 'application/json',
        'OData-MaxVersion': '4.0',
        'OData-Version': '4.0',
        // Sent on every request, next-page links included: Dataverse applies it per request (page-results).
        Prefer: `odata.maxpagesize=${pageSize}`,
      },
      ...(this.options.onRetry ? { onRetry: this.options.onRetry } : {}),
    };
  }

  private auditPurpose(): RequestPurpose {
    return this.purpose(
      'read the audit log',
      'a security role with prvReadAuditSummary (View Audit Summary), e.g. System Administrator',
    );
  }

  private purpose(action: string, role: string): RequestPurpose {
    const permissionFix =
      this.options.permissionType === 'application'
        ? `the application user of this app in the environment needs ${role}`
        : `the signed-in user needs ${role} in the environment`;
    return { action, permissionFix };
  }
}

/** OData DateTimeOffset literals are unquoted; the value is normalised to UTC ISO so offsets need no escaping. */
function odataDate(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`not an ISO 8601 date: ${iso}`);
  return new Date(ms).toISOString();
}
