import type { LogLevel } from '../logging/logger';
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';

export type Role = 'admin' | 'auditor' | 'consumer';
export const ROLES: readonly Role[] = ['admin', 'auditor', 'consumer'];

export interface ApiKey {
  readonly role: Role;
  /** Non-secret fingerprint: goes into event metadata and logs in place of the key. */
  readonly id: string;
  readonly key: string;
}

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly eventStore:
    | { readonly kind: 'sqlite' }
    | {
        readonly kind: 'esdb';
        readonly connectionString: string;
        /** Prefixed to every stream name, so several applications can share one EventStoreDB. */
        readonly streamPrefix: string;
      };
  readonly sqlitePath: string;
  readonly apiKeys: readonly ApiKey[];
  /** 32 bytes, or null: then the credential store generates one beside the SQLite file. */
  readonly secretKey: Buffer | null;
  readonly allowedEndpointHosts: readonly string[];
  readonly scheduler: {
    readonly enabled: boolean;
    readonly dailyAtUtc: { readonly hour: number; readonly minute: number };
  };
  /** Where browsers reach this service: the OAuth redirect URI is built from it. */
  readonly publicUrl: string;
  readonly bodyLimitBytes: number;
  readonly instanceId: string;
  /** How long this instance's claim on its id lasts without a heartbeat (renewed every third of it). */
  readonly instanceLeaseMs: number;
  readonly logLevel: LogLevel;
  /** The console's "Sign in with Microsoft" (the service's own app registration); null when not configured. */
  readonly entraSignIn: EntraSignInConfig | null;
  /** Hosts a notice webhook may use although they are loopback or private, and over http. */
  readonly allowedWebhookHosts: readonly string[];
  /** Keep links stay valid this long after the grace period they belong to ends. */
  readonly keepLinkMarginDays: number;
  /** A new keep-link signing key is made this often; older ones verify until their links expire. */
  readonly keepKeyRotationDays: number;
  /** `/docs` and `/docs-json`: served to anyone (the contract), only with an API key, or not at all. */
  readonly docs: 'public' | 'key' | 'off';
  readonly sseMaxConnections: number;
  /** Wrong API keys one client address may present per window before it gets 429s for a window. */
  readonly authFailures: { readonly limit: number; readonly windowMs: number };
  /** Express's `trust proxy`: whose X-Forwarded-For names the client (for the failed-key throttle). */
  readonly trustProxy: string | number | boolean;
  /**
   * The longest server-asked wait (Retry-After) honoured before a Microsoft call is retried; a longer one is cut
   * to this. Dataverse service protection asks for up to 300 s (its window), hence the default.
   */
  readonly maxRetryAfterMs: number;
  /** How often reclamations left waiting for Graph by a process that is gone are settled (also at start). */
  readonly reclaimSweepMs: number;
  /** How long a reclaim waits for another call on the same subscription before answering 409. */
  readonly reclaimWaitMs: number;
  /** As-of questions folded from the log at once; past it 503 with Retry-After (cached answers still come). */
  readonly asOfMaxConcurrent: number;
}

