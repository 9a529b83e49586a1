import { status, type sendUnaryData, type ServerDuplexStream, type ServerReadableStream } from '@grpc/grpc-js';
import { AppendReq, AppendResp, BatchAppendReq, BatchAppendResp } from '@eventstore/db-client/generated/streams_pb';
import {
  AccessDenied,
  AllStreamPosition,
  BadRequest,
  Empty,
  MaximumAppendSizeExceeded,
  StreamDeleted,
  Timeout,
  Unknown,
  WrongExpectedVersion,
} from '@eventstore/db-client/generated/shared_pb';
import { Empty as ProtoEmpty } from 'google-protobuf/google/protobuf/empty_pb';
import type { EsdbFakeContext } from './context';
import type { ErrorFault, Endpoint } from './faults';
import {
  EXPECT_ANY,
  EXPECT_NO_STREAM,
  EXPECT_STREAM_EXISTS,
  EsdbLog,
  type AppendOutcome,
  type ProposedEvent,
} from './log';
import {
  batchError,
  faultError,
  maxAppendSizeExceeded,
  notLeader,
  parseUuid,
  streamDeleted,
  streamIdentifier,
  streamName,
  type RpcError,
} from './wire';

type Proposed = AppendReq.ProposedMessage | BatchAppendReq.ProposedMessage;
/** What an append answers with a message rather than an error. */
type Written = Exclude<AppendOutcome, { kind: 'stream-deleted' }>;

function proposedEvent(message: Proposed): ProposedEvent {
  const metadata = message.getMetadataMap();
  return {
    id: parseUuid(message.getId()),
    type: metadata.get('type') ?? '',
    contentType: metadata.get('content-type') ?? 'application/octet-stream',
    data: message.getData_asU8(),
    metadata: message.getCustomMetadata_asU8(),
  };
}

/** Writes one stream's events, or says why not as the server would (an RpcError ends the call). */
function write(
  context: EsdbFakeContext,
  stream: string,
  expected: bigint,
  events: ProposedEvent[],
): Written | RpcError {
  const size = events.reduce((n, e) => n + EsdbLog.sizeOf(e), 0);
  if (size > context.maxAppendSize) return maxAppendSizeExceeded(context.maxAppendSize);
  if (events.length > 0 && context.faults.cutsAppend()) return faultError('unavailable');
  const outcome = context.log.append(stream, expected, events);
  return outcome.kind === 'stream-deleted' ? streamDeleted(stream) : outcome;
}

const requiresLeaderOf = (call: { metadata: { get(key: string): unknown[] } }) =>
  call.metadata.get('requires-leader')[0] === 'true';

const errorOf = (fault: { kind: ErrorFault } | { kind: 'not-leader'; leader: Endpoint }): RpcError =>
  fault.kind === 'not-leader' ? notLeader(fault.leader) : faultError(fault.kind);

/** Streams.Append: options, then the proposed messages, then one answer. */
export function handleAppend(
  context: EsdbFakeContext,
  call: ServerReadableStream<AppendReq, AppendResp>,
  callback: sendUnaryData<AppendResp>,
): void {
  const fault = context.faults.take('append', requiresLeaderOf(call));
  let options: AppendReq.Options | undefined;
  const events: ProposedEvent[] = [];
  call.on('data', (request: AppendReq) => {
    if (request.hasOptions()) options = request.getOptions();
    else if (request.hasProposedMessage()) events.push(proposedEvent(request.getProposedMessage()!));
  });
  call.on('end', () => {
    context.requests.push({ method: 'Append', streams: options ? [streamName(options.getStreamIdentifier())] : [] });
    if (fault?.kind === 'hang') return context.holdOpen(call);
    if (fault) return callback(errorOf(fault));
    if (!options) return callback(faultError('bad-request'));
    const expected = options.hasRevision()
      ? BigInt(options.getRevision())
      : options.hasNoStream()
        ? EXPECT_NO_STREAM
        : options.hasStreamExists()
          ? EXPECT_STREAM_EXISTS
          : EXPECT_ANY;
    const outcome = write(context, streamName(options.getStreamIdentifier()), expected, events);
    if (outcome instanceof Error) return callback(outcome);
    const response = new AppendResp();
    if (outcome.kind === 'wrong-expected-version') {
      const wrong = new AppendResp.WrongExpectedVersion();
      if (outcome.currentRevision < 0n) wrong.setCurrentNoStream(new Empty());
      else wrong.setCurrentRevision(outcome.currentRevision.toString());
      if (expected >= 0n) wrong.setExpectedRevision(expected.toString());
      else if (expected === EXPECT_NO_STREAM) wrong.setExpectedNoStream(new Empty());
      else if (expected === EXPECT_STREAM_EXISTS) wrong.setExpectedStreamExists(new Empty());
      else wrong.setExpectedAny(new Empty());
      return callback(null, response.setWrongExpectedVersion(wrong));
    }
    const success = new AppendResp.Success();
    if (outcome.currentRevision < 0n) success.setNoStream(new Empty());
    else success.setCurrentRevision(outcome.currentRevision.toString());
    if (outcome.position === null) success.setNoPosition(new Empty());
    else {
      const at = outcome.position.toString();
      success.setPosition(new AppendResp.Position().setCommitPosition(at).setPreparePosition(at));
    }
    callback(null, response.setSuccess(success));
  });
}

interface PendingBatch {
  readonly stream: string;
  readonly expected: bigint;
  readonly deadline: number | null;
  readonly events: ProposedEvent[];
}

