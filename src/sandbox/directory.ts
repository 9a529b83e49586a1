// A little over 300 lines: the sandbox's directory (users, groups, their licenses and Graph's
// assignment rules) is one model; its license-source helpers are already in license-sources.ts.
import { compareIds, heldSkuIds, isoSeconds, sameId, touch } from './license-sources';
import { SandboxError } from './sandbox-error';
import type { SandboxSku } from './sku-catalog';
import {
  holdsLicense,
  type DirectoryGroup,
  type DirectoryUser,
  type LicenseSource,
  type PrepaidUnits,
  type SkuSubscription,
} from './tenant.model';

export interface LicenseToAdd {
  readonly skuId: string;
  readonly disabledPlans?: readonly string[];
}

/** Called when a user gains a SKU, so the Dataverse side can provision a systemuser as Microsoft does. */
export type LicenseGainedListener = (user: DirectoryUser, sku: SandboxSku) => void;

/**
 * The Entra side of the tenant: users (kept sorted by id, the order Graph pages in), groups,
 * license sources and per-SKU consumed units, all kept consistent by every mutation.
 */
export class Directory {
  private readonly sorted: DirectoryUser[];
  private readonly byId = new Map<string, DirectoryUser>();
  private readonly byUpn = new Map<string, DirectoryUser>();
  private readonly subscriptionsById = new Map<string, SkuSubscription>();
  private readonly subscriptionsByPart = new Map<string, SkuSubscription>();
  readonly groups = new Map<string, DirectoryGroup>();
  onLicenseGained: LicenseGainedListener = () => undefined;

  constructor(
    users: DirectoryUser[],
    groups: readonly DirectoryGroup[],
    subscriptions: readonly SkuSubscription[],
    private readonly clock: () => Date,
  ) {
    for (const subscription of subscriptions) {
      subscription.consumedUnits = 0;
      this.subscriptionsById.set(subscription.sku.skuId.toLowerCase(), subscription);
      this.subscriptionsByPart.set(subscription.sku.skuPartNumber.toLowerCase(), subscription);
    }
    for (const group of groups) this.groups.set(group.id, group);
    this.sorted = [...users].sort((a, b) => compareIds(a.id, b.id));
    for (const user of this.sorted) {
      this.index(user);
      for (const skuId of heldSkuIds(user.licenses)) this.requireSubscription(skuId).consumedUnits++;
    }
  }

  /** Users in Graph's paging order. Do not mutate the array. */
  get users(): readonly DirectoryUser[] {
    return this.sorted;
  }

  get subscriptions(): readonly SkuSubscription[] {
    return [...this.subscriptionsById.values()];
  }

  /** By object id or userPrincipalName, as Graph's /users/{id | userPrincipalName}. */
  findUser(idOrUpn: string): DirectoryUser | undefined {
    const key = idOrUpn.toLowerCase();
    return this.byId.get(key) ?? this.byUpn.get(key);
  }

  requireUser(idOrUpn: string): DirectoryUser {
    const user = this.findUser(idOrUpn);
    if (!user) throw new SandboxError('not_found', `User '${idOrUpn}' does not exist.`);
    return user;
  }

  /** First position whose id sorts after `id`; the key a Graph $skiptoken resumes from. */
  positionAfter(id: string): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareIds(this.sorted[mid]!.id, id) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  findSubscription(skuIdOrPartNumber: string): SkuSubscription | undefined {
    const key = skuIdOrPartNumber.toLowerCase();
    return this.subscriptionsById.get(key) ?? this.subscriptionsByPart.get(key);
  }

  requireSubscription(skuIdOrPartNumber: string): SkuSubscription {
    const subscription = this.findSubscription(skuIdOrPartNumber);
    if (!subscription) {
      throw new SandboxError('invalid', `License ${skuIdOrPartNumber} does not correspond to a valid company License.`);
    }
    return subscription;
  }

  requireGroup(id: string): DirectoryGroup {
    const group = this.groups.get(id.toLowerCase());
    if (!group) throw new SandboxError('not_found', `Group '${id}' does not exist.`);
    return group;
  }

