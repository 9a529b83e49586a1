import type { DataverseStore } from '../dataverse-store';
import { formattedDate } from './query-options';

const OPERATION_LABELS: Readonly<Record<number, string>> = { 1: 'Create', 2: 'Update', 3: 'Delete', 4: 'Access' };
const ACTION_LABELS: Readonly<Record<number, string>> = {
  1: 'Create',
  2: 'Update',
  3: 'Delete',
  12: 'Merge',
  13: 'Assign',
  14: 'Share',
  15: 'Retrieve',
  41: 'Set State',
  64: 'User Access via Web',
  65: 'User Access via Web Services',
  107: 'Audit Enabled',
  110: 'Audit Disabled',
  111: 'Audit Log Deletion',
  112: 'User Access Audit Started',
  113: 'User Access Audit Stopped',
};
const FORMATTED = 'OData.Community.Display.V1.FormattedValue';
const LOOKUP = 'Microsoft.Dynamics.CRM.lookuplogicalname';

export interface AuditJsonOptions {
  readonly formatted: boolean;
  readonly lookups: boolean;
}

/**
 * Writes audit rows as JSON text column by column: a full audit read is ~400,000 rows, and building
 * an object per row only to stringify it made the sandbox slower than the client reading it.
 */
export function auditRowWriter(
  store: DataverseStore,
  columns: readonly string[],
  options: AuditJsonOptions,
): (i: number) => string {
  const log = store.audit;
  const tableJson = new Map<string, string>();
  const quotedTable = (name: string): string => {
    let json = tableJson.get(name);
    if (json === undefined) tableJson.set(name, (json = JSON.stringify(name)));
    return json;
  };
  const userNames = new Map<number, string>();
  const quotedName = (index: number): string => {
    let json = userNames.get(index);
    if (json === undefined) userNames.set(index, (json = JSON.stringify(store.systemUsers[index]!.fullname)));
    return json;
  };
  const writers = columns.map((column): ((i: number) => string) => {
    switch (column) {
      case 'auditid':
        return (i) => `"auditid":"${log.auditIdAt(i)}"`;
      case 'action':
        return options.formatted
          ? (i) =>
              `"action@${FORMATTED}":${JSON.stringify(ACTION_LABELS[log.actionAt(i)] ?? String(log.actionAt(i)))},"action":${log.actionAt(i)}`
          : (i) => `"action":${log.actionAt(i)}`;
      case 'operation':
        return options.formatted
          ? (i) =>
              `"operation@${FORMATTED}":"${OPERATION_LABELS[log.operationAt(i)] ?? log.operationAt(i)}","operation":${log.operationAt(i)}`
          : (i) => `"operation":${log.operationAt(i)}`;
      case 'objecttypecode':
        return (i) => `"objecttypecode":${quotedTable(log.tableAt(i))}`;
      case 'createdon':
        return options.formatted
          ? (i) =>
              `"createdon@${FORMATTED}":"${formattedDate(log.createdOnAt(i))}","createdon":"${isoSeconds(log.createdOnAt(i))}"`
          : (i) => `"createdon":"${isoSeconds(log.createdOnAt(i))}"`;
      case '_userid_value':
        return (i) => {
          const index = log.userAt(i);
          const formatted = options.formatted ? `"_userid_value@${FORMATTED}":${quotedName(index)},` : '';
          const lookup = options.lookups ? `"_userid_value@${LOOKUP}":"systemuser",` : '';
          return `${formatted}${lookup}"_userid_value":"${store.systemUserIdAt(index)}"`;
        };
      case '_callinguserid_value':
        return (i) => {
          const calling = log.callingUserAt(i);
          if (calling === null) return '"_callinguserid_value":null';
          const formatted = options.formatted ? `"_callinguserid_value@${FORMATTED}":${quotedName(calling)},` : '';
          const lookup = options.lookups ? `"_callinguserid_value@${LOOKUP}":"systemuser",` : '';
          return `${formatted}${lookup}"_callinguserid_value":"${store.systemUserIdAt(calling)}"`;
        };
      case '_objectid_value':
        return (i) => {
          const lookup = options.lookups ? `"_objectid_value@${LOOKUP}":${quotedTable(log.tableAt(i))},` : '';
          return `${lookup}"_objectid_value":"${log.objectIdAt(i) ?? store.systemUserIdAt(log.userAt(i))}"`;
        };
      default:
        return () => `${JSON.stringify(column)}:null`;
    }
  });
  return (i) => {
    let json = '{';
    for (let c = 0; c < writers.length; c++) json += (c === 0 ? '' : ',') + writers[c]!(i);
    return `${json}}`;
  };
}

const dayPrefixes = new Map<number, string>();

/** `2026-02-27T10:00:00Z` without a Date per row; the date part is cached per day. */
export function isoSeconds(ms: number): string {
  const day = Math.floor(ms / 86_400_000);
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) dayPrefixes.set(day, (prefix = new Date(day * 86_400_000).toISOString().slice(0, 11)));
  const seconds = Math.floor((ms - day * 86_400_000) / 1000);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `${prefix}${h < 10 ? '0' : ''}${h}:${m < 10 ? '0' : ''}${m}:${s < 10 ? '0' : ''}${s}Z`;
}
