import { ConfidentialClientApplication, LogLevel, type Configuration, type INetworkModule } from '@azure/msal-node';
import { createHash } from 'node:crypto';
import type { Logger } from '../logging/logger';
import { trimTrailingSlash, type EntraApp } from './connection-target';
import { UpstreamError } from './upstream-error';

/**
 * Hosts MSAL ships instance-discovery and endpoint metadata for (msal-common
 * `rawMetdataJSON`, 16.x); it resolves these without a network call.
 */
const MICROSOFT_AUTHORITY_HOSTS: ReadonlySet<string> = new Set([
  'login.microsoftonline.com',
  'login.windows.net',
  'login.microsoft.com',
  'sts.windows.net',
  'login.partner.microsoftonline.cn',
  'login.chinacloudapi.cn',
  'login.microsoftonline.de',
  'login.microsoftonline.us',
  'login.usgovcloudapi.net',
  'login-us.microsoftonline.com',
  'login.sovcloud-identity.fr',
  'login.sovcloud-identity.de',
  'login.sovcloud-identity.sg',
]);

export function isMicrosoftAuthorityHost(authorityHost: string): boolean {
  return MICROSOFT_AUTHORITY_HOSTS.has(new URL(authorityHost).hostname.toLowerCase());
}

/**
 * MSAL options for one app registration. Any other authority host (the sandbox at
 * `https://127.0.0.1:PORT`) is declared in `knownAuthorities` as host:port, which skips
 * instance discovery against login.microsoftonline.com, and given `authorityMetadata`, which
 * skips the openid-configuration GET. MSAL refuses `http:` authorities
 * (`authority_uri_insecure`), so such a host must speak https.
 */
export function msalConfiguration(
  app: EntraApp,
  secret: string,
  networkClient: INetworkModule,
  logger: Logger,
): Configuration {
  const host = trimTrailingSlash(app.authorityHost);
  const authority = `${host}/${app.tenantId}`;
  const custom = isMicrosoftAuthorityHost(host)
    ? {}
    : {
        knownAuthorities: [new URL(host).host],
        authorityMetadata: JSON.stringify({
          token_endpoint: `${authority}/oauth2/v2.0/token`,
          authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
          issuer: `${authority}/v2.0`,
          jwks_uri: `${authority}/discovery/v2.0/keys`,
          end_session_endpoint: `${authority}/oauth2/v2.0/logout`,
        }),
      };
  return {
    auth: { clientId: app.clientId, clientSecret: secret, authority, ...custom },
    system: {
      networkClient,
      loggerOptions: {
        logLevel: LogLevel.Warning,
        piiLoggingEnabled: false,
        loggerCallback: (level, message, containsPii) => {
          if (!containsPii) logger.debug('msal', { msalLevel: LogLevel[level], message });
        },
      },
    },
  };
}

export interface MsalApp {
  /** Identifies the app registration (not the secret) for per-app caches and locks. */
  readonly key: string;
  readonly client: ConfidentialClientApplication;
}

/**
 * One ConfidentialClientApplication per app registration and secret, so MSAL's in-memory
 * token cache is reused across calls. A changed secret replaces the entry instead of adding
 * one: the old secret no longer works, and nothing else should keep it in memory.
 */
export class MsalApps {
  private readonly apps = new Map<string, { fingerprint: string; client: ConfidentialClientApplication }>();

  constructor(
    private readonly networkClient: INetworkModule,
    private readonly logger: Logger,
  ) {}

  get(app: EntraApp): MsalApp {
    assertHttpsAuthority(app);
    const key = `${trimTrailingSlash(app.authorityHost).toLowerCase()}|${app.tenantId.toLowerCase()}|${app.clientId.toLowerCase()}`;
    const secret = app.clientSecret();
    const fingerprint = createHash('sha256').update(secret).digest('hex');
    const existing = this.apps.get(key);
    if (existing && existing.fingerprint === fingerprint) return { key, client: existing.client };
    const client = new ConfidentialClientApplication(msalConfiguration(app, secret, this.networkClient, this.logger));
    this.apps.set(key, { fingerprint, client });
    return { key, client };
  }

  clear(): void {
    this.apps.clear();
  }
}

/** Fails early, with the fix, where MSAL would fail later with `authority_uri_insecure` or a URL parse error. */
function assertHttpsAuthority(app: EntraApp): void {
  let url: URL | null;
  try {
    url = new URL(app.authorityHost);
  } catch {
    url = null;
  }
  if (url?.protocol !== 'https:') {
    throw new UpstreamError({
      service: 'entra',
      cause: 'configuration',
      message: `the authority host '${app.authorityHost}' is not an https URL: MSAL only accepts https authorities; correct the cloud of the profile`,
    });
  }
}