/**
 * Streams.BatchAppend: one long-lived duplex call per client carries every append, each a
 * correlation id with options, messages and an `is_final` request, answered by correlation
 * id. Per-append failures are google.rpc.Status answers; not-leader and a dying node end the
 * whole call (Streams.BatchAppend.cs throws RpcExceptions.LeaderInfo out of the worker).
 */
export function handleBatchAppend(
  context: EsdbFakeContext,
  call: ServerDuplexStream<BatchAppendReq, BatchAppendResp>,
): void {
  const requiresLeader = requiresLeaderOf(call);
  const pending = new Map<string, PendingBatch>();
  let ended = false;
  const end = (error: RpcError) => {
    if (ended) return;
    ended = true;
    call.emit('error', error);
  };
  call.on('data', (request: BatchAppendReq) => {
    if (ended) return;
    const correlation = request.getCorrelationId();
    const id = parseUuid(correlation);
    const options = request.getOptions();
    if (options) {
      const expected = options.hasStreamPosition()
        ? BigInt(options.getStreamPosition())
        : options.hasNoStream()
          ? EXPECT_NO_STREAM
          : options.hasStreamExists()
            ? EXPECT_STREAM_EXISTS
            : EXPECT_ANY;
      const deadline = options.getDeadline()?.toDate().getTime() ?? null;
      pending.set(id, { stream: streamName(options.getStreamIdentifier()), expected, deadline, events: [] });
    }
    const batch = pending.get(id);
    if (!batch) return;
    batch.events.push(...request.getProposedMessagesList().map(proposedEvent));
    if (!request.getIsFinal()) return;
    pending.delete(id);
    context.requests.push({ method: 'BatchAppend', streams: [batch.stream] });
    const response = new BatchAppendResp()
      .setCorrelationId(correlation)
      .setStreamIdentifier(streamIdentifier(batch.stream));
    const fault = context.faults.take('append', requiresLeader);
    if (fault?.kind === 'hang') return;
    if (fault?.kind === 'not-leader' || fault?.kind === 'unavailable') return end(errorOf(fault));
    let outcome: Written | RpcError;
    if (fault?.kind === 'deadline' || (batch.deadline !== null && batch.deadline < Date.now()))
      outcome = faultError('deadline');
    else if (fault) outcome = errorOf(fault);
    else outcome = write(context, batch.stream, batch.expected, batch.events);
    if (outcome instanceof Error) {
      if (outcome.code === status.UNAVAILABLE) return end(outcome);
      return void call.write(response.setError(statusOf(outcome)));
    }
    if (outcome.kind === 'wrong-expected-version') {
      const wrong = new WrongExpectedVersion();
      if (outcome.currentRevision < 0n) wrong.setCurrentNoStream(new ProtoEmpty());
      else wrong.setCurrentStreamRevision(outcome.currentRevision.toString());
      if (batch.expected >= 0n) wrong.setExpectedStreamPosition(batch.expected.toString());
      else if (batch.expected === EXPECT_NO_STREAM) wrong.setExpectedNoStream(new ProtoEmpty());
      else if (batch.expected === EXPECT_STREAM_EXISTS) wrong.setExpectedStreamExists(new ProtoEmpty());
      else wrong.setExpectedAny(new ProtoEmpty());
      const error = batchError(
        status.ALREADY_EXISTS,
        'WrongExpectedVersion',
        wrong,
        'event_store.client.WrongExpectedVersion',
      );
      return void call.write(response.setError(error));
    }
    const success = new BatchAppendResp.Success();
    if (outcome.currentRevision < 0n) success.setNoStream(new ProtoEmpty());
    else success.setCurrentRevision(outcome.currentRevision.toString());
    if (outcome.position === null) success.setNoPosition(new ProtoEmpty());
    else {
      const at = outcome.position.toString();
      success.setPosition(new AllStreamPosition().setCommitPosition(at).setPreparePosition(at));
    }
    call.write(response.setSuccess(success));
  });
  call.on('end', () => {
    if (!ended) call.end();
  });
}

/** The Status.cs shape of an error answered inside the batch stream. */
function statusOf(error: RpcError) {
  switch (error.code) {
    case status.PERMISSION_DENIED:
      return batchError(
        status.PERMISSION_DENIED,
        'AccessDenied',
        new AccessDenied(),
        'event_store.client.AccessDenied',
      );
    case status.FAILED_PRECONDITION: {
      const stream = String(error.metadata?.get('stream-name')[0] ?? '');
      const detail = new StreamDeleted().setStreamIdentifier(streamIdentifier(stream));
      return batchError(status.FAILED_PRECONDITION, 'StreamDeleted', detail, 'event_store.client.StreamDeleted');
    }
    case status.ABORTED:
      return batchError(status.DEADLINE_EXCEEDED, 'Timeout', new Timeout(), 'event_store.client.Timeout');
    case status.INVALID_ARGUMENT:
      if (error.metadata?.get('exception')[0] === 'maximum-append-size-exceeded') {
        const max = Number(error.metadata.get('maximum-append-size')[0]);
        const detail = new MaximumAppendSizeExceeded().setMaxappendsize(max);
        return batchError(
          status.INVALID_ARGUMENT,
          'MaximumAppendSizeExceeded',
          detail,
          'event_store.client.MaximumAppendSizeExceeded',
        );
      }
      return batchError(
        status.INVALID_ARGUMENT,
        'BadRequest',
        new BadRequest().setMessage(error.details ?? ''),
        'event_store.client.BadRequest',
      );
    default:
      return batchError(status.UNKNOWN, 'Unknown', new Unknown(), 'event_store.client.Unknown');
  }
}