export interface EntraSignInConfig {
  readonly authorityHost: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

export type { LogLevel } from '../logging/logger';

/** One line naming the variable and what is wrong with it. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable}: ${problem}`);
  }
}

type Env = Readonly<Record<string, string | undefined>>;

export function loadConfig(env: Env): Config {
  const port = integer(env, 'PORT', 3000, 0, 65535);
  const host = nonEmpty(env, 'HOST', '127.0.0.1');
  const kind = oneOf(env, 'SAM_EVENT_STORE', ['sqlite', 'esdb'] as const, 'sqlite');
  const eventStore =
    kind === 'esdb' ? { kind, connectionString: esdbConnectionString(env), streamPrefix: streamPrefix(env) } : { kind };
  const scheduleAt = env.SAM_SCHEDULE_TIME ?? '02:00';
  return {
    port,
    host,
    eventStore,
    sqlitePath: nonEmpty(env, 'SAM_SQLITE_PATH', './data/sam.sqlite'),
    apiKeys: apiKeys(env.SAM_API_KEYS),
    secretKey: secretKey(env.SAM_SECRET_KEY, kind),
    allowedEndpointHosts: hostList(env.SAM_ALLOWED_ENDPOINT_HOSTS, 'SAM_ALLOWED_ENDPOINT_HOSTS'),
    scheduler: {
      enabled: oneOf(env, 'SAM_SCHEDULER', ['on', 'off'] as const, 'on') === 'on',
      dailyAtUtc: timeOfDay('SAM_SCHEDULE_TIME', scheduleAt),
    },
    publicUrl: httpUrl('SAM_PUBLIC_URL', env.SAM_PUBLIC_URL ?? `http://${host}:${port}`),
    bodyLimitBytes: integer(env, 'SAM_BODY_LIMIT_BYTES', 1_048_576, 1024, 64 * 1_048_576),
    instanceId: instanceId(env, `${hostname()}:${port}`),
    instanceLeaseMs: integer(env, 'SAM_INSTANCE_LEASE_SECONDS', 360, 15, 86_400) * 1000,
    logLevel: oneOf(env, 'SAM_LOG_LEVEL', ['debug', 'info', 'warn', 'error', 'silent'] as const, 'info'),
    entraSignIn: entraSignIn(env),
    allowedWebhookHosts: hostList(env.SAM_ALLOWED_WEBHOOK_HOSTS, 'SAM_ALLOWED_WEBHOOK_HOSTS'),
    keepLinkMarginDays: integer(env, 'SAM_KEEP_LINK_MARGIN_DAYS', 7, 0, 365),
    keepKeyRotationDays: integer(env, 'SAM_KEEP_KEY_ROTATION_DAYS', 30, 1, 365),
    docs: oneOf(env, 'SAM_DOCS', ['public', 'key', 'off'] as const, 'public'),
    sseMaxConnections: integer(env, 'SAM_SSE_MAX_CONNECTIONS', 100, 1, 100_000),
    authFailures: {
      limit: integer(env, 'SAM_AUTH_FAILURE_LIMIT', 10, 1, 1_000_000),
      windowMs: integer(env, 'SAM_AUTH_FAILURE_WINDOW_SECONDS', 60, 1, 86_400) * 1000,
    },
    trustProxy: trustProxy(env.SAM_TRUST_PROXY),
    maxRetryAfterMs: integer(env, 'SAM_MAX_RETRY_AFTER_SECONDS', 300, 1, 3600) * 1000,
    reclaimSweepMs: integer(env, 'SAM_RECLAIM_SWEEP_SECONDS', 60, 1, 3600) * 1000,
    reclaimWaitMs: integer(env, 'SAM_RECLAIM_WAIT_SECONDS', 30, 1, 600) * 1000,
    asOfMaxConcurrent: integer(env, 'SAM_ASOF_MAX_CONCURRENT', 2, 1, 64),
  };
}

export const keyFingerprint = (key: string): string => createHash('sha256').update(key).digest('hex').slice(0, 12);

function apiKeys(raw: string | undefined): ApiKey[] {
  const name = 'SAM_API_KEYS';
  if (!raw || raw.trim() === '')
    throw new ConfigError(name, 'is required: comma-separated role:key pairs, roles admin|auditor|consumer');
  const keys = raw.split(',').map((pair, index) => {
    const at = pair.indexOf(':');
    const role = pair.slice(0, at).trim();
    const key = pair.slice(at + 1).trim();
    if (at < 0 || !key) throw new ConfigError(name, `entry ${index + 1} is not role:key`);
    if (!ROLES.includes(role as Role))
      throw new ConfigError(name, `entry ${index + 1} has unknown role "${role}" (admin|auditor|consumer)`);
    if (key.length < 16) throw new ConfigError(name, `entry ${index + 1} (${role}) key is shorter than 16 characters`);
    return { role: role as Role, key, id: `${role}-${keyFingerprint(key)}` };
  });
  if (new Set(keys.map((k) => k.key)).size !== keys.length) throw new ConfigError(name, 'the same key appears twice');
  return keys;
}

/** All three of tenant, client and secret, or none: a half-configured sign-in would fail only when someone tries it. */
function entraSignIn(env: Env): EntraSignInConfig | null {
  const names = ['SAM_ENTRA_SIGN_IN_TENANT_ID', 'SAM_ENTRA_SIGN_IN_CLIENT_ID', 'SAM_ENTRA_SIGN_IN_CLIENT_SECRET'];
  const given = names.filter((name) => env[name]);
  if (given.length === 0) return null;
  const missing = names.find((name) => !env[name]);
  if (missing) throw new ConfigError(missing, `is required with ${given.join(' and ')} (Sign in with Microsoft)`);
  const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  for (const name of names.slice(0, 2))
    if (!guid.test(env[name]!)) throw new ConfigError(name, 'must be a GUID (the Directory or Application ID)');
  const authorityHost = httpUrl(
    'SAM_ENTRA_SIGN_IN_AUTHORITY_HOST',
    env.SAM_ENTRA_SIGN_IN_AUTHORITY_HOST ?? 'https://login.microsoftonline.com',
  );
  if (!authorityHost.startsWith('https:'))
    throw new ConfigError('SAM_ENTRA_SIGN_IN_AUTHORITY_HOST', 'must be an https URL (MSAL refuses http authorities)');
  return {
    authorityHost,
    tenantId: env.SAM_ENTRA_SIGN_IN_TENANT_ID!,
    clientId: env.SAM_ENTRA_SIGN_IN_CLIENT_ID!,
    clientSecret: env.SAM_ENTRA_SIGN_IN_CLIENT_SECRET!,
  };
}

function secretKey(raw: string | undefined, store: 'sqlite' | 'esdb'): Buffer | null {
  const name = 'SAM_SECRET_KEY';
  if (!raw) {
    if (store === 'esdb') throw new ConfigError(name, 'is required with SAM_EVENT_STORE=esdb (base64 of 32 bytes)');
    return null;
  }
  const key = Buffer.from(raw, 'base64');
  if (key.length !== 32 || key.toString('base64').replace(/=+$/, '') !== raw.trim().replace(/=+$/, '')) {
    throw new ConfigError(name, 'must be base64 of exactly 32 bytes (e.g. `openssl rand -base64 32`)');
  }
  return key;
}

function esdbConnectionString(env: Env): string {
  const name = 'EVENTSTORE_CONNECTION_STRING';
  const value = env[name];
  if (!value)
    throw new ConfigError(name, 'is required with SAM_EVENT_STORE=esdb, e.g. esdb://127.0.0.1:2113?tls=false');
  if (!/^esdb(\+discover)?:\/\/[^/\s]+/.test(value))
    throw new ConfigError(name, 'must be an esdb:// or esdb+discover:// connection string');
  return value;
}

/**
 * Letters, digits, `_`, `.`, `:`, ending in `_`, `.` or `:`: no `$` (system streams), no `-`
 * (the `$ce-` category of `licensee-…` would change), and a separator at the end so that one
 * application's prefix cannot be the start of another's ordinary stream names.
 */
function streamPrefix(env: Env): string {
  const name = 'SAM_STREAM_PREFIX';
  const value = env[name] ?? '';
  if (value !== '' && !/^[A-Za-z0-9][A-Za-z0-9_.:]*[_.:]$/.test(value))
    throw new ConfigError(name, `"${value}" must be letters, digits, _ . : and end with _ . or : (e.g. ledger_)`);
  return value;
}

function hostList(raw: string | undefined, name: string): string[] {
  if (!raw) return [];
  return raw
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean)
    .map((h) => {
      if (!/^[a-z0-9.-]+$|^\[[0-9a-f:.]+\]$/.test(h)) throw new ConfigError(name, `"${h}" is not a host name`);
      return h;
    });
}

