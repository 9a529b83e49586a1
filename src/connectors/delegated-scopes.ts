import { trimTrailingSlash } from './connection-target';

export interface GraphDelegatedOptions {
  /**
   * Include `LicenseAssignment.ReadWrite.All` so reclaim (Graph assignLicense) works through the
   * same sign-in; without it the admin consents to read-only `LicenseAssignment.Read.All`.
   * Default true: a delegated connection is one admin's consent, and asking again later for
   * write access would send every such profile back through sign-in before its first reclaim.
   */
  readonly reclaim?: boolean;
}

/**
 * Graph scopes for the delegated flow. `offline_access` is what makes Entra return a refresh
 * token (v2-oauth2-auth-code-flow); MSAL adds `openid profile offline_access` on its own for
 * the code flow, so it is listed only to say so. The user's own directory role still limits
 * what the token can do (License Administrator or User Administrator for assignLicense).
 */
export function graphDelegatedScopes(graphBaseUrl: string, options: GraphDelegatedOptions = {}): string[] {
  const graph = trimTrailingSlash(graphBaseUrl);
  const license = options.reclaim === false ? 'LicenseAssignment.Read.All' : 'LicenseAssignment.ReadWrite.All';
  return [`${graph}/User.Read.All`, `${graph}/${license}`, 'offline_access'];
}

/** Dataverse exposes one delegated permission, `user_impersonation` (authenticate-oauth). */
export function dataverseDelegatedScopes(environmentUrl: string): string[] {
  return [`${trimTrailingSlash(environmentUrl)}/user_impersonation`, 'offline_access'];
}
