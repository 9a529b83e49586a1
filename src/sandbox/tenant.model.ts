import type { SandboxSku } from './sku-catalog';

/** One source of one SKU for one user; Graph's licenseAssignmentStates has one entry per source. */
export interface LicenseSource {
  readonly skuId: string;
  /** null for a direct assignment, the group's object id when inherited. */
  readonly assignedByGroup: string | null;
  readonly disabledPlans: readonly string[];
  readonly lastUpdatedDateTime: string;
  /**
   * licenseAssignmentState.state; absent means `Active`. `Error` (e.g. CountViolation: no free unit)
   * means the license was not assigned; `ActiveWithError` means it was, with some plans failing.
   */
  readonly state?: LicenseState;
  /** licenseAssignmentState.error, e.g. `CountViolation`; absent means none. */
  readonly error?: string;
}

export type LicenseState = 'Active' | 'ActiveWithError' | 'Disabled' | 'Error';

/**
 * Whether a source gives the user the license (a consumed unit, an entry in assignedLicenses).
 * Learn documents Error as "failed to get assigned" and ActiveWithError as assigned; what Disabled
 * means is not documented, and the sandbox's best guess is that such an assignment is not in use.
 */
export function holdsLicense(source: LicenseSource): boolean {
  return source.state === undefined || source.state === 'Active' || source.state === 'ActiveWithError';
}

export type UserType = 'Member' | 'Guest';

export interface DirectoryUser {
  readonly id: string;
  displayName: string;
  givenName: string | null;
  surname: string | null;
  userPrincipalName: string;
  mail: string | null;
  jobTitle: string | null;
  department: string | null;
  officeLocation: string | null;
  mobilePhone: string | null;
  businessPhones: string[];
  preferredLanguage: string | null;
  /** Direct license assignment needs a usage location (Graph refuses it otherwise). */
  usageLocation: string | null;
  accountEnabled: boolean;
  userType: UserType;
  readonly createdDateTime: string;
  licenses: LicenseSource[];
  groupIds: string[];
  /** Graph JSON for the last $select list asked for; dropped whenever the user changes. */
  serialized?: { readonly key: string; readonly json: string };
}

export interface GroupLicense {
  readonly skuId: string;
  readonly disabledPlans: readonly string[];
}

export interface DirectoryGroup {
  readonly id: string;
  displayName: string;
  description: string | null;
  readonly mailNickname: string;
  readonly createdDateTime: string;
  assignedLicenses: GroupLicense[];
  readonly memberIds: Set<string>;
}

export interface PrepaidUnits {
  enabled: number;
  lockedOut: number;
  suspended: number;
  warning: number;
}

export interface SkuSubscription {
  readonly sku: SandboxSku;
  /** `Company` for tenant-level SKUs (storage capacity and the like), which no user is assigned; default `User`. */
  readonly appliesTo?: 'User' | 'Company';
  prepaidUnits: PrepaidUnits;
  readonly subscriptionIds: readonly string[];
  /** Users holding the SKU through any source; kept current by every mutation. */
  consumedUnits: number;
}

/** Dataverse `systemuser.accessmode`: 0 Read-Write, 1 Administrative, 3 Support, 4 Non-interactive (application users). */
export type AccessMode = 0 | 1 | 2 | 3 | 4 | 5;

export interface SystemUser {
  /** Position in the tenant's systemuser list; audit rows refer to users by it. */
  readonly index: number;
  readonly systemuserid: string;
  azureactivedirectoryobjectid: string | null;
  domainname: string;
  fullname: string;
  isdisabled: boolean;
  accessmode: AccessMode;
  applicationid: string | null;
  islicensed: boolean;
  readonly createdon: string;
}

export interface AppRegistration {
  readonly clientId: string;
  clientSecret: string;
  readonly displayName: string;
  /** The app's service principal in this tenant: `oid` of its app-only tokens. */
  readonly servicePrincipalId: string;
  /**
   * Graph application permissions an admin consented to (the `roles` of its app-only tokens). A token
   * keeps the roles it was issued with: a changed grant shows in tokens issued after the change.
   */
  graphApplicationRoles: string[];
  /** Registered redirect URIs; null means the sandbox accepts any (its historical, lenient default). */
  redirectUris: string[] | null;
  /** Registered with Power Platform as a management application (needed for the admin environment list). */
  powerPlatformManagementApp: boolean;
  /**
   * App roles assigned to users in the app's enterprise application (user id → role values),
   * sent as the id token's `roles` claim: the console's sign-in maps them to admin or auditor.
   */
  readonly appRoleAssignments: Map<string, string[]>;
}

