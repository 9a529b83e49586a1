import type { Agent } from 'node:https';
import type { Logger } from '../logging/logger';
import { trimTrailingSlash, type ConnectionTarget, type PermissionType } from './connection-target';
import { DataverseClient } from './dataverse.client';
import { EnvironmentDiscoveryClient, type DiscoveryEndpoints } from './environment-discovery';
import { dataverseDelegatedScopes, graphDelegatedScopes, type GraphDelegatedOptions } from './delegated-scopes';
import type { AuthorizationUrlInput, RedeemCodeInput, RedeemedCode, SignedInPerson } from './delegated-tokens';
import { GraphClient } from './graph.client';
import { HttpTransport } from './http-transport';
import { MsalApps } from './msal-apps';
import { MsalNetworkClient } from './msal-network-client';
import { DEFAULT_RETRY, DEFAULT_TIMEOUT_MS, type RetryHook, type RetryOptions } from './retry-policy';
import { createTrustedAgent } from './tls-trust';
import { TokenProvider } from './token-provider';
import { UpstreamHttp } from './upstream-http';

export interface MicrosoftConnectorsOptions {
  /** PEMs trusted besides Node's roots and NODE_EXTRA_CA_CERTS (AppOptions.trustedCaPems). */
  readonly trustedCaPems?: readonly string[];
  readonly logger: Logger;
  /** Per HTTP request, body included; default 30 s. */
  readonly timeoutMs?: number;
  /** Attempts per request, the first included; default 6. */
  readonly maxAttempts?: number;
  /** Cap on a server's Retry-After; default 300 s (Dataverse service protection asks up to that). */
  readonly maxRetryAfterMs?: number;
  /** First and largest exponential-backoff ceilings; defaults 500 ms and 30 s. */
  readonly baseBackoffMs?: number;
  readonly maxBackoffMs?: number;
  /** Every retry of every call (e.g. metrics); per-profile hooks go to `clients()`. */
  readonly onRetry?: RetryHook;
  /** Graph delegated scopes: whether they include LicenseAssignment.ReadWrite.All (default true). */
  readonly delegatedGraph?: GraphDelegatedOptions;
}

export interface ConnectionCredentials {
  readonly clientId: string;
  readonly permissionType: PermissionType;
  readonly clientSecret: () => string;
  readonly refreshToken?: () => string | null | Promise<string | null>;
  readonly saveRefreshToken?: (token: string) => void | Promise<void>;
}

/** One profile's two connections, as the brief names them. */
export interface ProfileConnections {
  readonly authorityHost: string;
  readonly graphBaseUrl: string;
  readonly tenantId: string;
  /** "Download subscriptions": Graph. */
  readonly subscription: ConnectionCredentials;
  /** "Calculate activity": Dataverse; absent when the profile does not download activity. */
  readonly activity?: ConnectionCredentials & { readonly environmentUrl: string };
}

export interface MicrosoftClients {
  readonly graph: GraphClient;
  readonly dataverse: DataverseClient | null;
}

/** What discovering a tenant's environments needs: the activity connection and the cloud's endpoints. */
export interface DiscoveryConnection {
  readonly authorityHost: string;
  readonly tenantId: string;
  readonly credentials: ConnectionCredentials;
  readonly endpoints: DiscoveryEndpoints;
}

export interface ClientsOptions {
  /** Progress reporting for one job: called before each wait. */
  readonly onRetry?: RetryHook;
  readonly dataverseMaxPageSize?: number;
}

/**
 * Everything the connectors share for the process: one trusted keep-alive agent, one MSAL
 * application per app registration (so tokens are cached across jobs), one retry policy.
 * Framework-free; the Nest module wires it.
 */
export class MicrosoftConnectors {
  readonly agent: Agent;
  readonly tokens: TokenProvider;
  readonly http: UpstreamHttp;
  readonly retry: RetryOptions;
  readonly timeoutMs: number;

  constructor(private readonly options: MicrosoftConnectorsOptions) {
    this.agent = createTrustedAgent({ extraCaPems: options.trustedCaPems ?? [] });
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.retry = {
      maxAttempts: options.maxAttempts ?? DEFAULT_RETRY.maxAttempts,
      baseBackoffMs: options.baseBackoffMs ?? DEFAULT_RETRY.baseBackoffMs,
      maxBackoffMs: options.maxBackoffMs ?? DEFAULT_RETRY.maxBackoffMs,
      maxRetryAfterMs: options.maxRetryAfterMs ?? DEFAULT_RETRY.maxRetryAfterMs,
    };
    const transport = new HttpTransport(this.agent);
    const shared = {
      transport,
      logger: options.logger,
      timeoutMs: this.timeoutMs,
      retry: this.retry,
      ...(options.onRetry ? { onRetry: options.onRetry } : {}),
    };
    this.http = new UpstreamHttp(shared);
    this.tokens = new TokenProvider(new MsalApps(new MsalNetworkClient(shared), options.logger), options.logger);
  }

