import { randomUUID } from 'node:crypto';
import { Metadata, status, type sendUnaryData, type ServerReadableStream } from '@grpc/grpc-js';
import {
  EXPECTED_ANY,
  EXPECTED_EXISTS,
  EXPECTED_NO_STREAM,
  SCHEMA_FORMAT_JSON,
  SCHEMA_NAME,
  encodeStatus,
  propertiesSize,
  type AppendRecord,
  type AppendRequest,
  type AppendSessionResponse,
  type ErrorDetail,
} from '../../../src/eventstore/esdb/esdb-v2-protocol';
import type { EsdbFakeContext } from './context';
import type { CallFault } from './faults';
import { EXPECT_ANY, EXPECT_NO_STREAM, EXPECT_STREAM_EXISTS, type AtomicEntry, type ProposedEvent } from './log';
import type { RpcError } from './wire';

/**
 * v2 StreamsService.AppendSession (KurrentDB 25.1+, src/KurrentDB.Api.V2/Modules/Streams/
 * StreamsService.cs): requests are checked as they arrive (RequestValidationInterceptor, then
 * AppendSessionCommand.WithRequest: a stream at most once, each record valid and within
 * MaxAppendEventSize, the session within MaxAppendSize), and a refusal ends the call at once;
 * once the client completes, all streams are written in one transaction or none
 * (EsdbLog.appendAtomically). Errors carry a google.rpc.Status with an ErrorInfo and the
 * details the adapter reads (ApiErrors.cs); the server's BadRequest field violations, RetryInfo
 * and NotLeaderNodeErrorDetails are left out.
 */
export function handleAppendSession(
  context: EsdbFakeContext,
  call: ServerReadableStream<AppendRequest, AppendSessionResponse>,
  callback: sendUnaryData<AppendSessionResponse>,
): void {
  const fault = context.faults.take('append-session', call.metadata.get('requires-leader')[0] === 'true');
  const entries: AtomicEntry[] = [];
  const names = new Set<string>();
  let total = 0;
  let refused = false;
  const refuse = (error: RpcError) => {
    refused = true;
    context.requests.push({ method: 'AppendSession', streams: entries.map((e) => e.stream) });
    callback(error);
  };
  call.on('data', (request: AppendRequest) => {
    if (refused) return;
    const invalid = invalidRequest(request);
    if (invalid) return refuse(badRequest(invalid));
    if (names.has(request.stream.toLowerCase()))
      return refuse(
        v2Error(
          status.ABORTED,
          'STREAM_ALREADY_IN_APPEND_SESSION',
          'streams',
          `Stream '${request.stream}' already has a different group of messages in this session.`,
          {
            typeName: 'kurrentdb.protocol.v2.streams.errors.StreamAlreadyInAppendSessionErrorDetails',
            fields: { stream: request.stream },
          },
        ),
      );
    names.add(request.stream.toLowerCase());
    const events: ProposedEvent[] = [];
    for (const record of request.records) {
      const invalidRecord = invalidRecordOf(record);
      if (invalidRecord) return refuse(badRequest(invalidRecord));
      const event = toEvent(record);
      const size = record.data.length + propertiesSize(record.properties) + Buffer.byteLength(record.schema.name);
      if (size > context.maxRecordSize)
        return refuse(recordTooLarge(request.stream, event.id, size, context.maxRecordSize));
      total += size;
      if (total > context.maxAppendSize) return refuse(transactionTooLarge(total, context.maxAppendSize));
      events.push(event);
    }
    entries.push({ stream: request.stream, expected: expectedOf(request.expectedRevision), events });
  });
  call.on('end', () => {
    if (refused) return;
    context.requests.push({ method: 'AppendSession', streams: entries.map((e) => e.stream) });
    if (fault?.kind === 'hang') return context.holdOpen(call);
    if (fault) return callback(faultAnswer(fault));
    if (entries.length === 0)
      return callback(
        v2Error(
          status.FAILED_PRECONDITION,
          'APPEND_SESSION_NO_REQUESTS',
          'streams',
          'Append session started, but no append requests were sent before ending the session.',
        ),
      );
    if (context.faults.cutsAppend()) return callback(serverNotReady());
    const outcome = context.log.appendAtomically(entries);
    if (outcome.kind === 'stream-deleted') {
      const stream = entries[outcome.index].stream;
      return callback(
        v2Error(status.FAILED_PRECONDITION, 'STREAM_TOMBSTONED', 'streams', `Stream '${stream}' has been tombstoned.`, {
          typeName: 'kurrentdb.protocol.v2.streams.errors.StreamTombstonedErrorDetails',
          fields: { stream },
        }),
      );
    }
    if (outcome.kind === 'wrong-expected-version') {
      const { stream, expected } = entries[outcome.index];
      const actual = outcome.currentRevision;
      return callback(
        v2Error(
          status.FAILED_PRECONDITION,
          'STREAM_REVISION_CONFLICT',
          'streams',
          `Append failed due to a revision conflict on stream '${stream}'. Expected revision: ${expected}. Actual revision: ${actual}.`,
          {
            typeName: 'kurrentdb.protocol.v2.streams.errors.StreamRevisionConflictErrorDetails',
            fields: { stream, expectedRevision: expected.toString(), actualRevision: actual.toString() },
          },
        ),
      );
    }
    if (context.faults.losesSessionAnswer()) return callback(serverNotReady());
    const output = entries.map((e, i) => ({ stream: e.stream, streamRevision: outcome.revisions[i] }));
    callback(null, { output, position: outcome.position });
  });
}

const EXPECTED = new Map([
  [EXPECTED_ANY, EXPECT_ANY],
  [EXPECTED_NO_STREAM, EXPECT_NO_STREAM],
  [EXPECTED_EXISTS, EXPECT_STREAM_EXISTS],
]);

