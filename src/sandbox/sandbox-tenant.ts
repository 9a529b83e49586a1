import type { DataverseStore } from './dataverse-store';
import { Directory, isoSeconds } from './directory';
import { uuid, type Rng } from './random';
import { SandboxError } from './sandbox-error';
import type {
  AppRegistration,
  DirectoryGroup,
  DirectoryUser,
  NewAuditRow,
  NewUserInput,
  PrepaidUnits,
  SkuSubscription,
  TenantTruth,
} from './tenant.model';

export interface TenantIdentity {
  readonly tenantId: string;
  /** The tenant's initial domain, e.g. `contoso.onmicrosoft.com`. */
  readonly domain: string;
  readonly organizationName: string;
  /** The built-in admin, deemed signed in at the authorize endpoint. */
  readonly adminUserId: string;
}

export interface AssignLicenseOptions {
  readonly disabledPlans?: readonly string[];
  /** Assign through this group's membership instead of directly; the group must assign the SKU. */
  readonly viaGroupId?: string;
}

export interface TenantSummary {
  readonly tenantId: string;
  readonly users: number;
  readonly guests: number;
  readonly disabledUsers: number;
  readonly groups: ReadonlyArray<{ id: string; displayName: string; members: number; skus: string[] }>;
  readonly skus: ReadonlyArray<{
    skuPartNumber: string;
    skuId: string;
    consumedUnits: number;
    prepaidUnits: PrepaidUnits;
  }>;
  readonly systemUsers: number;
  readonly auditRows: number;
  readonly environments: ReadonlyArray<{ name: string; path: string; systemUsers: number; auditRows: number }>;
}

/** A Power Platform environment created without a Dataverse database: listed by the admin API, not reachable. */
export interface PlatformOnlyEnvironment {
  readonly environmentId: string;
  readonly displayName: string;
}

/**
 * The whole sandbox tenant: Entra directory, app registration and Dynamics environment, plus the
 * mutation API that tests and the `/_sandbox` endpoints use to change it. These mutations are the
 * administrator's own actions, so they skip Graph's checks (usage location, free units).
 */
export class SandboxTenant {
  private readonly startedAtMs = Date.now();
  /** Every Dynamics 365 environment, the primary one (`dataverse`, served at `/dynamics`) first. */
  readonly environments: DataverseStore[];
  readonly platformOnlyEnvironments: PlatformOnlyEnvironment[] = [];
  readonly truth: TenantTruth = { nonActiveAssignments: [], unitChanges: [], companySku: null };

  constructor(
    readonly seed: number,
    /** The tenant's "now" at generation; its clock runs on from there. */
    readonly now: Date,
    readonly identity: TenantIdentity,
    readonly app: AppRegistration,
    readonly directory: Directory,
    readonly dataverse: DataverseStore,
    private readonly rng: Rng,
  ) {
    this.environments = [dataverse];
    directory.onLicenseGained = (user, sku) => {
      if (sku.family !== 'office') for (const environment of this.environments) environment.provision(user);
    };
  }

  /** An environment by its name (`primary`, `sales`, ...) or path (`dynamics`, `dynamics-sales`). */
  requireEnvironment(nameOrPath: string): DataverseStore {
    const key = nameOrPath.toLowerCase();
    const found = this.environments.find((store) => store.environment.name === key || store.environment.path === key);
    if (!found) throw new SandboxError('not_found', `No environment '${nameOrPath}'.`);
    return found;
  }

  get tenantId(): string {
    return this.identity.tenantId;
  }

  currentTime(): Date {
    return new Date(this.now.getTime() + (Date.now() - this.startedAtMs));
  }

  addUser(input: NewUserInput): DirectoryUser {
    if (typeof input.displayName !== 'string' || input.displayName.trim() === '')
      throw new SandboxError('invalid', 'displayName is required');
    if (typeof input.userPrincipalName !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(input.userPrincipalName)) {
      throw new SandboxError('invalid', 'userPrincipalName must look like alias@domain');
    }
    const user: DirectoryUser = {
      id: (input.id ?? uuid(this.rng)).toLowerCase(),
      displayName: input.displayName,
      givenName: input.givenName ?? null,
      surname: input.surname ?? null,
      userPrincipalName: input.userPrincipalName,
      mail: input.mail ?? null,
      jobTitle: input.jobTitle ?? null,
      department: input.department ?? null,
      officeLocation: null,
      mobilePhone: null,
      businessPhones: [],
      preferredLanguage: null,
      usageLocation: input.usageLocation === undefined ? 'US' : input.usageLocation,
      accountEnabled: input.accountEnabled ?? true,
      userType: input.userType ?? 'Member',
      createdDateTime: isoSeconds(this.currentTime()),
      licenses: [],
      groupIds: [],
    };
    this.directory.addUser(user);
    return user;
  }

  /** Deleting an Entra user leaves its Dataverse systemuser behind, disabled, as Dataverse does. */
  deleteUser(idOrUpn: string): void {
    const user = this.directory.deleteUser(idOrUpn);
    const systemUser = this.dataverse.findByEntraObjectId(user.id);
    if (systemUser) systemUser.isdisabled = true;
  }

  updateUser(
    idOrUpn: string,
    patch: Partial<Pick<DirectoryUser, 'accountEnabled' | 'displayName' | 'usageLocation' | 'jobTitle' | 'department'>>,
  ): DirectoryUser {
    const user = this.directory.updateUser(idOrUpn, (target) => Object.assign(target, patch));
    const systemUser = this.dataverse.findByEntraObjectId(user.id);
    if (systemUser && patch.accountEnabled !== undefined) systemUser.isdisabled = !patch.accountEnabled;
    return user;
  }

