// What Dynamics 365 Team Members may do, as data: the downgrade advice compares a full
// license's recent use with it. Source: the Dynamics 365 Licensing Guide (March 2021, pp. 5
// and 35, as quoted by syncratec.com, reference/licensing.md section 2c): Team Members is a
// named-user license for light use, reading across the apps with limited writes (contacts,
// activities, notes, time and expense entries, personal settings, up to 15 custom tables).
// Custom tables are left out on purpose: the catalog cannot tell them from first-party tables
// it does not list (Field Service's work orders, for one), and advice withheld costs less
// than advice wrongly given.

/** The Team Members SKU a full license is advised down to. */
export const TEAM_MEMBERS_SKU_PART_NUMBER = 'DYN365_TEAM_MEMBERS';

/** Tables Team Members may create, update and delete rows in (logical names). */
export const TEAM_MEMBERS_WRITABLE_TABLES: ReadonlySet<string> = new Set([
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
  'msdyn_timeentry',
  'msdyn_expense',
  'usersettings',
  'userquery',
  'userform',
]);

/**
 * Full licenses that Team Members may replace for a light user (DESIGN.md: Sales, Customer
 * Service, Field Service, Project Operations), by part number. Bases only: an attach license
 * rides on a base, and Team Members is no base for attach licenses.
 */
export const DOWNGRADABLE_TO_TEAM_MEMBERS: ReadonlySet<string> = new Set([
  'DYN365_ENTERPRISE_SALES',
  'D365_SALES_PRO',
  'DYN365_SALES_PREMIUM',
  'DYN365_ENTERPRISE_RELATIONSHIP_SALES',
  'DYN365_ENTERPRISE_CUSTOMER_SERVICE',
  'DYN365_CUSTOMER_SERVICE_PRO',
  'DYN365_ENTERPRISE_SALES_CUSTOMERSERVICE',
  'DYN365_ENTERPRISE_FIELD_SERVICE',
  'DYN365_PROJECT_OPERATIONS',
]);
