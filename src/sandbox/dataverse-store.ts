import { AuditLog, type AuditRowColumns } from './audit-log';
import { isoSeconds } from './directory';
import { SandboxError } from './sandbox-error';
import type {
  AuditSettings,
  DataverseOrganization,
  DirectoryUser,
  EnvironmentIdentity,
  EnvironmentTruth,
  NewAuditRow,
  SystemUser,
} from './tenant.model';

export type NewSystemUser = Omit<SystemUser, 'index' | 'createdon' | 'systemuserid'> & { systemuserid?: string };

/** As a new environment starts: auditing on, user access logged every 4 hours, rows kept forever. */
export const DEFAULT_AUDIT_SETTINGS: Readonly<AuditSettings> = {
  isauditenabled: true,
  isuseraccessauditenabled: true,
  useraccessauditinginterval: 4,
  auditretentionperiodv2: -1,
};

/** One Dynamics 365 environment (a Dataverse organization): its systemusers, audit log and settings. */
export class DataverseStore {
  private readonly users: SystemUser[] = [];
  /** systemuserids by index: audit serialization reads one per row, ~400,000 times per full read. */
  private readonly ids: string[] = [];
  private readonly byId = new Map<string, SystemUser>();
  private readonly byEntraId = new Map<string, SystemUser>();
  private readonly byApplicationId = new Map<string, SystemUser>();
  readonly audit: AuditLog;
  readonly settings: AuditSettings = { ...DEFAULT_AUDIT_SETTINGS };
  /** Logical names of tables whose own auditing (EntityDefinitions IsAuditEnabled) is off. */
  readonly unauditedTables = new Set<string>();
  /**
   * Whether the sandbox app's application user holds prvReadAuditSummary; without it `GET audits`
   * answers 403 as Dataverse does.
   */
  appCanReadAudit = true;
  /** When true, access rows (64/65) are written at most once per `useraccessauditinginterval` per user. */
  enforceAccessInterval = false;
  readonly truth: EnvironmentTruth = {
    auditOff: [],
    userAccessOff: [],
    logDeletions: [],
    impersonatedRows: 0,
    impersonatingSystemUserId: null,
    impersonatedUsers: [],
    commonTableOnlyUsers: [],
    teamMembersLevelUsers: [],
  };

  constructor(
    readonly organization: DataverseOrganization,
    seed: number,
    private readonly newId: () => string,
    readonly clock: () => Date,
    readonly environment: EnvironmentIdentity = {
      path: 'dynamics',
      name: 'primary',
      displayName: organization.name,
      environmentId: organization.organizationId,
      uniqueName: 'unq' + organization.organizationId.replace(/-/g, '').slice(0, 29),
      sku: 'Production',
    },
  ) {
    this.audit = new AuditLog(seed);
  }

  get systemUsers(): readonly SystemUser[] {
    return this.users;
  }

  systemUserIdAt(index: number): string {
    return this.ids[index]!;
  }

  findSystemUser(systemUserId: string): SystemUser | undefined {
    return this.byId.get(systemUserId.toLowerCase());
  }

  findByEntraObjectId(objectId: string): SystemUser | undefined {
    return this.byEntraId.get(objectId.toLowerCase());
  }

  findByApplicationId(applicationId: string): SystemUser | undefined {
    return this.byApplicationId.get(applicationId.toLowerCase());
  }

  addSystemUser(fields: NewSystemUser, createdon: Date = this.clock()): SystemUser {
    const systemuserid = (fields.systemuserid ?? this.newId()).toLowerCase();
    if (this.byId.has(systemuserid)) throw new SandboxError('conflict', `systemuser ${systemuserid} already exists`);
    const user: SystemUser = {
      index: this.users.length,
      systemuserid,
      azureactivedirectoryobjectid: fields.azureactivedirectoryobjectid,
      domainname: fields.domainname,
      fullname: fields.fullname,
      isdisabled: fields.isdisabled,
      accessmode: fields.accessmode,
      applicationid: fields.applicationid,
      islicensed: fields.islicensed,
      createdon: isoSeconds(createdon),
    };
    this.users.push(user);
    this.ids.push(systemuserid);
    this.byId.set(systemuserid, user);
    if (user.azureactivedirectoryobjectid) this.byEntraId.set(user.azureactivedirectoryobjectid.toLowerCase(), user);
    if (user.applicationid) this.byApplicationId.set(user.applicationid.toLowerCase(), user);
    return user;
  }

  /** Dataverse adds a licensed Entra user as a systemuser (on first access or background sync). */
  provision(user: DirectoryUser): SystemUser {
    const existing = this.findByEntraObjectId(user.id);
    if (existing) {
      existing.islicensed = true;
      return existing;
    }
    return this.addSystemUser({
      azureactivedirectoryobjectid: user.id,
      domainname: user.userPrincipalName,
      fullname: user.displayName,
      isdisabled: !user.accountEnabled,
      accessmode: 0,
      applicationid: null,
      islicensed: true,
    });
  }

  /** Adds rows for existing systemusers; returns how many were added. */
  addAuditRows(rows: readonly NewAuditRow[]): number {
    const columns: AuditRowColumns[] = rows.map((row) => {
      const user = this.resolveUser(row);
      const createdOnMs = new Date(row.createdOn).getTime();
      if (!Number.isFinite(createdOnMs))
        throw new SandboxError('invalid', `Invalid createdOn '${String(row.createdOn)}'`);
      const operation = row.operation ?? 2;
      const action = row.action ?? (operation === 4 ? 64 : operation);
      if (![operation, action].every((code) => Number.isInteger(code) && code >= 0 && code <= 255)) {
        throw new SandboxError('invalid', 'operation and action must be integers between 0 and 255');
      }
      if (typeof row.objectTypeCode !== 'string' || row.objectTypeCode === '')
        throw new SandboxError('invalid', 'objectTypeCode is required');
      const calling = row.callingSystemUserId ? this.findSystemUser(row.callingSystemUserId) : undefined;
      if (row.callingSystemUserId && !calling)
        throw new SandboxError('not_found', `No systemuser ${row.callingSystemUserId} to impersonate with`);
      return {
        createdOnMs: Math.floor(createdOnMs / 1000) * 1000,
        userIndex: user.index,
        operation,
        action,
        table: row.objectTypeCode,
        objectId: row.objectId,
        ...(calling ? { callingUserIndex: calling.index } : {}),
      };
    });
    this.audit.append(columns);
    return columns.length;
  }

  private resolveUser(row: NewAuditRow): SystemUser {
    const user = row.systemUserId
      ? this.findSystemUser(row.systemUserId)
      : row.entraObjectId
        ? this.findByEntraObjectId(row.entraObjectId)
        : undefined;
    if (!user)
      throw new SandboxError(
        'not_found',
        `No systemuser for ${row.systemUserId ?? row.entraObjectId ?? '(none given)'}`,
      );
    return user;
  }
}
