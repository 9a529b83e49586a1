/** Graph v1.0 shapes this product reads; optional where Graph omits them unless `$select`ed. */

export interface LicenseUnitsDetail {
  readonly enabled: number;
  readonly suspended: number;
  readonly warning: number;
  /** Missing from older responses. */
  readonly lockedOut?: number;
}

export interface ServicePlanInfo {
  readonly servicePlanId: string;
  readonly servicePlanName: string;
  /** `Success`, `Disabled`, `Error`, `PendingInput`, `PendingActivation`, `PendingProvisioning`. */
  readonly provisioningStatus: string;
  /** `User` or `Company`. */
  readonly appliesTo: string;
}

export interface SubscribedSku {
  /** `<tenant guid>_<skuId>`. */
  readonly id: string;
  readonly skuId: string;
  readonly skuPartNumber: string;
  /** `User` or `Company`; only `User` SKUs are assignable. */
  readonly appliesTo: string;
  /** `Enabled`, `Warning`, `Suspended`, `Deleted`, `LockedOut`. */
  readonly capabilityStatus: string;
  readonly consumedUnits: number;
  readonly prepaidUnits: LicenseUnitsDetail;
  readonly servicePlans: readonly ServicePlanInfo[];
  readonly subscriptionIds?: readonly string[];
  readonly accountId?: string;
  readonly accountName?: string;
}

export interface AssignedLicense {
  readonly skuId: string;
  readonly disabledPlans: readonly string[];
}

export interface LicenseAssignmentState {
  readonly skuId: string;
  /** null for a direct assignment, the group's object id when inherited. */
  readonly assignedByGroup: string | null;
  /** `Active`, `ActiveWithError`, `Disabled`, `Error`. */
  readonly state: string;
  /** null, or `CountViolation`, `MutuallyExclusiveViolation`, `DependencyViolation`, ... */
  readonly error: string | null;
  readonly disabledPlans?: readonly string[];
  readonly lastUpdatedDateTime: string | null;
}

export interface GraphUser {
  readonly id: string;
  readonly userPrincipalName?: string;
  readonly displayName?: string | null;
  readonly mail?: string | null;
  readonly accountEnabled?: boolean;
  /** `Member` or `Guest`. */
  readonly userType?: string | null;
  readonly assignedLicenses?: readonly AssignedLicense[];
  readonly licenseAssignmentStates?: readonly LicenseAssignmentState[];
}

export interface GraphGroup {
  readonly id: string;
  readonly displayName: string;
}

export interface LicenseChange {
  readonly addLicenses: readonly AssignedLicense[];
  /** skuIds. */
  readonly removeLicenses: readonly string[];
}

/** What the daily download selects: everything the ledger derives from. */
export const USER_LICENSE_SELECT: readonly string[] = [
  'id',
  'userPrincipalName',
  'displayName',
  'accountEnabled',
  'userType',
  'assignedLicenses',
  'licenseAssignmentStates',
];
