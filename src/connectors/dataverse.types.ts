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
  /** The systemuserid of the user who caused it. */
  readonly _userid_value: string | null;
}

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
];