  /** Graph and (when the profile has an activity connection) Dataverse clients for one profile. */
  clients(profile: ProfileConnections, options: ClientsOptions = {}): MicrosoftClients {
    const graphBaseUrl = trimTrailingSlash(profile.graphBaseUrl);
    const graphTarget = this.target(
      profile,
      profile.subscription,
      graphBaseUrl,
      graphDelegatedScopes(graphBaseUrl, this.options.delegatedGraph),
    );
    const graph = new GraphClient({
      http: this.http,
      graphBaseUrl,
      token: this.tokens.tokenSource(graphTarget),
      permissionType: profile.subscription.permissionType,
      ...(options.onRetry ? { onRetry: options.onRetry } : {}),
    });
    const activity = profile.activity;
    if (!activity) return { graph, dataverse: null };
    const environmentUrl = trimTrailingSlash(activity.environmentUrl);
    const dataverseTarget = this.target(profile, activity, environmentUrl, dataverseDelegatedScopes(environmentUrl));
    const dataverse = new DataverseClient({
      http: this.http,
      environmentUrl,
      token: this.tokens.tokenSource(dataverseTarget),
      permissionType: activity.permissionType,
      ...(options.dataverseMaxPageSize ? { maxPageSize: options.dataverseMaxPageSize } : {}),
      ...(options.onRetry ? { onRetry: options.onRetry } : {}),
    });
    return { graph, dataverse };
  }

  /**
   * Lists the Dataverse environments the activity connection can read: the Global Discovery Service
   * for a delegated connection, the Power Platform admin list for an application one.
   */
  environmentDiscovery(connection: DiscoveryConnection, options: ClientsOptions = {}): EnvironmentDiscoveryClient {
    const { endpoints, credentials } = connection;
    const delegated = credentials.permissionType === 'delegated';
    const resource = trimTrailingSlash(delegated ? endpoints.globalDiscoveryUrl : endpoints.adminApiUrl);
    const target: ConnectionTarget = {
      ...this.target(
        { authorityHost: connection.authorityHost, tenantId: connection.tenantId },
        credentials,
        resource,
        [endpoints.globalDiscoveryScope, 'offline_access'],
      ),
      ...(delegated ? {} : { applicationScope: endpoints.adminApiScope }),
    };
    return new EnvironmentDiscoveryClient({
      http: this.http,
      endpoints,
      permissionType: credentials.permissionType,
      token: this.tokens.tokenSource(target),
      ...(options.onRetry ? { onRetry: options.onRetry } : {}),
    });
  }

  /** Delegated sign-in, step 1: where to send the admin's browser. */
  authorizationUrl(input: AuthorizationUrlInput): Promise<string> {
    return this.tokens.authorizationUrl(input);
  }

  /** Delegated sign-in, step 2: the code from the redirect, for a refresh token to store. */
  redeemCode(input: RedeemCodeInput): Promise<RedeemedCode> {
    return this.tokens.redeemCode(input);
  }

  /** A person's sign-in (the console's "Sign in with Microsoft"): who they are and their app roles. */
  signInPerson(input: RedeemCodeInput): Promise<SignedInPerson> {
    return this.tokens.identify(input);
  }

  graphDelegatedScopes(graphBaseUrl: string): string[] {
    return graphDelegatedScopes(graphBaseUrl, this.options.delegatedGraph);
  }

  dataverseDelegatedScopes(environmentUrl: string): string[] {
    return dataverseDelegatedScopes(environmentUrl);
  }

  /** Closes kept-alive sockets and forgets cached tokens. */
  close(): void {
    this.tokens.clear();
    this.agent.destroy();
  }

  private target(
    profile: Pick<ProfileConnections, 'authorityHost' | 'tenantId'>,
    credentials: ConnectionCredentials,
    resource: string,
    delegatedScopes: readonly string[],
  ): ConnectionTarget {
    return {
      authorityHost: trimTrailingSlash(profile.authorityHost),
      tenantId: profile.tenantId,
      clientId: credentials.clientId,
      clientSecret: credentials.clientSecret,
      permissionType: credentials.permissionType,
      resource,
      ...(credentials.refreshToken ? { refreshToken: credentials.refreshToken } : {}),
      ...(credentials.saveRefreshToken ? { saveRefreshToken: credentials.saveRefreshToken } : {}),
      ...(credentials.permissionType === 'delegated' ? { delegatedScopes } : {}),
    };
  }
}
