import type { Config } from '../config/config';
import type { LogSink } from '../logging/logger';
import type { Clock } from '../shared/clock';

/** What a caller (main, the demo, a test) passes in besides the environment's Config. */
export interface AppOptions {
  readonly config: Config;
  readonly clock?: Clock;
  readonly logSink?: LogSink;
  /** PEM certificates trusted for outbound HTTPS in addition to Node's (e.g. the sandbox's). */
  readonly trustedCaPems?: readonly string[];
  readonly sseHeartbeatMs?: number;
  readonly readModelPersistEveryMs?: number;
}
