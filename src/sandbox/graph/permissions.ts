import type { Reply, SandboxRequest } from '../http/reply';
import { graphError } from './graph-http';

/**
 * Graph permissions that allow each operation, least privileged first (the "Permissions" tables of
 * user-list, user-get, user-list-licensedetails, subscribedsku-list, user-assignlicense, group-get,
 * organization-get; subscribedsku-list has named Organization.Read.All and later
 * LicenseAssignment.Read.All as least privileged, so both are accepted).
 */
export const GRAPH_OPERATION_PERMISSIONS = {
  readUsers: ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  readLicenseDetails: [
    'LicenseAssignment.Read.All',
    'LicenseAssignment.ReadWrite.All',
    'User.Read.All',
    'User.ReadWrite.All',
    'Directory.Read.All',
    'Directory.ReadWrite.All',
  ],
  readSubscribedSkus: [
    'LicenseAssignment.Read.All',
    'LicenseAssignment.ReadWrite.All',
    'Organization.Read.All',
    'Organization.ReadWrite.All',
    'Directory.Read.All',
    'Directory.ReadWrite.All',
  ],
  assignLicense: ['LicenseAssignment.ReadWrite.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All'],
  readGroups: [
    'GroupMember.Read.All',
    'Group.Read.All',
    'Group.ReadWrite.All',
    'Directory.Read.All',
    'Directory.ReadWrite.All',
  ],
  readOrganization: [
    'Organization.Read.All',
    'Organization.ReadWrite.All',
    'Directory.Read.All',
    'Directory.ReadWrite.All',
    'User.Read',
  ],
} as const;

export type GraphOperation = keyof typeof GRAPH_OPERATION_PERMISSIONS;

/** The token's application roles (`roles`) or delegated scopes (`scp`), by the claims Entra puts in them. */
export function grantedPermissions(claims: Record<string, unknown>): Set<string> {
  const roles = Array.isArray(claims['roles']) ? (claims['roles'] as unknown[]).map(String) : [];
  const scopes = typeof claims['scp'] === 'string' ? claims['scp'].split(' ') : [];
  return new Set([...roles, ...scopes].map((permission) => permission.toLowerCase()));
}

/** Graph's refusal when the token lacks every permission that allows the operation. */
export function insufficientPrivileges(
  request: SandboxRequest,
  claims: Record<string, unknown>,
  operation: GraphOperation,
): Reply | undefined {
  const granted = grantedPermissions(claims);
  if (GRAPH_OPERATION_PERMISSIONS[operation].some((permission) => granted.has(permission.toLowerCase())))
    return undefined;
  return graphError(request, 403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
}
