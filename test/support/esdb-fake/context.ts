import type { EsdbFaults } from './faults';
import type { EsdbLog } from './log';

/** One call the node received: its method and the streams it named ($all for a read of $all). */
export interface FakeRequest {
  readonly method: 'GetSupportedMethods' | 'Read' | 'Append' | 'BatchAppend' | 'Tombstone' | 'AppendSession';
  readonly streams: readonly string[];
}

/** What every call handler of one fake node shares. */
export interface EsdbFakeContext {
  readonly log: EsdbLog;
  readonly faults: EsdbFaults;
  /** MaxAppendSize: the total size of one append's events (KurrentDB 25.1+ defaults to its 256 MiB chunk size). */
  readonly maxAppendSize: number;
  /** MaxAppendEventSize: one record's size in an AppendSession (TFConsts.MaxLogRecordSize, 16 MiB). */
  readonly maxRecordSize: number;
  /** Every call in the order received (BatchAppend: each append of the duplex call). */
  readonly requests: FakeRequest[];
  /** Keeps a call open without ever answering it (a hung server); released when the fake stops. */
  holdOpen(call: { on(event: 'cancelled', listener: () => void): unknown }): void;
}
