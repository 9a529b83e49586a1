import {
  decodeAppendRequest,
  decodeAppendSessionResponse,
  decodeStatus,
  encodeAppendRequest,
} from '../../src/eventstore/esdb/esdb-v2-protocol';

/**
 * The adapter and the test server share one codec (esdb-v2-protocol.ts and v2/*.proto), so a
 * wrong field number or type there would pass every round trip between them and fail only
 * against KurrentDB. These bytes are composed here, by hand, from the field numbers and types
 * of KurrentDB's own protos (proto/kurrentdb/protocol/v2/streams/*.proto, googleapis'
 * google/rpc/status.proto and error_details.proto) and the protobuf encoding rules.
 */
const varint = (value: bigint): number[] => {
  const out: number[] = [];
  let v = value;
  do {
    const byte = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v > 0n ? byte | 0x80 : byte);
  } while (v > 0n);
  return out;
};
const zigzag = (value: bigint) => (value >= 0n ? value * 2n : -value * 2n - 1n);
const tag = (field: number, wireType: 0 | 2) => varint(BigInt((field << 3) | wireType));
const sint64 = (field: number, value: bigint) => [...tag(field, 0), ...varint(zigzag(value))];
const int32 = (field: number, value: number) => [...tag(field, 0), ...varint(BigInt(value))];
const bytes = (field: number, content: number[]) => [...tag(field, 2), ...varint(BigInt(content.length)), ...content];
const text = (field: number, value: string) => bytes(field, [...Buffer.from(value, 'utf8')]);

describe('KurrentDB v2 AppendSession on the wire', () => {
  it('an AppendRequest: stream 1, records 2, expected_revision 3 (sint64, sent even when 0)', () => {
    const record = [
      ...text(1, '8f8e8b52-2c6b-4d8e-9a1e-0c4d2b9f6a01'), // record_id
      ...bytes(2, [...text(1, 'schemaVersion'), ...bytes(2, [0x11, ...new Array(6).fill(0), 0xf0, 0x3f])]), // properties: 1.0 as number_value (2, double)
      ...bytes(2, [
        ...text(1, 'actor'),
        ...bytes(2, bytes(5, bytes(1, [...text(1, 'kind'), ...bytes(2, text(3, 'system'))]))),
      ]), // struct_value (5) of fields (1)
      ...bytes(2, [...text(1, 'causationId'), ...bytes(2, [...tag(1, 0), 0])]), // null_value (1)
      ...bytes(3, [...int32(1, 1), ...text(2, 'LicenseAssigned')]), // schema: format JSON, name
      ...bytes(4, [...Buffer.from('{"n":1}')]), // data
    ];
    for (const expected of [0n, 5n, -1n, -2n, -4n]) {
      const wire = [...text(1, 'ledger_licensee-1'), ...bytes(2, record), ...sint64(3, expected)];
      const request = {
        stream: 'ledger_licensee-1',
        expectedRevision: expected,
        records: [
          {
            recordId: '8f8e8b52-2c6b-4d8e-9a1e-0c4d2b9f6a01',
            properties: { schemaVersion: 1, actor: { kind: 'system' }, causationId: null },
            schema: { format: 1, name: 'LicenseAssigned' },
            data: Buffer.from('{"n":1}'),
          },
        ],
      };
      expect([...encodeAppendRequest(request)]).toEqual(wire);
      expect(decodeAppendRequest(Buffer.from(wire))).toEqual(request);
    }
    // Without field 3 the server reads any: a decoded request says so by leaving it out.
    expect(decodeAppendRequest(Buffer.from(text(1, 's')))).toEqual({ stream: 's', records: [] });
  });

  it('an AppendSessionResponse: output 1 (stream 1, stream_revision 2), position 2', () => {
    const wire = [
      ...bytes(1, [...text(1, 'ledger_a'), ...sint64(2, 2n)]),
      ...bytes(1, text(1, 'ledger_b')), // revision 0 is not on the wire
      ...sint64(2, 1_234_567_890_123n),
    ];
    expect(decodeAppendSessionResponse(Buffer.from(wire))).toEqual({
      output: [
        { stream: 'ledger_a', streamRevision: 2n },
        { stream: 'ledger_b', streamRevision: 0n },
      ],
      position: 1_234_567_890_123n,
    });
  });

  it('a google.rpc.Status with an ErrorInfo and a StreamRevisionConflictErrorDetails', () => {
    const any = (name: string, value: number[]) =>
      bytes(3, [...text(1, `type.googleapis.com/${name}`), ...bytes(2, value)]);
    const wire = [
      ...int32(1, 9),
      ...text(2, 'conflict'),
      ...any('google.rpc.ErrorInfo', [...text(1, 'STREAM_REVISION_CONFLICT'), ...text(2, 'streams')]),
      ...any('kurrentdb.protocol.v2.streams.errors.StreamRevisionConflictErrorDetails', [
        ...text(1, 'ledger_a'),
        ...sint64(2, -1n),
        ...sint64(3, 4n),
      ]),
    ];
    expect(decodeStatus(Buffer.from(wire))).toEqual({
      code: 9,
      message: 'conflict',
      details: [
        { typeName: 'google.rpc.ErrorInfo', fields: { reason: 'STREAM_REVISION_CONFLICT', domain: 'streams' } },
        {
          typeName: 'kurrentdb.protocol.v2.streams.errors.StreamRevisionConflictErrorDetails',
          fields: { stream: 'ledger_a', expectedRevision: '-1', actualRevision: '4' },
        },
      ],
    });
  });
});
