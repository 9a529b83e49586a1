import { holdsLicense, type DirectoryUser, type GroupLicense, type LicenseSource } from './tenant.model';

/** Helpers over a user's license sources, shared by the directory and Graph's user JSON. */

/** The SKUs a user holds, each once, whatever the number of sources (Graph's assignedLicenses). */
export function heldSkuIds(sources: readonly LicenseSource[]): Set<string> {
  const held = new Set<string>();
  for (const source of sources) if (holdsLicense(source)) held.add(source.skuId);
  return held;
}

/**
 * A plan stays enabled if any source enables it, so only plans every source disables are disabled.
 * Sources that do not give the license (state Error) are not in assignedLicenses.
 */
export function effectiveLicenses(sources: readonly LicenseSource[]): GroupLicense[] {
  const bySku = new Map<string, string[]>();
  for (const source of sources) {
    if (!holdsLicense(source)) continue;
    const disabled = bySku.get(source.skuId);
    bySku.set(
      source.skuId,
      disabled ? disabled.filter((plan) => source.disabledPlans.includes(plan)) : [...source.disabledPlans],
    );
  }
  return [...bySku].map(([skuId, disabledPlans]) => ({ skuId, disabledPlans }));
}

export function touch(user: DirectoryUser): void {
  user.serialized = undefined;
}

/** Microsoft's services print instants to the second: `2024-05-12T22:19:12Z`. */
export function isoSeconds(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

export function sameId(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
