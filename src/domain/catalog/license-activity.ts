// Which audit activity counts as use of a license (DESIGN.md "Rules the conclusions follow").
// Sales licenses need Sales activity, Customer Service licenses Customer Service activity, the
// Sales and Customer Service bundle either; the reclamation rule's basis widens that to the
// tables both apps are built on (`app-and-common`, the default) or to any activity (`any`).
// Team Members counts any activity whatever the basis. A license without activity tracking
// (needed null) is never judged by activity.

import { DEFAULT_ACTIVITY_BASIS } from '../defaults';
import type { ActivityBasis, ActivityNeeded, AuditApp } from './catalog.types';

export function activityCountsFor(
  needed: ActivityNeeded,
  app: AuditApp,
  basis: ActivityBasis = DEFAULT_ACTIVITY_BASIS,
): boolean {
  switch (needed) {
    case null:
      return false;
    case 'any':
      return true;
    case 'sales':
    case 'customerService':
    case 'salesOrCustomerService': {
      const own = needed === 'salesOrCustomerService' ? app === 'sales' || app === 'customerService' : app === needed;
      if (own || basis === 'any') return true;
      // Rows recorded before common and access were told apart (`general`) count with the common tables.
      return basis === 'app-and-common' && (app === 'common' || app === 'general');
    }
    default: {
      const unexpected: never = needed;
      throw new Error(`unknown activity requirement: ${String(unexpected)}`);
    }
  }
}
