import type { DataverseStore } from './dataverse-store';
import type { SandboxTenant } from './sandbox-tenant';
import type { SandboxResource } from './tokens/scopes';
import type { TokenService } from './tokens/token-service';

/** What every route needs: where the server is, the tenant it serves and the token issuer. */
export interface SandboxContext {
  /** `https://127.0.0.1:PORT`: authority host, and origin of the Graph and Dataverse paths. */
  readonly origin: string;
  readonly tenant: SandboxTenant;
  readonly tokens: TokenService;
  readonly resources: readonly SandboxResource[];
  /** Items per page of the Power Platform admin environment list. */
  readonly adminEnvironmentsPageSize: number;
}

/** The first resource of a kind: Graph, the discovery services, or the primary environment. */
export function resourceOf(context: SandboxContext, kind: SandboxResource['kind']): SandboxResource {
  return context.resources.find((resource) => resource.kind === kind)!;
}

export function environmentUrlOf(context: SandboxContext, store: DataverseStore): string {
  return `${context.origin}/${store.environment.path}`;
}

export function authorityOf(context: SandboxContext): string {
  return `${context.origin}/${context.tenant.tenantId}`;
}
