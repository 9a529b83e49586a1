import {
  classifyAuditRow,
  COMMON_TABLES,
  CUSTOMER_SERVICE_TABLES,
  SALES_TABLES,
} from '../../src/domain/catalog/audit-tables';
import { activityCountsFor } from '../../src/domain/catalog/license-activity';
import { TEAM_MEMBERS_WRITABLE_TABLES } from '../../src/domain/catalog/team-members';

const UPDATE = { action: 2, operation: 2 };
const appOf = (row: Parameters<typeof classifyAuditRow>[0]) => classifyAuditRow(row)?.app ?? null;

describe('classifyAuditRow', () => {
  it.each([
    'lead',
    'opportunity',
    'opportunityproduct',
    'quote',
    'quotedetail',
    'salesorder',
    'salesorderdetail',
    'invoice',
    'invoicedetail',
    'competitor',
    'product',
    'pricelevel',
    'productpricelevel',
    'goal',
    'msdyn_relationshipinsightsunifiedconfig',
    'msdyn_relationshipanalyticsmetadata',
  ])('counts %s for sales, beyond Team Members', (table) => {
    expect(classifyAuditRow({ objecttypecode: table, ...UPDATE })).toEqual({ app: 'sales', beyondTeamMembers: true });
  });

  it.each([
    'incident',
    'knowledgearticle',
    'entitlement',
    'queue',
    'queueitem',
    'contract',
    'contractdetail',
    'service',
  ])('counts %s for customer service', (table) =>
    expect(appOf({ objecttypecode: table, ...UPDATE })).toBe('customerService'),
  );

  it.each([
    'account',
    'contact',
    'activitypointer',
    'task',
    'email',
    'phonecall',
    'appointment',
    'letter',
    'fax',
    'annotation',
  ])('counts a write to the shared table %s as common', (table) =>
    expect(appOf({ objecttypecode: table, action: 1, operation: 1 })).toBe('common'),
  );

  it('tells writes Team Members may make (contacts, activities, notes) from those it may not (accounts)', () => {
    expect(classifyAuditRow({ objecttypecode: 'contact', ...UPDATE })).toEqual({
      app: 'common',
      beyondTeamMembers: false,
    });
    expect(classifyAuditRow({ objecttypecode: 'task', ...UPDATE })).toEqual({
      app: 'common',
      beyondTeamMembers: false,
    });
    expect(classifyAuditRow({ objecttypecode: 'account', ...UPDATE })).toEqual({
      app: 'common',
      beyondTeamMembers: true,
    });
  });

  it('counts unknown tables (custom, or first-party ones the catalog does not list) as other, beyond Team Members', () => {
    expect(classifyAuditRow({ objecttypecode: 'cr123_inspection', ...UPDATE })).toEqual({
      app: 'other',
      beyondTeamMembers: true,
    });
    expect(classifyAuditRow({ objecttypecode: 'msdyn_workorder', ...UPDATE })).toEqual({
      app: 'other',
      beyondTeamMembers: true,
    });
    expect(appOf({ objecttypecode: 'systemuser', ...UPDATE })).toBe('other');
    expect(appOf({ objecttypecode: null, ...UPDATE })).toBe('other');
  });

  it('matches table names case-insensitively', () => {
    expect(appOf({ objecttypecode: ' Opportunity ', ...UPDATE })).toBe('sales');
    expect(appOf({ objecttypecode: 'INCIDENT', ...UPDATE })).toBe('customerService');
  });

  it('counts user access (action 64 or 65) as access, whatever the table, within Team Members rights', () => {
    for (const row of [
      { objecttypecode: 'systemuser', action: 64, operation: 4 },
      { objecttypecode: 'opportunity', action: 65, operation: 4 },
      { objecttypecode: 'incident', action: null, operation: 4 },
    ])
      expect(classifyAuditRow(row)).toEqual({ app: 'access', beyondTeamMembers: false });
  });

  it('ignores audit housekeeping: access audit started/stopped and metadata or audit-setting changes', () => {
    for (const action of [100, 101, 105, 107, 110, 111, 112, 113])
      expect([action, classifyAuditRow({ objecttypecode: 'opportunity', action, operation: 2 })]).toEqual([
        action,
        null,
      ]);
  });

  it('keeps each table in one list only, in lower case; Team Members writes only common tables or its own', () => {
    const all = [...SALES_TABLES, ...CUSTOMER_SERVICE_TABLES, ...COMMON_TABLES];
    expect(new Set(all).size).toBe(all.length);
    for (const table of all) expect(table).toBe(table.toLowerCase());
    for (const table of TEAM_MEMBERS_WRITABLE_TABLES) {
      expect([table, SALES_TABLES.includes(table) || CUSTOMER_SERVICE_TABLES.includes(table)]).toEqual([table, false]);
    }
  });
});

describe('activityCountsFor', () => {
  it('by default (app-and-common) a Sales license counts sales and shared-table writes, not sign-ins or other apps', () => {
    expect(activityCountsFor('sales', 'sales')).toBe(true);
    expect(activityCountsFor('sales', 'common')).toBe(true);
    expect(activityCountsFor('sales', 'general')).toBe(true);
    expect(activityCountsFor('sales', 'customerService')).toBe(false);
    expect(activityCountsFor('sales', 'access')).toBe(false);
    expect(activityCountsFor('sales', 'other')).toBe(false);
    expect(activityCountsFor('customerService', 'customerService')).toBe(true);
    expect(activityCountsFor('customerService', 'sales')).toBe(false);
  });

  it("basis app counts only the app's own tables; any adds sign-ins and every other table", () => {
    expect(activityCountsFor('sales', 'common', 'app')).toBe(false);
    expect(activityCountsFor('sales', 'general', 'app')).toBe(false);
    expect(activityCountsFor('sales', 'sales', 'app')).toBe(true);
    expect(activityCountsFor('sales', 'access', 'any')).toBe(true);
    expect(activityCountsFor('sales', 'other', 'any')).toBe(true);
  });

  it('lets the Sales and Customer Service bundle use either', () => {
    expect(activityCountsFor('salesOrCustomerService', 'sales')).toBe(true);
    expect(activityCountsFor('salesOrCustomerService', 'customerService')).toBe(true);
    expect(activityCountsFor('salesOrCustomerService', 'access')).toBe(false);
  });

  it('counts any activity for Team Members whatever the basis, and none for untracked licenses', () => {
    for (const basis of ['app', 'app-and-common', 'any'] as const) {
      expect(activityCountsFor('any', 'access', basis)).toBe(true);
      expect(activityCountsFor('any', 'other', basis)).toBe(true);
    }
    expect(activityCountsFor(null, 'sales')).toBe(false);
  });
});
