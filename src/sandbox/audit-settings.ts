import type { DataverseStore } from './dataverse-store';
import { isoSeconds } from './directory';
import type { AuditSettings } from './tenant.model';

/** Audit `action` codes of the rows that record audit-setting changes (audit entity reference). */
export const AUDIT_ENABLED = 107;
export const AUDIT_DISABLED = 110;
export const AUDIT_LOG_DELETION = 111;
export const USER_ACCESS_AUDIT_STARTED = 112;
export const USER_ACCESS_AUDIT_STOPPED = 113;
export const AUDIT_SETTING_ACTIONS: readonly number[] = [
  AUDIT_ENABLED,
  AUDIT_DISABLED,
  AUDIT_LOG_DELETION,
  USER_ACCESS_AUDIT_STARTED,
  USER_ACCESS_AUDIT_STOPPED,
];

const HOUR_MS = 3_600_000;
const isAccessRow = (store: DataverseStore, i: number): boolean => store.audit.operationAt(i) === 4;
const isSettingRow = (store: DataverseStore, i: number): boolean =>
  AUDIT_SETTING_ACTIONS.includes(store.audit.actionAt(i));

/**
 * Learn documents the action codes but not the rest of these rows: the sandbox's best guess is that
 * they are written on the `organization` row (objecttypecode `organization`, the organizationid as
 * record) by the admin who changed the setting, as an Update, and a log deletion as a Delete.
 */
function settingRow(store: DataverseStore, action: number, atMs: number) {
  return {
    createdOnMs: Math.floor(atMs / 1000) * 1000,
    userIndex: adminIndex(store),
    action,
    operation: action === AUDIT_LOG_DELETION ? 3 : 2,
    table: 'organization',
    objectId: store.organization.organizationId,
  };
}

function adminIndex(store: DataverseStore): number {
  return store.systemUsers.find((user) => user.accessmode === 1)?.index ?? 0;
}

export type AuditSwitch = 'audit' | 'user-access';

/**
 * An admin turned auditing (or user-access auditing) off at `from` and on again at `to`: the two
 * setting rows are written and nothing that auditing would have recorded in between survives.
 */
export function simulateOffPeriod(store: DataverseStore, kind: AuditSwitch, from: Date, to: Date): void {
  const fromMs = from.getTime();
  const toMs = to.getTime();
  if (!(toMs > fromMs)) throw new RangeError('an off period must end after it starts');
  store.audit.removeWhere((i) => {
    const at = store.audit.createdOnAt(i);
    if (at < fromMs || at > toMs || isSettingRow(store, i)) return false;
    return kind === 'audit' || isAccessRow(store, i);
  });
  const [off, on] =
    kind === 'audit' ? [AUDIT_DISABLED, AUDIT_ENABLED] : [USER_ACCESS_AUDIT_STOPPED, USER_ACCESS_AUDIT_STARTED];
  store.audit.append([settingRow(store, off, fromMs), settingRow(store, on, toMs)]);
  const interval = { from: isoSeconds(from), to: isoSeconds(to) };
  (kind === 'audit' ? store.truth.auditOff : store.truth.userAccessOff).push(interval);
}

/** Audit log deletion: every row older than `deletedBefore` goes, and row 111 records it at `at`. */
export function deleteAuditLogs(store: DataverseStore, at: Date, deletedBefore: Date = at): number {
  const cutoff = deletedBefore.getTime();
  const removed = store.audit.removeWhere((i) => store.audit.createdOnAt(i) < cutoff);
  store.audit.append([settingRow(store, AUDIT_LOG_DELETION, at.getTime())]);
  store.truth.logDeletions.push({ at: isoSeconds(at), deletedBefore: isoSeconds(deletedBefore) });
  return removed;
}

/**
 * Changes the organization's audit columns now, writing the rows Dataverse writes for the two
 * switches (107/110, 112/113). Retention and interval changes write no row of their own here.
 */
export function changeAuditSettings(store: DataverseStore, patch: Partial<AuditSettings>, at: Date): AuditSettings {
  const rows = [];
  const before = { ...store.settings };
  Object.assign(store.settings, patch);
  if (patch.isauditenabled !== undefined && patch.isauditenabled !== before.isauditenabled)
    rows.push(settingRow(store, patch.isauditenabled ? AUDIT_ENABLED : AUDIT_DISABLED, at.getTime()));
  if (
    patch.isuseraccessauditenabled !== undefined &&
    patch.isuseraccessauditenabled !== before.isuseraccessauditenabled
  )
    rows.push(
      settingRow(
        store,
        patch.isuseraccessauditenabled ? USER_ACCESS_AUDIT_STARTED : USER_ACCESS_AUDIT_STOPPED,
        at.getTime(),
      ),
    );
  store.audit.append(rows);
  return { ...store.settings };
}

/**
 * Dataverse writes one user-access row per user per `useraccessauditinginterval` hours: access rows
 * closer than that to the same user's previous one are dropped. Returns how many were dropped.
 */
export function applyAccessInterval(store: DataverseStore): number {
  const intervalMs = store.settings.useraccessauditinginterval * HOUR_MS;
  const last = new Map<number, number>();
  return store.audit.removeWhere((i) => {
    if (!isAccessRow(store, i) || isSettingRow(store, i)) return false;
    const user = store.audit.userAt(i);
    const at = store.audit.createdOnAt(i);
    const previous = last.get(user);
    if (previous !== undefined && at - previous < intervalMs) return true;
    last.set(user, at);
    return false;
  });
}

/**
 * A user signs in: Dataverse writes an access row only while both audit switches are on and the
 * user's last access row is at least one interval old. Returns whether a row was written.
 */
export function recordAccess(store: DataverseStore, userIndex: number, at: Date, action: 64 | 65 = 64): boolean {
  if (!store.settings.isauditenabled || !store.settings.isuseraccessauditenabled) return false;
  const atMs = Math.floor(at.getTime() / 1000) * 1000;
  const intervalMs = store.settings.useraccessauditinginterval * HOUR_MS;
  const log = store.audit;
  for (let i = log.upperBound(atMs) - 1; i >= 0 && log.createdOnAt(i) > atMs - intervalMs; i--) {
    if (log.userAt(i) === userIndex && log.operationAt(i) === 4) return false;
  }
  log.append([{ createdOnMs: atMs, userIndex, action, operation: 4, table: 'systemuser' }]);
  return true;
}
