/**
 * The wire format of KurrentDB 25.1+'s multi-stream append (v2/*.proto), for the adapter's
 * call and the test server alike. @eventstore/db-client 6 has no stub for it; the schema is
 * ours (written from KurrentDB's protos), encoded by protobufjs: the error answer needs
 * message codecs (google.rpc.Status and its details), which @grpc/proto-loader does not give.
 */
import { join } from 'node:path';
import type { ServiceDefinition } from '@grpc/grpc-js';
import * as protobuf from 'protobufjs';

const root = protobuf.loadSync(
  ['streams.proto', 'errors.proto', 'rpc.proto'].map((file) => join(__dirname, 'v2', file)),
);
root.resolveAll();
const type = (name: string) => root.lookupType(name);
const AppendRequestType = type('kurrentdb.protocol.v2.streams.AppendRequest');
const AppendSessionResponseType = type('kurrentdb.protocol.v2.streams.AppendSessionResponse');
const StatusType = type('google.rpc.Status');
const StructType = type('google.protobuf.Struct');

/** How ServerFeatures lists it, lower-cased by the client before comparing. */
export const APPEND_SESSION_PATH = '/kurrentdb.protocol.v2.streams.StreamsService/AppendSession';
export const STREAMS_SERVICE = 'kurrentdb.protocol.v2.streams.StreamsService';
export const SCHEMA_FORMAT_JSON = 1;
/** The event types the server accepts as a schema name (SchemaNameValidator). */
export const SCHEMA_NAME = /^[a-zA-Z0-9_.$:-]+$/;
/** ExpectedRevisionConstants: sent as -1, -2, -4; anything >= 0 is a revision. */
export const EXPECTED_NO_STREAM = -1n;
export const EXPECTED_ANY = -2n;
export const EXPECTED_EXISTS = -4n;

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface AppendRecord {
  readonly recordId?: string;
  readonly properties: Readonly<Record<string, JsonValue>>;
  readonly schema: { readonly format: number; readonly name: string; readonly id?: string };
  readonly data: Uint8Array;
}

export interface AppendRequest {
  readonly stream: string;
  readonly records: readonly AppendRecord[];
  /** Absent means any. */
  readonly expectedRevision?: bigint;
}

export interface AppendSessionResponse {
  readonly output: readonly { readonly stream: string; readonly streamRevision: bigint }[];
  readonly position: bigint;
}

/** google.protobuf.Value as protobufjs's object form: one of the kind fields. */
type ValueObject = Record<string, unknown>;

function toValue(value: JsonValue): ValueObject {
  if (value === null) return { nullValue: 0 };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'number') return { numberValue: value };
  if (typeof value === 'string') return { stringValue: value };
  if (Array.isArray(value)) return { listValue: { values: value.map(toValue) } };
  return { structValue: { fields: toFields(value) } };
}

const toFields = (object: Readonly<Record<string, JsonValue>>) =>
  Object.fromEntries(Object.entries(object).map(([key, value]) => [key, toValue(value)]));

function fromValue(value: ValueObject): JsonValue {
  if ('boolValue' in value) return value.boolValue as boolean;
  if ('numberValue' in value) return value.numberValue as number;
  if ('stringValue' in value) return value.stringValue as string;
  if ('listValue' in value) return ((value.listValue as { values?: ValueObject[] }).values ?? []).map(fromValue);
  if ('structValue' in value) return fromFields((value.structValue as { fields?: Record<string, ValueObject> }).fields);
  return null;
}

const fromFields = (fields: Record<string, ValueObject> = {}): { [key: string]: JsonValue } =>
  Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, fromValue(value)]));

const OBJECT_OPTIONS = { longs: String, bytes: Buffer, oneofs: false } as const;

export function encodeAppendRequest(request: AppendRequest): Buffer {
  const message = AppendRequestType.fromObject({
    stream: request.stream,
    records: request.records.map((r) => ({ ...r, properties: toFields(r.properties), data: r.data })),
    ...(request.expectedRevision === undefined ? {} : { expectedRevision: request.expectedRevision.toString() }),
  });
  return Buffer.from(AppendRequestType.encode(message).finish());
}

