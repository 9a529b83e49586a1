/** An Entra app registration in one tenant: what MSAL needs to build a client application. */
export interface EntraApp {
  /** e.g. `https://login.microsoftonline.com`; the sandbox's is `https://127.0.0.1:PORT`. */
  readonly authorityHost: string;
  readonly tenantId: string;
  readonly clientId: string;
  /** Resolved from the credential store on demand, so a rotated secret takes effect at once. */
  readonly clientSecret: () => string;
}

export type PermissionType = 'application' | 'delegated';

/** One resource (Graph or a Dataverse environment) reached through one app registration. */
export interface ConnectionTarget extends EntraApp {
  readonly permissionType: PermissionType;
  /** Graph root or Dataverse environment URL, no trailing slash. */
  readonly resource: string;
  /** Delegated: the stored refresh token (null when nobody has signed in yet), read afresh each time from a shared store. */
  readonly refreshToken?: () => string | null | Promise<string | null>;
  /** Delegated: Entra rotated the refresh token; persist this one in place of the old. */
  readonly saveRefreshToken?: (token: string) => void | Promise<void>;
  /**
   * Delegated: the scopes to redeem the refresh token for. Absent means `${resource}/.default`,
   * i.e. whatever the admin consented to for that resource.
   */
  readonly delegatedScopes?: readonly string[];
  /**
   * Application: the scope to ask for, when it is not `${resource}/.default` (the Power Platform admin
   * API's is `https://service.powerapps.com//.default`, with Learn's double slash).
   */
  readonly applicationScope?: string;
}

export const trimTrailingSlash = (url: string): string => url.replace(/\/+$/, '');