export interface DataverseOrganization {
  readonly organizationId: string;
  readonly businessUnitId: string;
  readonly name: string;
}

/** Where an environment lives and how discovery names it; the primary one is served at `/dynamics`. */
export interface EnvironmentIdentity {
  /** URL path segment: `dynamics` for the primary environment, `dynamics-<name>` for the others. */
  readonly path: string;
  readonly name: string;
  readonly displayName: string;
  /** Power Platform environment id (the admin list's `name`). */
  readonly environmentId: string;
  readonly uniqueName: string;
  /** `Production`, `Sandbox`, ... as the admin list's `environmentSku`. */
  readonly sku: 'Production' | 'Sandbox';
}

/** The organization row's audit columns (Learn, "Configure auditing"). */
export interface AuditSettings {
  isauditenabled: boolean;
  isuseraccessauditenabled: boolean;
  /** Hours between two user-access rows of one user; Dataverse's default is 4. */
  useraccessauditinginterval: number;
  /** Days audit rows are kept; -1 keeps them forever. */
  auditretentionperiodv2: number;
}

export interface TimeInterval {
  readonly from: string;
  readonly to: string;
}

/**
 * What was done to an environment's audit log while generating it, so tests can compute the
 * expected conclusions without asking the product.
 */
export interface EnvironmentTruth {
  /** Auditing was off (row 110 at `from`, row 107 at `to`); no row at all was written in between. */
  readonly auditOff: TimeInterval[];
  /** User-access auditing was off (113 then 112); no access row (64/65) in between. */
  readonly userAccessOff: TimeInterval[];
  /** Row 111 at `at`; every row older than `deletedBefore` is gone. */
  readonly logDeletions: Array<{ readonly at: string; readonly deletedBefore: string }>;
  /** Rows whose `_callinguserid_value` is an integration impersonating `_userid_value`. */
  impersonatedRows: number;
  impersonatingSystemUserId: string | null;
  /** Entra object ids of the users the integration impersonated. */
  readonly impersonatedUsers: string[];
  /** Entra object ids of users whose every row is on common tables (account, contact, activities). */
  readonly commonTableOnlyUsers: string[];
  /** Entra object ids of full-license holders whose only work, in every environment, is what Team Members allows. */
  readonly teamMembersLevelUsers: string[];
}

/** Input for adding users through the mutation API (HTTP or programmatic). */
export interface NewUserInput {
  id?: string;
  displayName: string;
  userPrincipalName: string;
  givenName?: string | null;
  surname?: string | null;
  mail?: string | null;
  jobTitle?: string | null;
  department?: string | null;
  accountEnabled?: boolean;
  userType?: UserType;
  usageLocation?: string | null;
}

/** Input for adding audit rows: the user by systemuserid or by Entra object id. */
export interface NewAuditRow {
  systemUserId?: string;
  entraObjectId?: string;
  createdOn: string | Date;
  /** Defaults to 2 (Update), or 64 for operation 4 (Access). */
  action?: number;
  /** 1 Create, 2 Update, 3 Delete, 4 Access; defaults to 2. */
  operation?: number;
  objectTypeCode: string;
  objectId?: string;
  /** An integration impersonating the user: the row's `_callinguserid_value`. */
  callingSystemUserId?: string;
}

/** Tenant-wide facts of the generated scenario (see EnvironmentTruth for the per-environment ones). */
export interface TenantTruth {
  readonly nonActiveAssignments: Array<{
    readonly userId: string;
    readonly skuId: string;
    readonly skuPartNumber: string;
    readonly state: LicenseState;
    readonly error: string | null;
    readonly assignedByGroup: string | null;
  }>;
  /** SKUs whose prepaid units the scenario moved into warning, suspended or lockedOut. */
  readonly unitChanges: Array<{ readonly skuPartNumber: string; readonly units: Partial<PrepaidUnits> }>;
  companySku: { readonly skuId: string; readonly skuPartNumber: string } | null;
}
