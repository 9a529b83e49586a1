import { Server, ServerCredentials, type sendUnaryData, type ServerUnaryCall } from '@grpc/grpc-js';
import { StreamsService } from '@eventstore/db-client/generated/streams_grpc_pb';
import { ServerFeaturesService } from '@eventstore/db-client/generated/serverfeatures_grpc_pb';
import { SupportedMethod, SupportedMethods } from '@eventstore/db-client/generated/serverfeatures_pb';
import type { Empty } from '@eventstore/db-client/generated/shared_pb';
import { streamsServiceDefinition } from '../../../src/eventstore/esdb/esdb-v2-protocol';
import { handleAppend, handleBatchAppend } from './append';
import { handleAppendSession } from './append-session';
import { handleTombstone } from './delete';
import type { EsdbFakeContext, FakeRequest } from './context';
import { EsdbFaults, type Endpoint } from './faults';
import { EsdbLog } from './log';
import { handleRead } from './read';
import { faultError, notLeader } from './wire';

export { EsdbFaults, EsdbLog };
export type { Endpoint, FakeRequest };

/**
 * What the fake can and cannot stand in for. A contract assertion that depends on one of
 * these runs only where the flag says so (see docs/ARCHITECTURE.md, "EventStoreDB test server").
 */
export interface EsdbCapabilities {
  /** The server's clock can be set by the test (true only for the fake: a real server's cannot). */
  readonly settableClock: boolean;
  /** Faults can be injected (true only for the fake). */
  readonly faults: boolean;
}

export interface EsdbFakeOptions {
  /** Share another fake's log: a second node of the same database (two clients, or a not-leader redirect). */
  readonly log?: EsdbLog;
  /** The server clock in ms since the epoch; `created` on every event comes from it. */
  readonly now?: () => number;
  /** MaxAppendSize in bytes; KurrentDB 25.1+ defaults to its 256 MiB chunk size. */
  readonly maxAppendSize?: number;
  /** Whether the server lists BatchAppend among its features (every server since 21.10 does). */
  readonly batchAppend?: boolean;
  /**
   * Whether the server offers the v2 multi-stream append (AppendSession) and lists it among its
   * features, as KurrentDB 25.1 and later do; false stands in for an older server.
   */
  readonly multiStreamAppend?: boolean;
  /** The version the server reports. */
  readonly serverVersion?: string;
}

export interface EsdbFake {
  /** esdb://127.0.0.1:<port>?tls=false */
  readonly connectionString: string;
  readonly endpoint: Endpoint;
  readonly log: EsdbLog;
  readonly faults: EsdbFaults;
  readonly capabilities: EsdbCapabilities;
  /** Every call received, in order: which write path a client took, without timing anything. */
  readonly requests: readonly FakeRequest[];
  stop(): Promise<void>;
}

const DEFAULT_MAX_APPEND_SIZE = 256 * 1024 * 1024;
const MAX_RECORD_SIZE = 16 * 1024 * 1024;

/**
 * A wire-level EventStoreDB test server on loopback: the real @eventstore/db-client talks
 * gRPC to it exactly as to KurrentDB. It implements what the adapter uses (append, batch
 * append, multi-stream append, tombstone, stream and $all reads, filtered catch-up subscriptions, server features) with the
 * server's semantics, and injects faults. Exported for tests and benchmarks alike.
 */
export async function startEsdbFake(options: EsdbFakeOptions = {}): Promise<EsdbFake> {
  const log = options.log ?? new EsdbLog(options.now);
  const faults = new EsdbFaults();
  const held = new Set<() => void>();
  const requests: FakeRequest[] = [];
  const multiStreamAppend = options.multiStreamAppend ?? true;
  const context: EsdbFakeContext = {
    log,
    faults,
    maxAppendSize: options.maxAppendSize ?? DEFAULT_MAX_APPEND_SIZE,
    maxRecordSize: MAX_RECORD_SIZE,
    requests,
    holdOpen(call) {
      const release = () => held.delete(release);
      held.add(release);
      call.on('cancelled', release);
    },
  };
  const server = new Server({
    'grpc.max_receive_message_length': 64 * 1024 * 1024,
    'grpc.max_send_message_length': 64 * 1024 * 1024,
  });
  server.addService(StreamsService, {
    read: (call: Parameters<typeof handleRead>[1]) => handleRead(context, call),
    append: (call: Parameters<typeof handleAppend>[1], callback: Parameters<typeof handleAppend>[2]) =>
      handleAppend(context, call, callback),
    batchAppend: (call: Parameters<typeof handleBatchAppend>[1]) => handleBatchAppend(context, call),
    tombstone: (call: Parameters<typeof handleTombstone>[1], callback: Parameters<typeof handleTombstone>[2]) =>
      handleTombstone(context, call, callback),
  });
  if (multiStreamAppend)
    server.addService(streamsServiceDefinition, {
      appendSession: (
        call: Parameters<typeof handleAppendSession>[1],
        callback: Parameters<typeof handleAppendSession>[2],
      ) => handleAppendSession(context, call, callback),
    });
  server.addService(ServerFeaturesService, {
    getSupportedMethods: (
      call: ServerUnaryCall<Empty, SupportedMethods>,
      callback: sendUnaryData<SupportedMethods>,
    ) => {
      requests.push({ method: 'GetSupportedMethods', streams: [] });
      const fault = faults.take('features', false);
      if (fault?.kind === 'hang') return context.holdOpen(call);
      if (fault) return callback(fault.kind === 'not-leader' ? notLeader(fault.leader) : faultError(fault.kind));
      callback(
        null,
        supportedMethods(options.serverVersion ?? '26.0.3', options.batchAppend ?? true, multiStreamAppend),
      );
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  return {
    connectionString: `esdb://127.0.0.1:${port}?tls=false`,
    endpoint: { host: '127.0.0.1', port },
    log,
    faults,
    capabilities: { settableClock: true, faults: true },
    requests,
    async stop() {
      faults.clear();
      held.clear();
      server.forceShutdown();
    },
  };
}

/**
 * The list a server answers (KurrentDB ServerFeatures.cs): lower-case names, read and
 * batch-append features, and the v2 services ("kurrentdb.protocol") next to the v1 ones.
 */
function supportedMethods(version: string, batchAppend: boolean, multiStreamAppend: boolean): SupportedMethods {
  const streams = 'event_store.client.streams.streams';
  const methods: [string, string, string[]][] = [
    [streams, 'read', ['position', 'events']],
    [streams, 'append', []],
    ['event_store.client.server_features.serverfeatures', 'getsupportedmethods', []],
  ];
  if (batchAppend) methods.push([streams, 'batchappend', ['deadline_duration']]);
  if (multiStreamAppend) methods.push(['kurrentdb.protocol.v2.streams.streamsservice', 'appendsession', []]);
  return new SupportedMethods()
    .setEventStoreServerVersion(version)
    .setMethodsList(
      methods.map(([service, method, features]) =>
        new SupportedMethod().setServiceName(service).setMethodName(method).setFeaturesList(features),
      ),
    );
}
