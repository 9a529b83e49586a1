export type { ConnectionTarget, EntraApp, PermissionType } from './connection-target';
export { UpstreamError, type UpstreamCause, type UpstreamService, type UpstreamErrorInit } from './upstream-error';
export {
  DEFAULT_RETRY,
  DEFAULT_TIMEOUT_MS,
  parseRetryAfterMs,
  backoffMs,
  type RetryOptions,
  type RetryEvent,
  type RetryHook,
} from './retry-policy';
export { createTrustedAgent, trustedCaList } from './tls-trust';
export { UpstreamHttp, type TokenSource } from './upstream-http';
export { TokenProvider, createPkcePair, type PkcePair, type AccessTokenOptions } from './token-provider';
export type { AuthorizationUrlInput, RedeemCodeInput, RedeemedCode, SignedInPerson } from './delegated-tokens';
export { graphDelegatedScopes, dataverseDelegatedScopes, type GraphDelegatedOptions } from './delegated-scopes';
export { GraphClient, MAX_USERS_PAGE, MAX_FILTER_CLAUSES, MAX_ADVANCED_QUERY_URL } from './graph.client';
export type { LicensedReadPlan } from './graph.client';
export * from './graph.types';
export { DataverseClient, MAX_DATAVERSE_PAGE, ENTITY_DEFINITIONS_BATCH } from './dataverse.client';
export {
  EnvironmentDiscoveryClient,
  ADMIN_API_VERSION,
  type DiscoveryEndpoints,
  type DiscoveredEnvironment,
} from './environment-discovery';
export * from './dataverse.types';
export {
  MicrosoftConnectors,
  type MicrosoftConnectorsOptions,
  type ProfileConnections,
  type ConnectionCredentials,
  type MicrosoftClients,
  type ClientsOptions,
  type DiscoveryConnection,
} from './microsoft-connectors';
