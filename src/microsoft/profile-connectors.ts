import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { APP_OPTIONS, LOGGER } from '../core/tokens';
import type { AppOptions } from '../core/app-options';
import {
  MicrosoftConnectors,
  UpstreamError,
  type ClientsOptions,
  type ConnectionCredentials,
  type MicrosoftClients,
  type DataverseClient,
} from '../connectors';
import { CREDENTIALS, type CredentialStore } from '../credentials/credential.store';
import { checkProfileUrls, discoveryEndpointsFor, endpointsFor, normalizeUrl } from '../domain/profile/clouds';
import { normalizedEnvironmentUrl } from '../domain/stream-names';
import {
  environmentUrlsOf,
  type ActivityConnection,
  type SubscriptionConnection,
} from '../domain/profile/profile.events';
import type { Logger } from '../logging/logger';
import type { ExistingProfile } from '../profiles/profile.view';

/**
 * Microsoft clients for a profile: endpoints from its cloud; client secrets read from the
 * shared credential store when the clients are made (MSAL takes them synchronously), refresh
 * tokens read from it each time a token is needed (another instance may have rotated them).
 */
@Injectable()
export class ProfileConnectors implements OnApplicationShutdown {
  readonly connectors: MicrosoftConnectors;
  private readonly allowedHosts: readonly string[];

  constructor(
    @Inject(CREDENTIALS) private readonly credentials: CredentialStore,
    @Inject(LOGGER) logger: Logger,
    @Inject(APP_OPTIONS) options: AppOptions,
  ) {
    this.connectors = new MicrosoftConnectors({
      logger,
      trustedCaPems: options.trustedCaPems ?? [],
      ...options.connectors,
      // SAM_MAX_RETRY_AFTER_SECONDS, unless the caller (a test shortening every wait) sets the cap itself.
      maxRetryAfterMs: options.connectors?.maxRetryAfterMs ?? options.config.maxRetryAfterMs,
    });
    this.allowedHosts = options.config.allowedEndpointHosts;
  }

  async clientsFor(profile: ExistingProfile, options: ClientsOptions = {}): Promise<MicrosoftClients> {
    const endpoints = endpointsFor(profile.cloud, profile.endpoints);
    const activity = profile.downloadActivity && profile.activityConnection ? profile.activityConnection : null;
    return this.connectors.clients(
      {
        authorityHost: endpoints.authorityHost,
        graphBaseUrl: endpoints.graphBaseUrl,
        tenantId: profile.subscriptionConnection.tenantId,
        subscription: await this.credentialsOf(profile.subscriptionConnection, 'graph'),
        ...(activity
          ? {
              activity: {
                ...(await this.credentialsOf(activity, 'dataverse')),
                environmentUrl: activity.environmentUrl,
              },
            }
          : {}),
      },
      options,
    );
  }

  /** The Dataverse Web API of one of the profile's environments. */
  async dataverseFor(
    profile: ExistingProfile,
    environmentUrl: string,
    options: ClientsOptions = {},
  ): Promise<DataverseClient> {
    const activity = profile.activityConnection;
    if (!activity) throw missing('dataverse', 'the profile has no activity connection; add one');
    const endpoints = endpointsFor(profile.cloud, profile.endpoints);
    const { dataverse } = this.connectors.clients(
      {
        authorityHost: endpoints.authorityHost,
        graphBaseUrl: endpoints.graphBaseUrl,
        tenantId: profile.subscriptionConnection.tenantId,
        subscription: await this.credentialsOf(profile.subscriptionConnection, 'graph'),
        activity: { ...(await this.credentialsOf(activity, 'dataverse')), environmentUrl },
      },
      options,
    );
    return dataverse!;
  }

  /**
   * The environments to read: those the profile names, and with `discoverEnvironments` every
   * one the connection can find (Global Discovery Service for a delegated connection, the
   * Power Platform admin list for an application one). A discovered URL the SSRF guard
   * refuses is left out and reported; a failed discovery is reported, and the named
   * environments are still read.
   */
  async environmentsOf(
    profile: ExistingProfile,
    options: ClientsOptions = {},
  ): Promise<{ environmentUrls: string[]; discoveryError: UpstreamError | Error | null; refused: string[] }> {
    const activity = profile.activityConnection;
    if (!activity) return { environmentUrls: [], discoveryError: null, refused: [] };
    const urls = new Map<string, string>();
    for (const url of environmentUrlsOf(activity)) urls.set(normalizedEnvironmentUrl(url), url);
    const refused: string[] = [];
    let discoveryError: UpstreamError | Error | null = null;
    if (activity.discoverEnvironments) {
      try {
        const endpoints = discoveryEndpointsFor(profile.cloud, profile.endpoints);
        if (!endpoints)
          throw missing('dataverse', 'a custom cloud needs endpoints.discoveryBaseUrl to discover environments');
        const client = this.connectors.environmentDiscovery(
          {
            authorityHost: endpointsFor(profile.cloud, profile.endpoints).authorityHost,
            tenantId: profile.subscriptionConnection.tenantId,
            credentials: await this.credentialsOf(activity, 'dataverse'),
            endpoints,
          },
          options,
        );
        for (const found of await client.environments()) {
          const url = normalizeUrl(found.environmentUrl);
          const problems = checkProfileUrls(profile.cloud, profile.endpoints, [url], this.allowedHosts);
          if (problems.length > 0) refused.push(url);
          else if (!urls.has(normalizedEnvironmentUrl(url))) urls.set(normalizedEnvironmentUrl(url), url);
        }
      } catch (error) {
        discoveryError = error as Error;
      }
    }
    return { environmentUrls: [...urls.values()], discoveryError, refused };
  }

  onApplicationShutdown(): void {
    this.connectors.close();
  }

  private async credentialsOf(
    connection: SubscriptionConnection | ActivityConnection,
    service: 'graph' | 'dataverse',
  ): Promise<ConnectionCredentials> {
    const { credentialRef, consentRef } = connection;
    const secret = credentialRef ? await this.credentials.get(credentialRef) : null;
    return {
      clientId: connection.clientId,
      permissionType: connection.permissionType,
      clientSecret: () => {
        if (secret === null) throw missing(service, 'the connection has no client secret; PATCH the profile with one');
        return secret;
      },
      ...(connection.permissionType === 'delegated'
        ? {
            refreshToken: () => (consentRef ? this.credentials.get(consentRef) : null),
            saveRefreshToken: async (token: string) => {
              if (consentRef) await this.credentials.replace(consentRef, token);
            },
          }
        : {}),
    };
  }
}

const missing = (service: 'graph' | 'dataverse', message: string) =>
  new UpstreamError({ service, cause: 'configuration', message });