  addUser(user: DirectoryUser): void {
    if (this.byId.has(user.id) || this.byUpn.has(user.userPrincipalName.toLowerCase())) {
      throw new SandboxError(
        'conflict',
        'Another object with the same value for property userPrincipalName already exists.',
      );
    }
    this.sorted.splice(this.positionAfter(user.id), 0, user);
    this.index(user);
    const held = [...heldSkuIds(user.licenses)];
    for (const skuId of held) this.requireSubscription(skuId).consumedUnits++;
  }

  deleteUser(idOrUpn: string): DirectoryUser {
    const user = this.requireUser(idOrUpn);
    for (const skuId of heldSkuIds(user.licenses)) this.requireSubscription(skuId).consumedUnits--;
    for (const groupId of user.groupIds) this.groups.get(groupId)?.memberIds.delete(user.id);
    this.sorted.splice(this.positionAfter(user.id) - 1, 1);
    this.byId.delete(user.id);
    this.byUpn.delete(user.userPrincipalName.toLowerCase());
    return user;
  }

  /**
   * Graph assignLicense semantics, validated before anything changes: a removal takes away only the
   * direct copy; a SKU held only through a group cannot be removed from the user.
   */
  changeDirectLicenses(
    idOrUpn: string,
    add: readonly LicenseToAdd[],
    remove: readonly string[],
    options: { enforceGraphRules?: boolean } = {},
  ): DirectoryUser {
    const user = this.requireUser(idOrUpn);
    const adds = add.map((license) => ({ license, subscription: this.requireSubscription(license.skuId) }));
    const removes = remove.map((skuId) => this.requireSubscription(skuId));
    if (options.enforceGraphRules)
      this.checkAssignable(
        user,
        adds.map(({ subscription }) => subscription),
      );
    for (const subscription of removes) {
      const sources = user.licenses.filter((source) => sameId(source.skuId, subscription.sku.skuId));
      if (sources.length === 0) throw new SandboxError('not_assigned', 'User does not have a corresponding license.');
      if (!sources.some((source) => source.assignedByGroup === null)) {
        throw new SandboxError(
          'group_inherited',
          'User license is inherited from a group membership and it cannot be removed directly from the user.',
        );
      }
    }
    const removedIds = new Set(removes.map((subscription) => subscription.sku.skuId));
    for (const skuId of removedIds) this.removeSource(user, skuId, null);
    for (const { license, subscription } of adds) {
      this.removeSource(user, subscription.sku.skuId, null);
      this.addSource(user, subscription, null, license.disabledPlans ?? []);
    }
    return user;
  }

  /** Graph refuses direct assignments without a usage location or free units; the control API does not. */
  private checkAssignable(user: DirectoryUser, subscriptions: readonly SkuSubscription[]): void {
    if (subscriptions.length === 0) return;
    if (!user.usageLocation) {
      throw new SandboxError(
        'no_usage_location',
        'License assignment cannot be done for user with invalid usage location.',
      );
    }
    for (const subscription of subscriptions) {
      const held = user.licenses.some((source) => holdsLicense(source) && sameId(source.skuId, subscription.sku.skuId));
      const { enabled, warning } = subscription.prepaidUnits;
      if (!held && subscription.consumedUnits >= enabled + warning) {
        throw new SandboxError(
          'no_units',
          `Subscription with SKU ${subscription.sku.skuId} does not have any available licenses.`,
        );
      }
    }
  }

  assignGroupLicense(
    groupId: string,
    skuIdOrPartNumber: string,
    disabledPlans: readonly string[] = [],
  ): DirectoryGroup {
    const group = this.requireGroup(groupId);
    const subscription = this.requireSubscription(skuIdOrPartNumber);
    const skuId = subscription.sku.skuId;
    group.assignedLicenses = [
      ...group.assignedLicenses.filter((l) => !sameId(l.skuId, skuId)),
      { skuId, disabledPlans },
    ];
    for (const memberId of group.memberIds) {
      const member = this.requireUser(memberId);
      this.removeSource(member, skuId, group.id);
      this.addSource(member, subscription, group.id, disabledPlans);
    }
    return group;
  }

  addGroup(group: DirectoryGroup): void {
    if (this.groups.has(group.id)) throw new SandboxError('conflict', `Group '${group.id}' already exists.`);
    this.groups.set(group.id, group);
  }

