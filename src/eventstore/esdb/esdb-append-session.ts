/**
 * appendMany in one transaction on KurrentDB 25.1+ (v2 StreamsService/AppendSession). The call
 * runs through `GrpcAccess`, i.e. on the connection's own channel: endpoint, TLS, credentials,
 * leader reconnection and the server's feature list are the v6 client's (esdb-client.ts).
 * This file knows the v2 protocol (esdb-v2-protocol.ts) and how its answers map onto EsdbError.
 */
import {
  makeGenericClientConstructor,
  status,
  type CallOptions,
  type ClientWritableStream,
  type Metadata,
  type ServiceError,
} from '@grpc/grpc-js';
import type { ExpectedRevision } from '../event-store.port';
import type { WireEvent } from './esdb-client';
import { EsdbError, TRANSIENT_CODES } from './esdb-error';
import {
  APPEND_SESSION_PATH,
  EXPECTED_ANY,
  EXPECTED_EXISTS,
  EXPECTED_NO_STREAM,
  SCHEMA_FORMAT_JSON,
  STREAMS_SERVICE,
  decodeStatus,
  streamsServiceDefinition,
  type AppendRequest,
  type AppendSessionResponse,
  type JsonValue,
} from './esdb-v2-protocol';

interface SessionClient {
  appendSession(
    metadata: Metadata,
    options: CallOptions,
    callback: (error: ServiceError | null, response?: AppendSessionResponse) => void,
  ): ClientWritableStream<AppendRequest>;
}

export type SessionClientConstructor = new (address: string, credentials: never, options: object) => SessionClient;

export const SessionClient = makeGenericClientConstructor(
  streamsServiceDefinition,
  STREAMS_SERVICE,
) as unknown as SessionClientConstructor;

/** What the call needs of the connection it runs on. */
export interface GrpcAccess {
  /** Whether the server lists this method among its features (fetched once per connection). */
  supports(path: string): Promise<boolean>;
  /** Runs `action` with a client of this service on the connection's channel. */
  execute<T>(client: SessionClientConstructor, name: string, action: (client: SessionClient) => Promise<T>): Promise<T>;
  /** Metadata (leader required, credentials) and options (deadline) for one call. */
  callArguments(): [Metadata, CallOptions];
}

export interface AtomicAppend {
  /** The full stream name, prefix included. */
  readonly stream: string;
  readonly events: readonly WireEvent[];
  readonly expected: ExpectedRevision;
}

export interface AtomicAppendResult {
  /** Each stream's last revision, in the order of the appends. */
  readonly revisions: readonly bigint[];
  /** The log position of the transaction's last record. */
  readonly position: bigint;
}

/** Null when the server does not offer AppendSession; otherwise every stream is written, or none. */
export async function appendSession(
  access: GrpcAccess,
  appends: readonly AtomicAppend[],
): Promise<AtomicAppendResult | null> {
  if (!(await access.supports(APPEND_SESSION_PATH))) return null;
  const requests = appends.map(toRequest);
  const response = await access
    .execute(SessionClient, 'appendSession', (client) => send(client, access.callArguments(), requests))
    .catch((error: unknown) => {
      throw sessionError(error);
    });
  const answered = new Map(response.output.map((o) => [o.stream, o.streamRevision]));
  const revisions = appends.map((a) => {
    const revision = answered.get(a.stream);
    if (revision === undefined)
      throw new EsdbError('permanent', `KurrentDB answered an AppendSession without stream ${a.stream}`);
    return revision;
  });
  return { revisions, position: response.position };
}

function toRequest(append: AtomicAppend): AppendRequest {
  return {
    stream: append.stream,
    expectedRevision: expectedOf(append.expected),
    // The same bytes a v1 append of a JSON event carries: data and metadata as JSON.
    records: append.events.map((e) => ({
      recordId: e.id,
      properties: JSON.parse(JSON.stringify(e.metadata)) as Record<string, JsonValue>,
      schema: { format: SCHEMA_FORMAT_JSON, name: e.type },
      data: Buffer.from(JSON.stringify(e.data), 'utf8'),
    })),
  };
}

function expectedOf(expected: ExpectedRevision): bigint {
  if (expected === 'any') return EXPECTED_ANY;
  if (expected === 'no-stream') return EXPECTED_NO_STREAM;
  if (expected === 'exists') return EXPECTED_EXISTS;
  return BigInt(expected);
}

/** Writes the requests with backpressure; stops writing once the server has answered (an early refusal). */
function send(
  client: SessionClient,
  [metadata, options]: [Metadata, CallOptions],
  requests: readonly AppendRequest[],
): Promise<AppendSessionResponse> {
  return new Promise((resolve, reject) => {
    let answered = false;
    let wake: (() => void) | null = null;
    const call = client.appendSession(metadata, options, (error, response) => {
      answered = true;
      wake?.();
      if (error || !response) reject(error ?? new Error('AppendSession ended without an answer'));
      else resolve(response);
    });
    void (async () => {
      for (const request of requests) {
        if (answered) return;
        if (!call.write(request))
          await new Promise<void>((drained) => {
            wake = drained;
            call.once('drain', drained);
          });
      }
      if (!answered) call.end();
    })().catch(reject);
  });
}

/** Refusals of the request's form, each before anything is written: the ordered path can take the batch. */
const UNSUPPORTED_REASONS = new Set([
  'APPEND_TRANSACTION_SIZE_EXCEEDED',
  'APPEND_RECORD_SIZE_EXCEEDED',
  'STREAM_ALREADY_IN_APPEND_SESSION',
  'APPEND_SESSION_NO_REQUESTS',
  'NOT_LEADER_NODE',
  'BAD_REQUEST',
]);

/** Reads the google.rpc.Status in the trailers: an ErrorInfo reason, then the details that go with it. */
export function sessionError(error: unknown): EsdbError {
  if (error instanceof EsdbError) return error;
  const failure = error as Partial<ServiceError>;
  const message = failure.details ?? (error instanceof Error ? error.message : String(error));
  const trailer = failure.metadata?.get('grpc-status-details-bin')[0];
  const rich = Buffer.isBuffer(trailer) ? decodeStatus(trailer) : null;
  const detail = (name: string) => rich?.details.find((d) => d.typeName.endsWith(name))?.fields ?? {};
  const reason = detail('google.rpc.ErrorInfo').reason;
  if (reason === 'STREAM_REVISION_CONFLICT') {
    const conflict = detail('StreamRevisionConflictErrorDetails');
    const actual = Number(conflict.actualRevision ?? -1);
    return new EsdbError('conflict', message, actual < 0 ? 'no-stream' : actual, error, String(conflict.stream ?? ''));
  }
  if (reason === 'STREAM_TOMBSTONED')
    return new EsdbError('deleted', message, undefined, error, String(detail('StreamTombstonedErrorDetails').stream));
  if ((typeof reason === 'string' && UNSUPPORTED_REASONS.has(reason)) || failure.code === status.UNIMPLEMENTED)
    return new EsdbError('unsupported', message, undefined, error);
  const transient = typeof failure.code === 'number' && TRANSIENT_CODES.has(failure.code);
  return new EsdbError(transient ? 'transient' : 'permanent', message, undefined, error);
}
