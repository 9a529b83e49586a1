import { Metadata, status, type StatusObject } from '@grpc/grpc-js';
import { ReadResp } from '@eventstore/db-client/generated/streams_pb';
import { Empty, StreamIdentifier, UUID } from '@eventstore/db-client/generated/shared_pb';
import { Status as RpcStatus } from '@eventstore/db-client/generated/status_pb';
import { Any } from 'google-protobuf/google/protobuf/any_pb';
import type { Message } from 'google-protobuf';
import type { Code } from '@eventstore/db-client/generated/code_pb';
import type { Endpoint, ErrorFault } from './faults';
import type { LogRecord } from './log';

/**
 * The wire shapes of the EventStoreDB gRPC API (protos `event_store.client.*`, as the v6
 * client's generated code defines them) and the statuses and trailers the server sends,
 * taken from KurrentDB src/KurrentDB.Core/Services/Transport/Grpc/RpcExceptions.cs and
 * Status.cs. The client turns trailers' `exception` into its error classes.
 */
export type RpcError = Error & Partial<StatusObject>;

export function rpcError(code: status, details: string, trailers: Record<string, string> = {}): RpcError {
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(trailers)) metadata.set(key, value);
  return Object.assign(new Error(details), { code, details, metadata });
}

export const notLeader = (leader: Endpoint): RpcError =>
  rpcError(status.NOT_FOUND, 'Leader info available', {
    exception: 'not-leader',
    'leader-endpoint-host': leader.host,
    'leader-endpoint-port': String(leader.port),
  });

/** RpcExceptions.StreamDeleted: a read of, or an append to, a tombstoned stream. */
export const streamDeleted = (stream: string): RpcError =>
  rpcError(status.FAILED_PRECONDITION, `Event stream '${stream}' is deleted.`, {
    exception: 'stream-deleted',
    'stream-name': stream,
  });

export const maxAppendSizeExceeded = (max: number): RpcError =>
  rpcError(status.INVALID_ARGUMENT, `Maximum Append Size of ${max} Exceeded.`, {
    exception: 'maximum-append-size-exceeded',
    'maximum-append-size': String(max),
  });

export function faultError(kind: ErrorFault): RpcError {
  switch (kind) {
    case 'unavailable':
      return rpcError(status.UNAVAILABLE, 'Server Is Not Ready');
    case 'deadline':
      return rpcError(status.ABORTED, 'Operation timed out: the write did not complete in time');
    case 'access-denied':
      return rpcError(status.PERMISSION_DENIED, 'Access Denied', { exception: 'access-denied' });
    case 'bad-request':
      return rpcError(status.INVALID_ARGUMENT, 'The combination of (All, Subscription) is invalid.');
  }
}

/** A google.rpc.Status for BatchAppendResp.error, details packed as the server packs them. */
export function batchError(code: status, message: string, detail: Message, typeName: string): RpcStatus {
  const any = new Any();
  any.pack(detail.serializeBinary(), typeName);
  return new RpcStatus()
    .setCode(code as number as Code)
    .setMessage(message)
    .setDetails(any);
}

export function parseUuid(uuid: UUID | undefined): string {
  if (!uuid) return '';
  if (!uuid.hasStructured()) return uuid.getString().toLowerCase();
  const structured = uuid.getStructured()!;
  const bytes = Buffer.alloc(16);
  bytes.writeBigInt64BE(BigInt(structured.getMostSignificantBits()), 0);
  bytes.writeBigInt64BE(BigInt(structured.getLeastSignificantBits()), 8);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function structuredUuid(id: string): UUID {
  const bytes = Buffer.from(id.replace(/-/g, ''), 'hex');
  const structured = new UUID.Structured()
    .setMostSignificantBits(bytes.readBigInt64BE(0).toString())
    .setLeastSignificantBits(bytes.readBigInt64BE(8).toString());
  return new UUID().setStructured(structured);
}

export const streamName = (identifier: StreamIdentifier | undefined): string =>
  identifier ? Buffer.from(identifier.getStreamName_asU8()).toString('utf8') : '';

export const streamIdentifier = (name: string): StreamIdentifier =>
  new StreamIdentifier().setStreamName(Buffer.from(name, 'utf8'));

/** One event as Read returns it: `created` in ticks, type and content type in the metadata map. */
export function readEvent(record: LogRecord, uuidAsString: boolean, withPosition: boolean): ReadResp {
  const event = new ReadResp.ReadEvent.RecordedEvent()
    .setId(uuidAsString ? new UUID().setString(record.id) : structuredUuid(record.id))
    .setStreamIdentifier(streamIdentifier(record.stream))
    .setStreamRevision(record.revision.toString())
    .setCommitPosition(record.position.toString())
    .setPreparePosition(record.position.toString())
    .setCustomMetadata(record.metadata)
    .setData(record.data);
  event
    .getMetadataMap()
    .set('type', record.type)
    .set('created', record.created.toString())
    .set('content-type', record.contentType);
  const read = new ReadResp.ReadEvent().setEvent(event);
  if (withPosition) read.setCommitPosition(record.position.toString());
  else read.setNoPosition(new Empty());
  return new ReadResp().setEvent(read);
}