export function decodeAppendRequest(bytes: Uint8Array): AppendRequest {
  const o = AppendRequestType.toObject(AppendRequestType.decode(bytes), OBJECT_OPTIONS) as {
    stream?: string;
    records?: {
      recordId?: string;
      properties?: Record<string, ValueObject>;
      schema?: AppendRecord['schema'];
      data?: Buffer;
    }[];
    expectedRevision?: string;
  };
  return {
    stream: o.stream ?? '',
    records: (o.records ?? []).map((r) => ({
      ...(r.recordId === undefined ? {} : { recordId: r.recordId }),
      properties: fromFields(r.properties),
      schema: { format: 0, name: '', ...r.schema },
      data: r.data ?? Buffer.alloc(0),
    })),
    ...(o.expectedRevision === undefined ? {} : { expectedRevision: BigInt(o.expectedRevision) }),
  };
}

export function encodeAppendSessionResponse(response: AppendSessionResponse): Buffer {
  const message = AppendSessionResponseType.fromObject({
    output: response.output.map((o) => ({ stream: o.stream, streamRevision: o.streamRevision.toString() })),
    position: response.position.toString(),
  });
  return Buffer.from(AppendSessionResponseType.encode(message).finish());
}

export function decodeAppendSessionResponse(bytes: Uint8Array): AppendSessionResponse {
  const o = AppendSessionResponseType.toObject(AppendSessionResponseType.decode(bytes), OBJECT_OPTIONS) as {
    output?: { stream?: string; streamRevision?: string }[];
    position?: string;
  };
  return {
    output: (o.output ?? []).map((r) => ({ stream: r.stream ?? '', streamRevision: BigInt(r.streamRevision ?? '0') })),
    position: BigInt(o.position ?? '0'),
  };
}

/** The bytes a record's properties take as the server keeps them (a google.protobuf.Struct). */
export const propertiesSize = (properties: Readonly<Record<string, JsonValue>>): number =>
  StructType.encode(StructType.fromObject({ fields: toFields(properties) })).finish().length;

/** The service as @grpc/grpc-js needs it for a client (makeGenericClientConstructor) and a server (addService). */
export const streamsServiceDefinition: ServiceDefinition = {
  appendSession: {
    path: APPEND_SESSION_PATH,
    requestStream: true,
    responseStream: false,
    requestSerialize: encodeAppendRequest,
    requestDeserialize: decodeAppendRequest,
    responseSerialize: encodeAppendSessionResponse,
    responseDeserialize: decodeAppendSessionResponse,
  },
};

/** One google.protobuf.Any of a Status: the message's full name and its fields. */
export interface ErrorDetail {
  readonly typeName: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

export interface RichStatus {
  readonly code: number;
  readonly message: string;
  readonly details: readonly ErrorDetail[];
}

const TYPE_URL_PREFIX = 'type.googleapis.com/';

/** The google.rpc.Status that `grpc-status-details-bin` carries; unknown detail types keep no fields. */
export function decodeStatus(bytes: Uint8Array): RichStatus {
  const o = StatusType.toObject(StatusType.decode(bytes), OBJECT_OPTIONS) as {
    code?: number;
    message?: string;
    // protobufjs's bundled google.protobuf.Any keeps the proto's field name.
    details?: { type_url?: string; value?: Buffer }[];
  };
  const details = (o.details ?? []).map((any) => {
    const url = any.type_url ?? '';
    const typeName = url.slice(url.lastIndexOf('/') + 1);
    const known = root.lookup(typeName);
    const fields =
      known instanceof protobuf.Type
        ? (known.toObject(known.decode(any.value ?? Buffer.alloc(0)), OBJECT_OPTIONS) as Record<string, unknown>)
        : {};
    return { typeName, fields };
  });
  return { code: o.code ?? 0, message: o.message ?? '', details };
}

export function encodeStatus(status: RichStatus): Buffer {
  const details = status.details.map((detail) => {
    const detailType = type(detail.typeName);
    return {
      type_url: TYPE_URL_PREFIX + detail.typeName,
      value: detailType.encode(detailType.fromObject(detail.fields)).finish(),
    };
  });
  return Buffer.from(StatusType.encode(StatusType.fromObject({ ...status, details })).finish());
}
