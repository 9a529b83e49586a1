import {
  appForAuditRow,
  CUSTOMER_SERVICE_TABLES,
  GENERAL_TABLES,
  SALES_TABLES,
} from '../../src/domain/catalog/audit-tables';
import { activityCountsFor } from '../../src/domain/catalog/license-activity';

const UPDATE = { action: 2, operation: 2 };

describe('appForAuditRow', () => {
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
  ])('counts %s for sales', (table) => {
    expect(appForAuditRow({ objecttypecode: table, ...UPDATE })).toBe('sales');
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
    expect(appForAuditRow({ objecttypecode: table, ...UPDATE })).toBe('customerService'),
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
    'systemuser',
    'annotation',
  ])('counts common table %s as general', (table) =>
    expect(appForAuditRow({ objecttypecode: table, action: 1, operation: 1 })).toBe('general'),
  );

  it('counts unknown custom tables as general', () => {
    expect(appForAuditRow({ objecttypecode: 'cr123_inspection', ...UPDATE })).toBe('general');
    expect(appForAuditRow({ objecttypecode: null, ...UPDATE })).toBe('general');
  });

  it('matches table names case-insensitively', () => {
    expect(appForAuditRow({ objecttypecode: ' Opportunity ', ...UPDATE })).toBe('sales');
    expect(appForAuditRow({ objecttypecode: 'INCIDENT', ...UPDATE })).toBe('customerService');
  });

  it('counts user access (action 64 or 65) as general, whatever the table', () => {
    expect(appForAuditRow({ objecttypecode: 'systemuser', action: 64, operation: 4 })).toBe('general');
    expect(appForAuditRow({ objecttypecode: 'opportunity', action: 65, operation: 4 })).toBe('general');
    expect(appForAuditRow({ objecttypecode: 'incident', action: null, operation: 4 })).toBe('general');
  });

  it('ignores audit housekeeping: access audit started/stopped and metadata or audit-setting changes', () => {
    for (const action of [100, 101, 105, 110, 111, 112, 113])
      expect([action, appForAuditRow({ objecttypecode: 'opportunity', action, operation: 2 })]).toEqual([action, null]);
  });

  it('keeps each table in one list only', () => {
    const all = [...SALES_TABLES, ...CUSTOMER_SERVICE_TABLES, ...GENERAL_TABLES];
    expect(new Set(all).size).toBe(all.length);
    for (const table of all) expect(table).toBe(table.toLowerCase());
  });
});

describe('activityCountsFor', () => {
  it('needs sales activity for Sales licenses and customer-service activity for Customer Service licenses', () => {
    expect(activityCountsFor('sales', 'sales')).toBe(true);
    expect(activityCountsFor('sales', 'customerService')).toBe(false);
    expect(activityCountsFor('sales', 'general')).toBe(false);
    expect(activityCountsFor('customerService', 'customerService')).toBe(true);
    expect(activityCountsFor('customerService', 'sales')).toBe(false);
  });

  it('lets the Sales and Customer Service bundle use either, but not general activity', () => {
    expect(activityCountsFor('salesOrCustomerService', 'sales')).toBe(true);
    expect(activityCountsFor('salesOrCustomerService', 'customerService')).toBe(true);
    expect(activityCountsFor('salesOrCustomerService', 'general')).toBe(false);
  });

  it('counts any activity for Team Members and none for untracked licenses', () => {
    expect(activityCountsFor('any', 'general')).toBe(true);
    expect(activityCountsFor('any', 'sales')).toBe(true);
    expect(activityCountsFor(null, 'sales')).toBe(false);
  });
});
