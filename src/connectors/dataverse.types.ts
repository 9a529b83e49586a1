/** Dataverse Web API v9.2 shapes this product reads (column names as the Web API spells them). */

export interface WhoAmI {
  readonly BusinessUnitId: string;
  readonly UserId: string;
  readonly OrganizationId: string;
}

export interface DataverseSystemUser {
  readonly systemuserid: string;
  /** The Entra user object id; null for users not synced from Entra. */
  readonly azureactivedirectoryobjectid: string | null;
  readonly domainname: string | null;
  readonly fullname: string | null;
  readonly isdisabled: boolean;
  /** 0 Read-Write, 1 Administrative, 2 Read, 3 Support User, 4 Non-interactive, 5 Delegated Admin. */
  readonly accessmode: number;
  /** Set for application users. */
  readonly applicationid: string | null;
}

export interface AuditRecord {
  readonly auditid: string;
  /** 64 User Access via Web, 65 via Web Services, 1 Create, 2 Update, ... */
  readonly action: number;
  /** 1 Create, 2 Update, 3 Delete, 4 Access. */
  readonly operation: number;
  /** Logical name of the audited table, e.g. `opportunity`. */
  readonly objecttypecode: string;
  readonly createdon: string;
  /** The systemuserid of the user who caused it (the impersonated user, when impersonated). */
  readonly _userid_value: string | null;
  /**
   * The audit entity's `callinguserid` lookup: "the calling user in case of an impersonated call";
   * null when the user acted themself. A row whose calling user differs from `_userid_value` is the
   * caller's (an integration's) work, not the user's.
   */
  readonly _callinguserid_value: string | null;
}

/**
 * The organization row's audit columns (Learn, "Configure auditing"): auditing on, user access logged,
 * how often (hours, default 4) and how long rows are kept (days, -1 forever).
 */
export interface OrganizationAuditSettings {
  readonly organizationid: string;
  readonly isauditenabled: boolean;
  readonly isuseraccessauditenabled: boolean;
  readonly useraccessauditinginterval: number;
  readonly auditretentionperiodv2: number;
}

/** A table's own audit flag: EntityDefinitions `IsAuditEnabled` (a BooleanManagedProperty's `Value`). */
export interface TableAuditSetting {
  readonly logicalName: string;
  readonly isAuditEnabled: boolean;
}

/** Audit `action` codes of the rows that change auditing itself (audit entity reference). */
export const AUDIT_SETTING_ACTIONS = {
  auditEnabled: 107,
  auditDisabled: 110,
  auditLogDeletion: 111,
  userAccessAuditStarted: 112,
  userAccessAuditStopped: 113,
} as const;

export interface AuditWindow {
  /** ISO 8601; rows with `createdon ge from`. */
  readonly from: string;
  /** ISO 8601; rows with `createdon lt to`. */
  readonly to?: string;
}

export const SYSTEM_USER_SELECT: readonly string[] = [
  'systemuserid',
  'azureactivedirectoryobjectid',
  'domainname',
  'fullname',
  'isdisabled',
  'accessmode',
  'applicationid',
];

export const AUDIT_SELECT: readonly string[] = [
  'auditid',
  'action',
  'operation',
  'objecttypecode',
  'createdon',
  '_userid_value',
  '_callinguserid_value',
];

export const ORGANIZATION_AUDIT_SELECT: readonly string[] = [
  'organizationid',
  'isauditenabled',
  'isuseraccessauditenabled',
  'useraccessauditinginterval',
  'auditretentionperiodv2',
];
