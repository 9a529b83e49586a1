import type { Config } from '../config/config';
import type { MicrosoftConnectorsOptions } from '../connectors';
import type { LogSink } from '../logging/logger';
import type { Clock } from '../shared/clock';
import type { HostResolver } from '../webhooks/webhook-targets';

/** What a caller (main, the demo, a test) passes in besides the environment's Config. */
export interface AppOptions {
  readonly config: Config;
  readonly clock?: Clock;
  readonly logSink?: LogSink;
  /** PEM certificates trusted for outbound HTTPS in addition to Node's (e.g. the sandbox's). */
  readonly trustedCaPems?: readonly string[];
  readonly sseHeartbeatMs?: number;
  readonly readModelPersistEveryMs?: number;
  /** Retry and timeout settings for Microsoft calls (tests shorten the waits). */
  readonly connectors?: Partial<Omit<MicrosoftConnectorsOptions, 'logger' | 'trustedCaPems'>>;
  /** A run silent this long while holding a claim of another instance is presumed dead. */
  readonly staleJobAfterMs?: number;
  /** The built web console (default: dist/console under the project root). */
  readonly consoleDir?: string;
  /** Resolves webhook hosts (default: the system resolver); tests give a table of their own. */
  readonly webhookResolver?: HostResolver;
}
