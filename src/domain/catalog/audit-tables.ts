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
// - account (in both ServiceNow's Common and Sales lists) is common, as every app edits accounts.

import type { AuditApp } from './catalog.types';
import { TEAM_MEMBERS_WRITABLE_TABLES } from './team-members';

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

/**
 * The tables Sales and Customer Service share (accounts, contacts, the activity tables, notes):
 * writes to them keep either app's license in use under the default `app-and-common` basis.
 */
export const COMMON_TABLES: readonly string[] = [
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
  'sharepointdocumentlocation',
];

/** User access via a model-driven app (64) or via web services (65): sign-ins, of no app in particular. */
const USER_ACCESS_ACTIONS: ReadonlySet<number> = new Set([64, 65]);
/** Operation 4 is Access; such rows are user access even if the action code is missing. */
const ACCESS_OPERATION = 4;

/** 100-111 metadata and audit-setting changes, 112/113 user access audit started/stopped: not user activity. */
const isAuditHousekeeping = (action: number): boolean => action >= 100 && action <= 113;

const TABLE_APP: ReadonlyMap<string, AuditApp> = new Map<string, AuditApp>([
  ...COMMON_TABLES.map((t): [string, AuditApp] => [t, 'common']),
  ...SALES_TABLES.map((t): [string, AuditApp] => [t, 'sales']),
  ...CUSTOMER_SERVICE_TABLES.map((t): [string, AuditApp] => [t, 'customerService']),
]);

export interface AuditRowLike {
  readonly objecttypecode?: string | null;
  readonly action?: number | null;
  readonly operation?: number | null;
}

/** What one audit row shows a user did: in which app, and whether Team Members rights cover it. */
export interface AuditActivityKind {
  readonly app: AuditApp;
  /** A write Team Members may not make (TEAM_MEMBERS_WRITABLE_TABLES); sign-ins never are. */
  readonly beyondTeamMembers: boolean;
}

const ACCESS: AuditActivityKind = Object.freeze({ app: 'access', beyondTeamMembers: false });

/**
 * What an audit row is activity for, or null when it is audit housekeeping rather than user
 * activity. Sign-ins (actions 64/65) are `access`; writes are attributed by the table they
 * touched: Sales, Customer Service, the common tables both share, or `other` (custom tables and
 * first-party tables this catalog does not list, such as Field Service's). A write to a table
 * Team Members may not write (any but TEAM_MEMBERS_WRITABLE_TABLES, custom tables included,
 * since the catalog cannot tell them from first-party ones) is beyond Team Members.
 */
export function classifyAuditRow(row: AuditRowLike): AuditActivityKind | null {
  const action = row.action ?? null;
  if (action !== null && USER_ACCESS_ACTIONS.has(action)) return ACCESS;
  if (action !== null && isAuditHousekeeping(action)) return null;
  if (action === null && row.operation === ACCESS_OPERATION) return ACCESS;
  const table = row.objecttypecode?.trim().toLowerCase() ?? '';
  return {
    app: (table && TABLE_APP.get(table)) || 'other',
    beyondTeamMembers: !TEAM_MEMBERS_WRITABLE_TABLES.has(table),
  };
}