  addGroupMember(groupId: string, userIdOrUpn: string): void {
    const group = this.requireGroup(groupId);
    const user = this.requireUser(userIdOrUpn);
    if (group.memberIds.has(user.id)) return;
    group.memberIds.add(user.id);
    user.groupIds = [...user.groupIds, group.id];
    for (const license of group.assignedLicenses) {
      this.addSource(user, this.requireSubscription(license.skuId), group.id, license.disabledPlans);
    }
    touch(user);
  }

  removeGroupMember(groupId: string, userIdOrUpn: string): void {
    const group = this.requireGroup(groupId);
    const user = this.requireUser(userIdOrUpn);
    if (!group.memberIds.delete(user.id)) return;
    user.groupIds = user.groupIds.filter((id) => id !== group.id);
    for (const license of group.assignedLicenses) this.removeSource(user, license.skuId, group.id);
    touch(user);
  }

  setPrepaidUnits(skuIdOrPartNumber: string, units: Partial<PrepaidUnits>): SkuSubscription {
    const subscription = this.requireSubscription(skuIdOrPartNumber);
    subscription.prepaidUnits = { ...subscription.prepaidUnits, ...units };
    return subscription;
  }

  updateUser(idOrUpn: string, apply: (user: DirectoryUser) => void): DirectoryUser {
    const user = this.requireUser(idOrUpn);
    apply(user);
    touch(user);
    return user;
  }

  /** A tenant-level (or late-bought) SKU joins the tenant's subscriptions. */
  addSubscription(subscription: SkuSubscription): void {
    if (this.subscriptionsById.has(subscription.sku.skuId.toLowerCase()))
      throw new SandboxError('conflict', `The tenant already has ${subscription.sku.skuPartNumber}.`);
    this.subscriptionsById.set(subscription.sku.skuId.toLowerCase(), subscription);
    this.subscriptionsByPart.set(subscription.sku.skuPartNumber.toLowerCase(), subscription);
  }

  /**
   * Records an assignment in a given state, as Entra leaves one behind (a group assignment that
   * failed for want of units is `Error`/`CountViolation`); only held states consume a unit.
   */
  addSourceInState(idOrUpn: string, source: LicenseSource): DirectoryUser {
    const user = this.requireUser(idOrUpn);
    const subscription = this.requireSubscription(source.skuId);
    const heldBefore = user.licenses.some((s) => holdsLicense(s) && sameId(s.skuId, source.skuId));
    if (source.assignedByGroup) {
      const group = this.requireGroup(source.assignedByGroup);
      group.memberIds.add(user.id);
      if (!user.groupIds.includes(group.id)) user.groupIds = [...user.groupIds, group.id];
    }
    user.licenses = [...user.licenses, source];
    if (!heldBefore && holdsLicense(source)) {
      subscription.consumedUnits++;
      this.onLicenseGained(user, subscription.sku);
    }
    touch(user);
    return user;
  }

  private addSource(
    user: DirectoryUser,
    subscription: SkuSubscription,
    groupId: string | null,
    disabledPlans: readonly string[],
  ): void {
    const skuId = subscription.sku.skuId;
    const hadSku = user.licenses.some((source) => holdsLicense(source) && sameId(source.skuId, skuId));
    const source: LicenseSource = {
      skuId,
      assignedByGroup: groupId,
      disabledPlans: [...disabledPlans],
      lastUpdatedDateTime: isoSeconds(this.clock()),
    };
    user.licenses = [...user.licenses, source];
    if (!hadSku) {
      subscription.consumedUnits++;
      this.onLicenseGained(user, subscription.sku);
    }
    touch(user);
  }

  private removeSource(user: DirectoryUser, skuId: string, groupId: string | null): void {
    const before = user.licenses.length;
    const heldBefore = user.licenses.some((s) => holdsLicense(s) && sameId(s.skuId, skuId));
    user.licenses = user.licenses.filter((s) => !(sameId(s.skuId, skuId) && s.assignedByGroup === groupId));
    if (user.licenses.length === before) return;
    if (heldBefore && !user.licenses.some((s) => holdsLicense(s) && sameId(s.skuId, skuId)))
      this.requireSubscription(skuId).consumedUnits--;
    touch(user);
  }

  private index(user: DirectoryUser): void {
    this.byId.set(user.id, user);
    this.byUpn.set(user.userPrincipalName.toLowerCase(), user);
  }
}

export { compareIds, effectiveLicenses, heldSkuIds, isoSeconds, sameId, touch } from './license-sources';
