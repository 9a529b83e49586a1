import type { SandboxContext } from '../context';

/** Entra accepts the tenant as its GUID or as one of its domains. */
export function isSandboxTenant(context: SandboxContext, segment: string): boolean {
  const value = segment.toLowerCase();
  return value === context.tenant.tenantId || value === context.tenant.identity.domain.toLowerCase();
}