/** Names this instance in job claims and its lease; it must be unique among running instances. */
function instanceId(env: Env, fallback: string): string {
  const value = nonEmpty(env, 'SAM_INSTANCE_ID', fallback);
  if (!/^[A-Za-z0-9._:@-]{1,200}$/.test(value))
    throw new ConfigError('SAM_INSTANCE_ID', 'may hold only letters, digits and . _ : @ - (at most 200)');
  return value;
}

/** As Express takes it: off, on, a hop count, or comma-separated addresses, subnets or names (loopback, ...). */
function trustProxy(raw: string | undefined): string | number | boolean {
  if (raw === undefined || raw === '' || raw === 'off') return false;
  if (raw === 'on') return true;
  if (/^\d+$/.test(raw)) return Number(raw);
  if (!/^[A-Za-z0-9.:/, -]+$/.test(raw))
    throw new ConfigError('SAM_TRUST_PROXY', 'must be off, on, a hop count, or addresses, subnets or names');
  return raw;
}

function timeOfDay(name: string, raw: string): { hour: number; minute: number } {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(raw);
  if (!match) throw new ConfigError(name, 'must be HH:MM (UTC), e.g. 02:00');
  return { hour: Number(match[1]), minute: Number(match[2]) };
}

function httpUrl(name: string, raw: string): string {
  try {
    const url = new URL(raw);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error();
    return raw.replace(/\/+$/, '');
  } catch {
    throw new ConfigError(name, `"${raw}" is not an http(s) URL`);
  }
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `"${raw}" is not a whole number`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `${value} is outside ${min}..${max}`);
  return value;
}

function nonEmpty(env: Env, name: string, fallback: string): string {
  const raw = env[name];
  if (raw === undefined) return fallback;
  if (raw.trim() === '') throw new ConfigError(name, 'is empty');
  return raw;
}

function oneOf<T extends string>(env: Env, name: string, values: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!values.includes(raw as T)) throw new ConfigError(name, `"${raw}" is not one of ${values.join('|')}`);
  return raw as T;
}
