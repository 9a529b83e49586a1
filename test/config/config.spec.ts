import { ConfigError, loadConfig } from '../../src/config/config';

const keys = { SAM_API_KEYS: 'admin:0123456789abcdef0123,consumer:fedcba9876543210fedc' };

describe('configuration from the environment', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig(keys);
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      eventStore: { kind: 'sqlite' },
      sqlitePath: './data/sam.sqlite',
      secretKey: null,
      allowedEndpointHosts: [],
      scheduler: { enabled: true, dailyAtUtc: { hour: 2, minute: 0 } },
      maxRetryAfterMs: 300_000,
    });
    expect(config.apiKeys.map((k) => k.role)).toEqual(['admin', 'consumer']);
    expect(config.apiKeys[0].id).toMatch(/^admin-[0-9a-f]{12}$/);
    expect(JSON.stringify(config.apiKeys.map((k) => k.id))).not.toContain('0123456789abcdef');
  });

  it.each([
    [{}, 'SAM_API_KEYS: is required'],
    [{ SAM_API_KEYS: 'root:0123456789abcdef0123' }, 'SAM_API_KEYS: entry 1 has unknown role "root"'],
    [{ SAM_API_KEYS: 'admin:short' }, 'SAM_API_KEYS: entry 1 (admin) key is shorter than 16 characters'],
    [{ SAM_API_KEYS: 'admin0123456789abcdef' }, 'SAM_API_KEYS: entry 1 is not role:key'],
    [{ ...keys, PORT: 'eighty' }, 'PORT: "eighty" is not a whole number'],
    [{ ...keys, PORT: '70000' }, 'PORT: 70000 is outside 0..65535'],
    [{ ...keys, SAM_EVENT_STORE: 'postgres' }, 'SAM_EVENT_STORE: "postgres" is not one of sqlite|esdb'],
    [{ ...keys, SAM_EVENT_STORE: 'esdb' }, 'EVENTSTORE_CONNECTION_STRING: is required with SAM_EVENT_STORE=esdb'],
    [
      { ...keys, SAM_EVENT_STORE: 'esdb', EVENTSTORE_CONNECTION_STRING: 'http://x' },
      'EVENTSTORE_CONNECTION_STRING: must be an esdb://',
    ],
    [{ ...keys, SAM_SECRET_KEY: 'dG9vIHNob3J0' }, 'SAM_SECRET_KEY: must be base64 of exactly 32 bytes'],
    ...['ledger', '$ledger_', 'led-ger_', '_ledger_'].map((prefix): [Record<string, string>, string] => [
      { ...keys, SAM_EVENT_STORE: 'esdb', EVENTSTORE_CONNECTION_STRING: 'esdb://h:2113', SAM_STREAM_PREFIX: prefix },
      `SAM_STREAM_PREFIX: "${prefix}" must be letters, digits`,
    ]),
    [{ ...keys, SAM_SCHEDULER: 'daily' }, 'SAM_SCHEDULER: "daily" is not one of on|off'],
    [{ ...keys, SAM_SCHEDULE_TIME: '25:00' }, 'SAM_SCHEDULE_TIME: must be HH:MM'],
    [
      { ...keys, SAM_ALLOWED_ENDPOINT_HOSTS: 'ok.example, bad host' },
      'SAM_ALLOWED_ENDPOINT_HOSTS: "bad host" is not a host name',
    ],
    ...['0', '3601', '2.5', '-1', 'five'].map((value): [Record<string, string>, string] => [
      { ...keys, SAM_MAX_RETRY_AFTER_SECONDS: value },
      'SAM_MAX_RETRY_AFTER_SECONDS: ',
    ]),
  ])('refuses %j with one line naming the variable', (env, message) => {
    const error = (() => {
      try {
        loadConfig(env as Record<string, string>);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message.startsWith(message)).toBe(true);
    expect((error as Error).message).not.toContain('\n');
  });

  it('takes the longest Retry-After to honour in seconds (1..3600), held in milliseconds', () => {
    expect(loadConfig({ ...keys, SAM_MAX_RETRY_AFTER_SECONDS: '120' }).maxRetryAfterMs).toBe(120_000);
    expect(loadConfig({ ...keys, SAM_MAX_RETRY_AFTER_SECONDS: '1' }).maxRetryAfterMs).toBe(1_000);
    expect(loadConfig({ ...keys, SAM_MAX_RETRY_AFTER_SECONDS: '' }).maxRetryAfterMs).toBe(300_000);
  });

  it('requires a secret key with EventStoreDB, where no local key file can be shared', () => {
    expect(() =>
      loadConfig({ ...keys, SAM_EVENT_STORE: 'esdb', EVENTSTORE_CONNECTION_STRING: 'esdb://127.0.0.1:2113?tls=false' }),
    ).toThrow('SAM_SECRET_KEY: is required with SAM_EVENT_STORE=esdb');
  });

  it('accepts a 32-byte base64 key and an esdb connection string', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    const config = loadConfig({
      ...keys,
      SAM_SECRET_KEY: key,
      SAM_EVENT_STORE: 'esdb',
      EVENTSTORE_CONNECTION_STRING: 'esdb://127.0.0.1:2113?tls=false',
    });
    expect(config.secretKey?.length).toBe(32);
    expect(config.eventStore).toEqual({
      kind: 'esdb',
      connectionString: 'esdb://127.0.0.1:2113?tls=false',
      streamPrefix: '',
    });
  });

  it('takes a stream prefix for a shared EventStoreDB', () => {
    const config = loadConfig({
      ...keys,
      SAM_SECRET_KEY: Buffer.alloc(32, 7).toString('base64'),
      SAM_EVENT_STORE: 'esdb',
      EVENTSTORE_CONNECTION_STRING: 'esdb://127.0.0.1:2113?tls=false',
      SAM_STREAM_PREFIX: 'ledger.eu_',
    });
    expect(config.eventStore).toMatchObject({ kind: 'esdb', streamPrefix: 'ledger.eu_' });
  });
});