  assignLicense(idOrUpn: string, skuIdOrPartNumber: string, options: AssignLicenseOptions = {}): DirectoryUser {
    const subscription = this.directory.requireSubscription(skuIdOrPartNumber);
    if (options.viaGroupId) {
      const group = this.directory.requireGroup(options.viaGroupId);
      if (!group.assignedLicenses.some((license) => license.skuId === subscription.sku.skuId)) {
        throw new SandboxError(
          'invalid',
          `Group '${group.displayName}' does not assign ${subscription.sku.skuPartNumber}.`,
        );
      }
      this.directory.addGroupMember(group.id, idOrUpn);
      return this.directory.requireUser(idOrUpn);
    }
    return this.directory.changeDirectLicenses(
      idOrUpn,
      [{ skuId: subscription.sku.skuId, disabledPlans: options.disabledPlans ?? [] }],
      [],
    );
  }

  /** Removes the direct copy, as Graph assignLicense would (refused when only a group assigns it). */
  removeLicense(idOrUpn: string, skuIdOrPartNumber: string): DirectoryUser {
    return this.directory.changeDirectLicenses(idOrUpn, [], [skuIdOrPartNumber]);
  }

  addGroup(input: {
    displayName: string;
    description?: string | null;
    id?: string;
    licenses?: readonly string[];
  }): DirectoryGroup {
    const group: DirectoryGroup = {
      id: (input.id ?? uuid(this.rng)).toLowerCase(),
      displayName: input.displayName,
      description: input.description ?? null,
      mailNickname: input.displayName.replace(/[^A-Za-z0-9]/g, ''),
      createdDateTime: isoSeconds(this.currentTime()),
      assignedLicenses: [],
      memberIds: new Set(),
    };
    this.directory.addGroup(group);
    for (const sku of input.licenses ?? []) this.directory.assignGroupLicense(group.id, sku);
    return group;
  }

  assignGroupLicense(
    groupId: string,
    skuIdOrPartNumber: string,
    disabledPlans: readonly string[] = [],
  ): DirectoryGroup {
    return this.directory.assignGroupLicense(groupId, skuIdOrPartNumber, disabledPlans);
  }

  addGroupMember(groupId: string, userIdOrUpn: string): void {
    this.directory.addGroupMember(groupId, userIdOrUpn);
  }

  removeGroupMember(groupId: string, userIdOrUpn: string): void {
    this.directory.removeGroupMember(groupId, userIdOrUpn);
  }

  setPrepaidUnits(skuIdOrPartNumber: string, units: Partial<PrepaidUnits>): SkuSubscription {
    return this.directory.setPrepaidUnits(skuIdOrPartNumber, units);
  }

  addAuditRows(rows: readonly NewAuditRow[]): number {
    return this.dataverse.addAuditRows(rows);
  }

  /**
   * Adds a redirect URI to the app registration. The first one turns on Entra's check: from then on the
   * authorize endpoint refuses any redirect URI not registered (AADSTS50011).
   */
  registerRedirectUri(uri: string): string[] {
    if (typeof uri !== 'string' || !/^https?:\/\/[^/\s]+/i.test(uri))
      throw new SandboxError('invalid', 'redirect URI must be an absolute http(s) URL');
    const current = this.app.redirectUris ?? [];
    if (!current.includes(uri)) this.app.redirectUris = [...current, uri];
    return [...this.app.redirectUris!];
  }

  /** Replaces the app's secret; the old one stops working at once (a deleted secret, in Entra terms). */
  rotateClientSecret(newSecret?: string): string {
    this.app.clientSecret = newSecret ?? clientSecretFrom(this.rng);
    return this.app.clientSecret;
  }

  summary(): TenantSummary {
    const users = this.directory.users;
    return {
      tenantId: this.tenantId,
      users: users.length,
      guests: users.filter((user) => user.userType === 'Guest').length,
      disabledUsers: users.filter((user) => !user.accountEnabled).length,
      groups: [...this.directory.groups.values()].map((group) => ({
        id: group.id,
        displayName: group.displayName,
        members: group.memberIds.size,
        skus: group.assignedLicenses.map(
          (license) => this.directory.requireSubscription(license.skuId).sku.skuPartNumber,
        ),
      })),
      skus: this.directory.subscriptions.map((subscription) => ({
        skuPartNumber: subscription.sku.skuPartNumber,
        skuId: subscription.sku.skuId,
        consumedUnits: subscription.consumedUnits,
        prepaidUnits: { ...subscription.prepaidUnits },
      })),
      systemUsers: this.dataverse.systemUsers.length,
      auditRows: this.dataverse.audit.length,
      environments: this.environments.map((store) => ({
        name: store.environment.name,
        path: store.environment.path,
        systemUsers: store.systemUsers.length,
        auditRows: store.audit.length,
      })),
    };
  }
}

/** Entra client secrets are 40 characters with a `~` at position 4 (e.g. `abc8Q~...`). */
export function clientSecretFrom(rng: Rng): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-';
  let secret = '';
  for (let i = 0; i < 40; i++) secret += i === 3 ? '~' : alphabet[Math.floor(rng() * alphabet.length)];
  return secret;
}
