import { SetMetadata } from '@nestjs/common';
import type { Role } from '../config/config';

/**
 * Who may call a route. `admin` may do everything; `auditor` reads everything and issues
 * no commands; `consumer` reads the event log only. Routes without a declaration are
 * admin-only, so a forgotten decorator fails closed.
 */
export type Access = 'public' | 'command' | 'read' | 'events';

export const ACCESS_KEY = 'license-ledger:access';
export const AllowAccess = (access: Access) => SetMetadata(ACCESS_KEY, access);

export const ROLES_FOR: Record<Exclude<Access, 'public'>, readonly Role[]> = {
  command: ['admin'],
  read: ['admin', 'auditor'],
  events: ['admin', 'auditor', 'consumer'],
};
