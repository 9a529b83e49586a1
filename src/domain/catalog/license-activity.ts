// Which audit activity counts as use of a license (DESIGN.md "Rules the conclusions follow"): Sales licenses
// need Sales activity, Customer Service licenses Customer Service activity, the Sales and Customer Service
// bundle either, and Team Members any activity, general (common tables, sign-ins) included.

import type { ActivityNeeded, AuditApp } from './catalog.types';

export function activityCountsFor(needed: ActivityNeeded, app: AuditApp): boolean {
  switch (needed) {
    case 'sales':
    case 'customerService':
      return app === needed;
    case 'salesOrCustomerService':
      return app === 'sales' || app === 'customerService';
    case 'any':
      return true;
    case null:
      return false;
    default: {
      const unexpected: never = needed;
      throw new Error(`unknown activity requirement: ${String(unexpected)}`);
    }
  }
}
