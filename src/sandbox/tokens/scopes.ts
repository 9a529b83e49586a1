/** The resources the sandbox app is consented to, and what it may do on each. */
export interface SandboxResource {
  readonly kind: 'graph' | 'dataverse' | 'discovery';
  /** The resource URI: the token's `aud` and the prefix of its scopes. */
  readonly uri: string;
  /** Application permissions (the `roles` claim); Dataverse grants none: app access is by application user. */
  readonly applicationRoles: readonly string[];
  /** Delegated permissions the admin consented to (the `scp` claim). */
  readonly delegatedScopes: readonly string[];
}

/**
 * Graph (its application roles read from the app registration at issue time), one resource per
 * Dataverse environment, and the discovery services (Global Discovery and the Power Platform admin
 * API share one base in the sandbox, as a `custom` cloud's `discoveryBaseUrl` does).
 */
export function sandboxResources(
  origin: string,
  graphApplicationRoles: () => readonly string[],
  environmentPaths: readonly string[],
): readonly SandboxResource[] {
  return [
    {
      kind: 'graph',
      uri: `${origin}/graph`,
      get applicationRoles() {
        return graphApplicationRoles();
      },
      delegatedScopes: [
        'User.Read',
        'User.Read.All',
        'Group.Read.All',
        'GroupMember.Read.All',
        'Directory.Read.All',
        'Organization.Read.All',
        'LicenseAssignment.Read.All',
        'LicenseAssignment.ReadWrite.All',
      ],
    },
    ...environmentPaths.map((path): SandboxResource => ({
      kind: 'dataverse',
      uri: `${origin}/${path}`,
      applicationRoles: [],
      delegatedScopes: ['user_impersonation'],
    })),
    { kind: 'discovery', uri: `${origin}/discovery`, applicationRoles: [], delegatedScopes: ['user_impersonation'] },
  ];
}

/** Every Graph application permission the product uses, as the sandbox app is granted by default. */
export const DEFAULT_GRAPH_APPLICATION_ROLES: readonly string[] = [
  'User.Read.All',
  'GroupMember.Read.All',
  'Organization.Read.All',
  'LicenseAssignment.ReadWrite.All',
];

export const OIDC_SCOPES: ReadonlySet<string> = new Set(['openid', 'profile', 'offline_access', 'email']);

export type ScopeRequest =
  | {
      readonly ok: true;
      readonly oidc: ReadonlySet<string>;
      readonly resource: SandboxResource | undefined;
      /** Short permission names for the token; `.default` expanded to everything consented. */
      readonly permissions: readonly string[];
      readonly isDefault: boolean;
      /** The resource scopes as requested, echoed back in the token response's `scope`. */
      readonly requested: readonly string[];
    }
  | { readonly ok: false; readonly code: 70011 | 28000 | 1002012; readonly description: string };

/**
 * Splits a v2.0 `scope` parameter into OIDC scopes and one resource's permissions, with Entra's rules:
 * one resource per request, bare names mean Microsoft Graph, and client credentials need `/.default`.
 */
export function parseScopes(
  scope: string | undefined,
  resources: readonly SandboxResource[],
  flow: 'application' | 'delegated',
): ScopeRequest {
  const items = (scope ?? '').split(/\s+/).filter(Boolean);
  const oidc = new Set(items.filter((item) => OIDC_SCOPES.has(item.toLowerCase())).map((item) => item.toLowerCase()));
  const resourceScopes = items.filter((item) => !OIDC_SCOPES.has(item.toLowerCase()));
  if (items.length === 0 || (flow === 'application' && resourceScopes.length === 0)) {
    return invalid(70011, "The provided request must include a 'scope' input parameter.");
  }
  const graph = resources.find((resource) => resource.kind === 'graph')!;
  let resource: SandboxResource | undefined;
  const names: string[] = [];
  for (const item of resourceScopes) {
    const owner = item.includes('/')
      ? resources.find((r) => item.toLowerCase().startsWith(`${r.uri.toLowerCase()}/`))
      : graph;
    if (!owner)
      return invalid(
        70011,
        `The provided value for the input parameter 'scope' is not valid. The scope ${item} is not valid.`,
      );
    if (resource && resource !== owner) {
      return invalid(
        28000,
        `Provided value for the input parameter scope is not valid because it contains more than one resource. Scope ${scope} is not valid.`,
      );
    }
    resource = owner;
    // Dataverse scopes are often written with a double slash (`https://org.crm.dynamics.com//.default`).
    names.push(item.includes('/') ? item.slice(owner.uri.length).replace(/^\/+/, '') : item);
  }
  const isDefault = names.some((name) => name === '.default');
  if (isDefault && names.length > 1)
    return invalid(
      70011,
      `The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid. .default scope can't be combined with resource-specific scopes.`,
    );
  if (flow === 'application') {
    if (!isDefault) {
      return invalid(
        1002012,
        `The provided value for scope ${resourceScopes.join(' ')} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
      );
    }
    return { ok: true, oidc, resource, permissions: resource!.applicationRoles, isDefault, requested: resourceScopes };
  }
  const target = resource ?? graph;
  if (isDefault)
    return {
      ok: true,
      oidc,
      resource: target,
      permissions: target.delegatedScopes,
      isDefault,
      requested: resourceScopes,
    };
  const permissions: string[] = [];
  for (const name of names) {
    const known = target.delegatedScopes.find((candidate) => candidate.toLowerCase() === name.toLowerCase());
    if (!known)
      return invalid(
        70011,
        `The provided value for the input parameter 'scope' is not valid. The scope ${name} is not valid.`,
      );
    permissions.push(known);
  }
  return {
    ok: true,
    oidc,
    resource: target,
    permissions: permissions.length > 0 ? permissions : ['User.Read'],
    isDefault,
    requested: resourceScopes,
  };
}

function invalid(code: 70011 | 28000 | 1002012, description: string): ScopeRequest {
  return { ok: false, code, description };
}
