import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { APP_OPTIONS, LOGGER } from '../core/tokens';
import type { AppOptions } from '../core/app-options';
import {
  MicrosoftConnectors,
  UpstreamError,
  type ClientsOptions,
  type ConnectionCredentials,
  type MicrosoftClients,
} from '../connectors';
import { CREDENTIALS, type CredentialStore } from '../credentials/credential.store';
import { endpointsFor } from '../domain/profile/clouds';
import type { ActivityConnection, SubscriptionConnection } from '../domain/profile/profile.events';
import type { Logger } from '../logging/logger';
import type { ExistingProfile } from '../profiles/profile.view';

/**
 * Microsoft clients for a profile: endpoints from its cloud, secrets and refresh tokens
 * read from the credential store only when a token is needed, never held elsewhere.
 */
@Injectable()
export class ProfileConnectors implements OnApplicationShutdown {
  readonly connectors: MicrosoftConnectors;

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
  }

  clientsFor(profile: ExistingProfile, options: ClientsOptions = {}): MicrosoftClients {
    const endpoints = endpointsFor(profile.cloud, profile.endpoints);
    const activity = profile.downloadActivity && profile.activityConnection ? profile.activityConnection : null;
    return this.connectors.clients(
      {
        authorityHost: endpoints.authorityHost,
        graphBaseUrl: endpoints.graphBaseUrl,
        tenantId: profile.subscriptionConnection.tenantId,
        subscription: this.credentialsOf(profile.subscriptionConnection, 'graph'),
        ...(activity
          ? { activity: { ...this.credentialsOf(activity, 'dataverse'), environmentUrl: activity.environmentUrl } }
          : {}),
      },
      options,
    );
  }

  onApplicationShutdown(): void {
    this.connectors.close();
  }

  private credentialsOf(
    connection: SubscriptionConnection | ActivityConnection,
    service: 'graph' | 'dataverse',
  ): ConnectionCredentials {
    const { credentialRef, consentRef } = connection;
    return {
      clientId: connection.clientId,
      permissionType: connection.permissionType,
      clientSecret: () => {
        if (!credentialRef) throw missing(service, 'the connection has no client secret; PATCH the profile with one');
        return this.credentials.get(credentialRef);
      },
      ...(connection.permissionType === 'delegated'
        ? {
            refreshToken: () => (consentRef ? this.credentials.get(consentRef) : null),
            saveRefreshToken: (token: string) => {
              if (consentRef) this.credentials.replace(consentRef, token);
            },
          }
        : {}),
    };
  }
}

const missing = (service: 'graph' | 'dataverse', message: string) =>
  new UpstreamError({ service, cause: 'configuration', message });
