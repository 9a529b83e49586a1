import { status, type sendUnaryData, type ServerUnaryCall } from '@grpc/grpc-js';
import { TombstoneReq, TombstoneResp } from '@eventstore/db-client/generated/streams_pb';
import type { EsdbFakeContext } from './context';
import { EXPECT_ANY, EXPECT_NO_STREAM, EXPECT_STREAM_EXISTS } from './log';
import { faultError, notLeader, rpcError, streamDeleted, streamName } from './wire';

/**
 * Streams.Tombstone (a hard delete, KurrentDB Streams.Tombstone.cs): the expected revision
 * is checked as for an append; a wrong one is a WrongExpectedVersion error (this call has no
 * answer message for it), a tombstoned stream answers StreamDeleted. The answer carries the
 * tombstone's position.
 */
export function handleTombstone(
  context: EsdbFakeContext,
  call: ServerUnaryCall<TombstoneReq, TombstoneResp>,
  callback: sendUnaryData<TombstoneResp>,
): void {
  const fault = context.faults.take('delete', call.metadata.get('requires-leader')[0] === 'true');
  if (fault?.kind === 'hang') return context.holdOpen(call);
  if (fault) return callback(fault.kind === 'not-leader' ? notLeader(fault.leader) : faultError(fault.kind));
  const options = call.request.getOptions();
  if (!options) return callback(faultError('bad-request'));
  const stream = streamName(options.getStreamIdentifier());
  context.requests.push({ method: 'Tombstone', streams: [stream] });
  const expected = options.hasRevision()
    ? BigInt(options.getRevision())
    : options.hasNoStream()
      ? EXPECT_NO_STREAM
      : options.hasStreamExists()
        ? EXPECT_STREAM_EXISTS
        : EXPECT_ANY;
  const outcome = context.log.tombstone(stream, expected);
  if (outcome.kind === 'stream-deleted') return callback(streamDeleted(stream));
  if (outcome.kind === 'wrong-expected-version')
    return callback(
      rpcError(
        status.FAILED_PRECONDITION,
        `Append failed due to WrongExpectedVersion. Stream: ${stream}, Expected version: ${expected}, Actual version: ${outcome.currentRevision}`,
        {
          exception: 'wrong-expected-version',
          'stream-name': stream,
          'expected-version': expected.toString(),
          'actual-version': outcome.currentRevision.toString(),
        },
      ),
    );
  const at = String(outcome.position ?? 0n);
  callback(
    null,
    new TombstoneResp().setPosition(new TombstoneResp.Position().setCommitPosition(at).setPreparePosition(at)),
  );
}
