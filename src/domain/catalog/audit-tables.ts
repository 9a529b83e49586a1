// Which app a Dataverse audit row is activity for, decided by the table it touched (`objecttypecode`).
// Sources:
// - ServiceNow "Reclamation rules" (reclamation-rules.md, last_updated 2026-09-10; reference/servicenow.md 4a):
//   activity is the creation or update of records in the Common, Sales and Customer Service entities that the
//   brief's Global Audit Settings turn on.
// - Microsoft's auditing categories, Learn "Manage Dataverse auditing"
//   (https://learn.microsoft.com/en-us/power-platform/admin/manage-dataverse-auditing, ms.date 2024-11-27):
//   Sales = opportunity, quote, salesorder, invoice, competitor and the lead-to-opportunity process tables;
//   CustomerService = incident, knowledgearticle, kbarticle, queueitem, contract, service, socialprofile and the
//   case process tables.
// - Audit action codes (Learn "Retrieve the history of audited data changes", reference/microsoft-apis.md 8).
// Deliberate differences from those lists, following DESIGN.md "Rules the conclusions follow":
// - lead, product, goal (Common in Microsoft's list; Goal and Product Common in ServiceNow's) count for sales:
//   leads, the product catalog and goals are worked in the Sales app, so edits there are Sales usage.
// - account (in both ServiceNow's Common and Sales lists) counts as general, as every app edits accounts.

import type { AuditApp } from './catalog.types';

export const SALES_TABLES: readonly string[] = [
  'lead',
  'opportunity',
  'opportunityproduct',
  'opportunityclose',
  'quote',
  'quotedetail',
  'quoteclose',
  'salesorder',
  'salesorderdetail',
  'orderclose',
  'invoice',
  'invoicedetail',
  'competitor',
  'product',
  'productassociation',
  'productsubstitute',
  'pricelevel',
  'productpricelevel',
  'discount',
  'discounttype',
  'goal',
  'goalrollupquery',
  'metric',
  'salesliterature',
  'salesliteratureitem',
  'opportunitysalesprocess',
  'leadtoopportunitysalesprocess',
  // Relationship Sales (MRS) configuration, listed by ServiceNow among the Sales entities.
  'msdyn_relationshipinsightsunifiedconfig',
  'msdyn_relationshipanalyticsmetadata',
];

export const CUSTOMER_SERVICE_TABLES: readonly string[] = [
  'incident',
  'incidentresolution',
  'knowledgearticle',
  'kbarticle',
  'kbarticlecomment',
  'entitlement',
  'entitlementchannel',
  'entitlementtemplate',
  'queue',
  'queueitem',
  'contract',
  'contractdetail',
  'contracttemplate',
  'service',
  'serviceappointment',
  'sla',
  'slakpiinstance',
  'routingrule',
  'routingruleitem',
  'socialprofile',
  'translationprocess',
  'expiredprocess',
  'newprocess',
  'phonetocaseprocess',
  // Omnichannel conversations and sessions, the Customer Service workspace's records of agent work.
  'msdyn_ocliveworkitem',
  'msdyn_ocsession',
  'msdyn_knowledgearticletemplate',
];

/** Listed for documentation: any table not in the Sales or Customer Service lists already counts as general. */
export const GENERAL_TABLES: readonly string[] = [
  'account',
  'contact',
  'activitypointer',
  'activityparty',
  'task',
  'email',
  'phonecall',
  'appointment',
  'recurringappointmentmaster',
  'letter',
  'fax',
  'socialactivity',
  'annotation',
  'connection',
  'customeraddress',
  'post',
  'postcomment',
  'list',
  'campaign',
  'bulkoperation',
  'report',
  'systemuser',
  'team',
  'role',
  'businessunit',
  'position',
  'sharepointdocumentlocation',
];

/** User access via a model-driven app (64) or via web services (65): signs of use, but of no app in particular. */
const USER_ACCESS_ACTIONS: ReadonlySet<number> = new Set([64, 65]);
/** Operation 4 is Access; such rows are user access even if the action code is missing. */
const ACCESS_OPERATION = 4;

/** 100-111 metadata and audit-setting changes, 112/113 user access audit started/stopped: not user activity. */
const isAuditHousekeeping = (action: number): boolean => action >= 100 && action <= 113;

const TABLE_APP: ReadonlyMap<string, AuditApp> = new Map<string, AuditApp>([
  ...GENERAL_TABLES.map((t): [string, AuditApp] => [t, 'general']),
  ...SALES_TABLES.map((t): [string, AuditApp] => [t, 'sales']),
  ...CUSTOMER_SERVICE_TABLES.map((t): [string, AuditApp] => [t, 'customerService']),
]);

export interface AuditRowLike {
  readonly objecttypecode?: string | null;
  readonly action?: number | null;
  readonly operation?: number | null;
}

/**
 * The app an audit row is activity for, or null when the row is audit housekeeping rather than user activity.
 * Unknown tables (custom tables, custom activities) count as general, as ServiceNow counts "Custom Activities".
 */
export function appForAuditRow(row: AuditRowLike): AuditApp | null {
  const action = row.action ?? null;
  if (action !== null && USER_ACCESS_ACTIONS.has(action)) return 'general';
  if (action !== null && isAuditHousekeeping(action)) return null;
  if (action === null && row.operation === ACCESS_OPERATION) return 'general';
  const table = row.objecttypecode?.trim().toLowerCase();
  return (table && TABLE_APP.get(table)) || 'general';
}
