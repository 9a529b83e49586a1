import type { SandboxSku } from './sku-catalog';

/** One source of one SKU for one user; Graph's licenseAssignmentStates has one entry per source. */
export interface LicenseSource {
  readonly skuId: string;
  /** null for a direct assignment, the group's object id when inherited. */
  readonly assignedByGroup: string | null;
  readonly disabledPlans: readonly string[];
  readonly lastUpdatedDateTime: string;
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
}
