import type { EsdbFaults } from './faults';
import type { EsdbLog } from './log';

/** What every call handler of one fake node shares. */
export interface EsdbFakeContext {
  readonly log: EsdbLog;
  readonly faults: EsdbFaults;
  /** MaxAppendSize: the total size of one append's events (KurrentDB 25.1+ defaults to its 256 MiB chunk size). */
  readonly maxAppendSize: number;
  /** Keeps a call open without ever answering it (a hung server); released when the fake stops. */
  holdOpen(call: { on(event: 'cancelled', listener: () => void): unknown }): void;
}