/** Absent means any (AppendRequestExtensions.ExpectedRevisionOrAny). */
const expectedOf = (sent: bigint | undefined): bigint =>
  sent === undefined ? EXPECT_ANY : sent >= 0n ? sent : EXPECTED.get(sent)!;

/** AppendRequestValidator and StreamNameValidator. */
function invalidRequest(request: AppendRequest): string | null {
  if (request.stream === '' || request.stream === '$$') return 'Stream must not be empty or $$.';
  const expected = request.expectedRevision;
  if (expected !== undefined && expected < 0n && !EXPECTED.has(expected))
    return 'Expected revision must be positive or one of the allowed constants: NoStream (-1), Any (-2) or Exists (-4).';
  if (request.records.length === 0) return 'Stream append request must contain at least one record';
  return null;
}

/** AppendRecordValidator: a non-empty UUID when given, a known format, a schema name it accepts, non-empty property keys. */
function invalidRecordOf(record: AppendRecord): string | null {
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  if (record.recordId !== undefined && (!uuid.test(record.recordId) || /^[0-]+$/.test(record.recordId)))
    return 'Record ID must be a valid and non-empty UUID.';
  if (record.schema.format < 1 || record.schema.format > 4) return 'Schema format must not be Unspecified.';
  if (!SCHEMA_NAME.test(record.schema.name))
    return `Schema name can only contain alphanumeric characters, underscores, dashes, periods, colons, and dollar signs. Attempted Value: ${record.schema.name}`;
  if (Object.keys(record.properties).some((key) => key === '')) return 'Property keys must not be empty.';
  return null;
}

const FORMATS = ['Unspecified', 'Json', 'Protobuf', 'Avro', 'Bytes'];

/**
 * As a v1 read returns it (EventRecord.SynthesizeMetadataFromProperties): the properties as
 * JSON metadata, with `$schema.name`, and `$schema.format` for other formats than JSON
 * (AppendRecordExtensions.PreProcessRecord) or as "Json".
 */
function toEvent(record: AppendRecord): ProposedEvent {
  const json = record.schema.format === SCHEMA_FORMAT_JSON;
  const metadata = {
    ...record.properties,
    ...(record.schema.id === undefined ? {} : { '$schema.id': record.schema.id }),
    '$schema.name': record.schema.name,
    '$schema.format': FORMATS[record.schema.format],
  };
  return {
    id: (record.recordId ?? randomUUID()).toLowerCase(),
    type: record.schema.name,
    contentType: json ? 'application/json' : 'application/octet-stream',
    data: record.data,
    metadata: Buffer.from(JSON.stringify(metadata), 'utf8'),
  };
}

/** RpcExceptions.FromError: the status code, and in the trailers an ErrorInfo (reason, domain) then the details. */
function v2Error(code: status, reason: string, domain: string, message: string, ...details: ErrorDetail[]): RpcError {
  const metadata = new Metadata();
  const info = { typeName: 'google.rpc.ErrorInfo', fields: { reason, domain } };
  metadata.set('grpc-status-details-bin', encodeStatus({ code, message, details: [info, ...details] }));
  return Object.assign(new Error(message), { code, details: message, metadata });
}

const badRequest = (message: string) => v2Error(status.INVALID_ARGUMENT, 'BAD_REQUEST', 'server', message);

const serverNotReady = () =>
  v2Error(status.UNAVAILABLE, 'SERVER_NOT_READY', 'server', 'The server is not yet ready to handle requests.');

const recordTooLarge = (stream: string, recordId: string, size: number, maxSize: number) =>
  v2Error(
    status.INVALID_ARGUMENT,
    'APPEND_RECORD_SIZE_EXCEEDED',
    'streams',
    `The size of record ${recordId} (${size} bytes) exceeds the maximum allowed size of ${maxSize} bytes.`,
    {
      typeName: 'kurrentdb.protocol.v2.streams.errors.AppendRecordSizeExceededErrorDetails',
      fields: { stream, recordId, size, maxSize },
    },
  );

const transactionTooLarge = (size: number, maxSize: number) =>
  v2Error(
    status.ABORTED,
    'APPEND_TRANSACTION_SIZE_EXCEEDED',
    'streams',
    `Transaction size (${size} bytes) exceeded the maximum allowed size of ${maxSize} bytes.`,
    {
      typeName: 'kurrentdb.protocol.v2.streams.errors.AppendTransactionSizeExceededErrorDetails',
      fields: { size, maxSize },
    },
  );

/** The injected faults in the v2 shapes (ApiErrors.cs: ServerNotReady, OperationTimeout, AccessDenied, InvalidRequest, NotLeaderNode). */
function faultAnswer(fault: Exclude<CallFault, { kind: 'hang' }>): RpcError {
  switch (fault.kind) {
    case 'unavailable':
      return serverNotReady();
    case 'deadline':
      return v2Error(
        status.DEADLINE_EXCEEDED,
        'OPERATION_TIMEOUT',
        'server',
        'Append Session timed out while waiting for commit',
      );
    case 'access-denied':
      return v2Error(
        status.PERMISSION_DENIED,
        'ACCESS_DENIED',
        'server',
        'Access denied. Insufficient permissions to perform Append Session',
      );
    case 'bad-request':
      return badRequest("The 'AppendRequest' is invalid.");
    case 'not-leader':
      return v2Error(
        status.FAILED_PRECONDITION,
        'NOT_LEADER_NODE',
        'server',
        `The server is not the leader node and cannot handle the request. Please retry your request against the leader node directly at ${fault.leader.host}:${fault.leader.port}`,
      );
  }
}
