import { queryParam, type Reply, type SandboxRequest } from '../http/reply';
import { derivedUuid, hash32 } from '../random';
import { dataverseError, dataverseJson, dataverseQueryError } from './dataverse-http';
import type { EnvironmentContext } from './environment-context';
import { compileFilter, type ColumnType } from './odata-filter';
import { parseFilterOption, parseSelect } from './query-options';

/** The tables every sandbox environment has: the catalog's activity tables plus the ones audit rows name. */
export const ENVIRONMENT_TABLES: readonly string[] = [
  'account',
  'contact',
  'task',
  'email',
  'phonecall',
  'appointment',
  'annotation',
  'opportunity',
  'lead',
  'quote',
  'salesorder',
  'invoice',
  'competitor',
  'product',
  'pricelevel',
  'goal',
  'incident',
  'queueitem',
  'knowledgearticle',
  'entitlement',
  'contract',
  'msdyn_workorder',
  'msdyn_workorderservicetask',
  'systemuser',
  'organization',
];

const COLUMNS: Readonly<Record<string, ColumnType>> = {
  LogicalName: 'string',
  EntitySetName: 'string',
  MetadataId: 'guid',
  IsAuditEnabled: 'boolean',
  // Complex-typed properties are filtered through their primitive (query-metadata-web-api).
  'IsAuditEnabled/Value': 'boolean',
};

const SELECTABLE: Readonly<Record<string, ColumnType>> = {
  LogicalName: 'string',
  EntitySetName: 'string',
  MetadataId: 'guid',
  IsAuditEnabled: 'boolean',
};

interface TableDefinition {
  readonly logicalName: string;
  readonly auditEnabled: boolean;
}

function metadataId(logicalName: string): string {
  let h = 0;
  for (const ch of logicalName) h = hash32(h, ch.charCodeAt(0), 0, 0);
  return derivedUuid(h, 13, 0);
}

/** `accounts`, `opportunities`, `queueitems`: English plurals as Dataverse's entity-set names. */
function entitySetName(logicalName: string): string {
  if (/[^aeiou]y$/.test(logicalName)) return `${logicalName.slice(0, -1)}ies`;
  if (/(s|x|ch|sh)$/.test(logicalName)) return `${logicalName}es`;
  return `${logicalName}s`;
}

function read(table: TableDefinition, property: string): string | boolean {
  switch (property) {
    case 'LogicalName':
      return table.logicalName;
    case 'EntitySetName':
      return entitySetName(table.logicalName);
    case 'MetadataId':
      return metadataId(table.logicalName);
    default:
      return table.auditEnabled;
  }
}

/** IsAuditEnabled is a BooleanManagedProperty: `{Value, CanBeChanged, ManagedPropertyLogicalName}`. */
function definitionJson(table: TableDefinition, columns: readonly string[]): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const column of columns) {
    row[column] =
      column === 'IsAuditEnabled'
        ? { Value: table.auditEnabled, CanBeChanged: true, ManagedPropertyLogicalName: 'canmodifyauditsettings' }
        : read(table, column);
  }
  row['MetadataId'] = metadataId(table.logicalName);
  return row;
}

function tables(env: EnvironmentContext): TableDefinition[] {
  return ENVIRONMENT_TABLES.map((logicalName) => ({
    logicalName,
    auditEnabled: !env.store.unauditedTables.has(logicalName),
  }));
}

/**
 * `GET EntityDefinitions`: $select and $filter; metadata queries are not paged, every match comes in
 * the first response (query-metadata-web-api).
 */
export function queryEntityDefinitions(env: EnvironmentContext, request: SandboxRequest): Reply {
  const select = parseSelect(request, SELECTABLE, 'EntityMetadata');
  if (!select.ok) return dataverseQueryError(select.message);
  const filter = parseFilterOption(request, COLUMNS, 'EntityMetadata');
  if (!filter.ok) return dataverseQueryError(filter.message);
  const matches = filter.value ? compileFilter<TableDefinition>(filter.value, COLUMNS, read) : () => true;
  const selected = queryParam(request, '$select') ? `(${select.value.join(',')})` : '';
  return dataverseJson({
    '@odata.context': `${env.base}/$metadata#EntityDefinitions${selected}`,
    value: tables(env)
      .filter(matches)
      .map((table) => definitionJson(table, select.value)),
  });
}

/** `GET EntityDefinitions(LogicalName='account')`. */
export function getEntityDefinition(env: EnvironmentContext, request: SandboxRequest, logicalName: string): Reply {
  const select = parseSelect(request, SELECTABLE, 'EntityMetadata');
  if (!select.ok) return dataverseQueryError(select.message);
  const table = tables(env).find((candidate) => candidate.logicalName === logicalName.toLowerCase());
  // Best guess: Learn shows no sample of this error; Dataverse's "does not exist" code is 0x80040217.
  if (!table) return dataverseError(404, '0x80040217', `Could not find an entity with name ${logicalName}`);
  return dataverseJson({
    '@odata.context': `${env.base}/$metadata#EntityDefinitions(${select.value.join(',')})/$entity`,
    ...definitionJson(table, select.value),
  });
}
