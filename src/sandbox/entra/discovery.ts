import { authorityOf, type SandboxContext } from '../context';
import { jsonReply, type Reply } from '../http/reply';

/**
 * The v2.0 OpenID configuration, shaped like Entra's. MSAL needs `authorization_endpoint`,
 * `token_endpoint`, `issuer` and `jwks_uri`; it accepts the issuer because it shares scheme and
 * host:port with the authority.
 */
export function openIdConfiguration(context: SandboxContext): Record<string, unknown> {
  const authority = authorityOf(context);
  const host = new URL(context.origin).host;
  return {
    token_endpoint: `${authority}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${authority}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `${authority}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${context.origin}/graph/oidc/userinfo`,
    authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${authority}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${authority}/oauth2/v2.0/logout`,
    claims_supported: [
      'sub',
      'iss',
      'cloud_instance_name',
      'cloud_instance_host_name',
      'cloud_graph_host_name',
      'msgraph_host',
      'aud',
      'exp',
      'iat',
      'auth_time',
      'acr',
      'nonce',
      'preferred_username',
      'name',
      'tid',
      'ver',
      'at_hash',
      'c_hash',
      'email',
    ],
    kerberos_endpoint: `${authority}/kerberos`,
    tenant_region_scope: 'NA',
    cloud_instance_name: host,
    cloud_graph_host_name: host,
    msgraph_host: host,
    rbac_url: `${context.origin}/rbac`,
  };
}

export function openIdConfigurationReply(context: SandboxContext): Reply {
  return jsonReply(200, openIdConfiguration(context), { 'cache-control': 'max-age=86400, private' });
}

export function keysReply(context: SandboxContext): Reply {
  return jsonReply(200, { keys: [context.tokens.publicJwk] }, { 'cache-control': 'max-age=86400, private' });
}

/** `GET /common/discovery/instance`: what MSAL fetches when a host is not in `knownAuthorities`. */
export function instanceDiscoveryReply(context: SandboxContext): Reply {
  const host = new URL(context.origin).host;
  return jsonReply(200, {
    tenant_discovery_endpoint: `${authorityOf(context)}/v2.0/.well-known/openid-configuration`,
    'api-version': '1.1',
    metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
  });
}
