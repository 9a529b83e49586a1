import type { Logger } from '../../../src/logging/logger';
import { MicrosoftConnectors, type MicrosoftConnectorsOptions, type ProfileConnections } from '../../../src/connectors';
import { startSandbox, type Sandbox, type StartSandboxOptions } from '../../../src/sandbox';

export interface LogLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  readonly fields: Record<string, unknown> | undefined;
}

/** Keeps every line the connectors log, raw (before any sink redaction), so tests can inspect them. */
export class CapturingLogger implements Logger {
  readonly lines: LogLine[] = [];
  debug(message: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level: 'debug', message, fields });
  }
  info(message: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level: 'info', message, fields });
  }
  warn(message: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level: 'warn', message, fields });
  }
  error(message: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level: 'error', message, fields });
  }
  /** Each line as it would be written: message plus fields, serialised. */
  serialized(): string[] {
    return this.lines.map((line) =>
      JSON.stringify({ level: line.level, message: line.message, ...(line.fields ?? {}) }, errorsAsObjects),
    );
  }
}

function errorsAsObjects(_key: string, value: unknown): unknown {
  return value instanceof Error ? { ...value, name: value.name, message: value.message } : value;
}

/** Small waits and caps: faults are retried for real, but the suite stays fast. */
export const FAST_RETRIES: Omit<MicrosoftConnectorsOptions, 'logger'> = {
  timeoutMs: 750,
  maxAttempts: 4,
  maxRetryAfterMs: 20,
  baseBackoffMs: 5,
  maxBackoffMs: 20,
};

export interface Harness {
  readonly sandbox: Sandbox;
  readonly logger: CapturingLogger;
  readonly connectors: MicrosoftConnectors;
  /** Application permissions for both connections, the secret read from the sandbox on demand. */
  profile(overrides?: Partial<ProfileConnections>): ProfileConnections;
  tokenRequests(): number;
  count(route: string): number;
  close(): Promise<void>;
}

export const TOKEN_ROUTE = 'POST /{tenant}/oauth2/v2.0/token';

export async function startHarness(
  sandboxOptions: StartSandboxOptions = {},
  connectorOptions: Partial<MicrosoftConnectorsOptions> = {},
): Promise<Harness> {
  const sandbox = await startSandbox({ users: 60, seed: 7, ...sandboxOptions });
  const logger = new CapturingLogger();
  const connectors = new MicrosoftConnectors({
    ...FAST_RETRIES,
    trustedCaPems: [sandbox.caPem],
    logger,
    ...connectorOptions,
  });
  const count = (route: string): number => sandbox.requestCounts()[route] ?? 0;
  return {
    sandbox,
    logger,
    connectors,
    profile: (overrides = {}) => ({
      authorityHost: sandbox.authorityHost,
      graphBaseUrl: sandbox.graphBaseUrl,
      tenantId: sandbox.tenantId,
      subscription: {
        clientId: sandbox.clientId,
        permissionType: 'application',
        clientSecret: () => sandbox.clientSecret,
      },
      activity: {
        environmentUrl: sandbox.environmentUrl,
        clientId: sandbox.clientId,
        permissionType: 'application',
        clientSecret: () => sandbox.clientSecret,
      },
      ...overrides,
    }),
    tokenRequests: () => count(TOKEN_ROUTE),
    count,
    close: async () => {
      connectors.close();
      await sandbox.stop();
    },
  };
}

export async function collect<T>(pages: AsyncIterable<T[]>): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let count = 0;
  for await (const page of pages) {
    items.push(...page);
    count++;
  }
  return { items, pages: count };
}

/** The rejection of a promise that must fail. */
export async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}
