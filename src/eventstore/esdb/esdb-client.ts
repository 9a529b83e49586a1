/**
 * The only file that knows @eventstore/db-client (v6, the last release under that name).
 * Its successor, @kurrent/kurrentdb-client, has the same calls plus a `filter` on readAll
 * and multi-stream append: switching client means rewriting this file against the
 * `EsdbConnection` interface below, and nothing else (esdb-append-session.ts, the v2 stub
 * that `appendAtomically` lends v6's channel to, is then no longer imported).
 */
import {
  ANY,
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  StreamDeletedError,
  StreamNotFoundError,
  WrongExpectedVersionError,
  isCommandError,
  jsonEvent,
  streamNameFilter,
  type AppendExpectedRevision,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { ReadStream } from '@eventstore/db-client/dist/streams/utils/ReadStream';
import { convertGrpcEvent } from '@eventstore/db-client/dist/utils/convertGrpcEvent';
import { Empty } from '@eventstore/db-client/generated/shared_pb';
import { StreamsClient } from '@eventstore/db-client/generated/streams_grpc_pb';
import { ReadReq } from '@eventstore/db-client/generated/streams_pb';
import type { ExpectedRevision } from '../event-store.port';
import { appendSession, type AtomicAppend, type AtomicAppendResult, type GrpcAccess } from './esdb-append-session';
import { EsdbError, TRANSIENT_CODES } from './esdb-error';
import type { EsdbPosition } from './esdb-position';

export { EsdbError };
export type { AtomicAppend, AtomicAppendResult };

export interface WireEvent {
  readonly id: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: Readonly<Record<string, unknown>>;
}

export interface WireRecord {
  readonly id: string;
  readonly streamId: string;
  readonly revision: bigint;
  readonly type: string;
  readonly isJson: boolean;
  readonly data: unknown;
  readonly metadata: unknown;
  /** The server's clock when it wrote the event. */
  readonly created: Date;
  readonly position: EsdbPosition | undefined;
}

export interface WireSubscription extends AsyncIterable<WireRecord> {
  unsubscribe(): Promise<void>;
}

export type ReadDirection = 'forwards' | 'backwards';

export interface EsdbConnection {
  append(
    stream: string,
    events: readonly WireEvent[],
    expected: ExpectedRevision,
  ): Promise<{ nextExpectedRevision: bigint; position: EsdbPosition | undefined }>;
  /**
   * KurrentDB 25.1+'s multi-stream append: every stream or none, in one transaction. Null when
   * the server does not list it among its features (asked once per connection).
   */
  appendAtomically(appends: readonly AtomicAppend[]): Promise<AtomicAppendResult | null>;
  /** A missing or tombstoned stream yields nothing. */
  readStream(
    stream: string,
    from: bigint | 'end',
    direction: ReadDirection,
    maxCount: number,
  ): AsyncIterable<WireRecord>;
  /** $all, filtered on the server to streams that start with `prefix` (or to non-system streams). */
  readAll(
    from: EsdbPosition | 'start' | 'end',
    direction: ReadDirection,
    maxCount: number,
    prefix: string,
  ): AsyncIterable<WireRecord>;
  /** Catch-up then live; `after` is exclusive. */
  subscribeAll(after: EsdbPosition | null, prefix: string): WireSubscription;
  /** Hard-deletes a stream for good (a tombstone); one already tombstoned is left as it is. */
  tombstone(stream: string): Promise<void>;
  /** Cancels every call and closes the connection. */
  dispose(): Promise<void>;
}

const TRANSIENT_TYPES = new Set(['unavailable', 'cancelled', 'deadline-exceeded', 'timeout', 'not-leader', 'unknown']);

export function toEsdbError(error: unknown): EsdbError {
  if (error instanceof EsdbError) return error;
  if (error instanceof WrongExpectedVersionError) {
    const actual = error.actualVersion;
    return new EsdbError('conflict', error.message, typeof actual === 'bigint' ? Number(actual) : 'no-stream', error);
  }
  if (error instanceof StreamDeletedError) return new EsdbError('deleted', error.message, undefined, error);
  const message = error instanceof Error ? error.message : String(error);
  const type = error instanceof Error && isCommandError(error) ? error.type : undefined;
  const code = (error as { code?: unknown })?.code;
  const transient =
    (type !== undefined && TRANSIENT_TYPES.has(type)) || (typeof code === 'number' && TRANSIENT_CODES.has(code));
  return new EsdbError(transient ? 'transient' : 'permanent', message, undefined, error);
}

export function connectEsdb(connectionString: string): EsdbConnection {
  return new V6Connection(EventStoreDBClient.connectionString(connectionString));
}

/**
 * What this file reaches inside the v6 client: its call plumbing, to send the filtered $all
 * read and the multi-stream append it has no method for, on its own channel and features.
 */
interface ClientInternals {
  GRPCStreamCreator<T>(client: unknown, name: string, create: (grpc: StreamsClient) => T): () => Promise<T>;
  callArguments(options: { requiresLeader?: boolean }, call?: { deadline: number }): [never, never];
  execute: GrpcAccess['execute'];
  supports(method: { path: string }): Promise<boolean>;
  getChannel(): Promise<{ close(): void }>;
}

/**
 * Every call asks for the leader: a follower then answers not-leader with the leader's
 * address, and the client reconnects there on the next call, instead of serving reads that
 * lag the writes this instance just made.
 */
const LEADER = { requiresLeader: true } as const;
const DISPOSE_WAIT_MS = 2_000;

class V6Connection implements EsdbConnection {
  constructor(private readonly client: EventStoreDBClient) {}

  async append(stream: string, events: readonly WireEvent[], expected: ExpectedRevision) {
    const payload = events.map((e) =>
      jsonEvent({ id: e.id, type: e.type, data: e.data as never, metadata: e.metadata as never }),
    );
    try {
      const result = await this.client.appendToStream(stream, payload, {
        expectedRevision: toClientRevision(expected),
        ...LEADER,
      });
      return { nextExpectedRevision: result.nextExpectedRevision, position: result.position };
    } catch (error) {
      throw toEsdbError(error);
    }
  }

  appendAtomically(appends: readonly AtomicAppend[]): Promise<AtomicAppendResult | null> {
    const internals = this.client as unknown as ClientInternals;
    const access: GrpcAccess = {
      supports: (path) => internals.supports({ path }),
      execute: (client, name, action) => internals.execute(client, name, action),
      callArguments: () => internals.callArguments(LEADER),
    };
    return appendSession(access, appends).catch((error: unknown) => {
      throw toEsdbError(error);
    });
  }

  async *readStream(stream: string, from: bigint | 'end', direction: ReadDirection, maxCount: number) {
    const read = this.client.readStream(stream, {
      fromRevision: from === 'end' ? END : from,
      direction: direction === 'forwards' ? FORWARDS : BACKWARDS,
      maxCount,
      ...LEADER,
    });
    try {
      for await (const resolved of read) yield toWire(resolved);
    } catch (error) {
      if (error instanceof StreamNotFoundError || error instanceof StreamDeletedError) return;
      throw toEsdbError(error);
    }
  }

  async tombstone(stream: string): Promise<void> {
    try {
      await this.client.tombstoneStream(stream, { expectedRevision: ANY, ...LEADER });
    } catch (error) {
      if (error instanceof StreamDeletedError) return;
      throw toEsdbError(error);
    }
  }

  async *readAll(from: EsdbPosition | 'start' | 'end', direction: ReadDirection, maxCount: number, prefix: string) {
    // v6's readAll sends no filter; the server's Read takes one (KurrentDB Streams.Read.cs,
    // ReadAllForwardsFiltered / ReadAllBackwardsFiltered), so the request is built here.
    const all = new ReadReq.Options.AllOptions();
    if (from === 'start') all.setStart(new Empty());
    else if (from === 'end') all.setEnd(new Empty());
    else
      all.setPosition(
        new ReadReq.Options.Position()
          .setCommitPosition(from.commit.toString())
          .setPreparePosition(from.prepare.toString()),
      );
    const options = new ReadReq.Options()
      .setAll(all)
      .setReadDirection(
        direction === 'forwards' ? ReadReq.Options.ReadDirection.FORWARDS : ReadReq.Options.ReadDirection.BACKWARDS,
      )
      .setResolveLinks(false)
      .setCount(String(maxCount))
      .setUuidOption(new ReadReq.Options.UUIDOption().setString(new Empty()))
      .setFilter(
        new ReadReq.Options.FilterOptions()
          .setStreamIdentifier(streamExpression(prefix))
          .setCount(new Empty())
          .setCheckpointintervalmultiplier(1),
      );
    const internals = this.client as unknown as ClientInternals;
    const create = internals.GRPCStreamCreator(StreamsClient, 'readAll', (grpc) =>
      grpc.read(new ReadReq().setOptions(options), ...internals.callArguments(LEADER, { deadline: Infinity })),
    );
    const read = new ReadStream<ResolvedEvent>(create as never, convertGrpcEvent, {});
    try {
      for await (const resolved of read) yield toWire(resolved);
    } catch (error) {
      throw toEsdbError(error);
    }
  }

  subscribeAll(after: EsdbPosition | null, prefix: string): WireSubscription {
    const subscription = this.client.subscribeToAll({
      fromPosition: after ?? START,
      filter: prefix === '' ? streamNameFilter({ regex: NON_SYSTEM }) : streamNameFilter({ prefixes: [prefix] }),
      ...LEADER,
    });
    return {
      unsubscribe: () => subscription.unsubscribe(),
      async *[Symbol.asyncIterator]() {
        try {
          for await (const resolved of subscription) yield toWire(resolved);
        } catch (error) {
          throw toEsdbError(error);
        }
      },
    };
  }

  async dispose(): Promise<void> {
    // dispose() waits for every cancelled call to finish, and a subscription left with
    // unread messages never does: wait a bounded time, then close the channel regardless.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.client.dispose(),
      new Promise((resolve) => (timer = setTimeout(resolve, DISPOSE_WAIT_MS).unref())),
    ]).finally(() => clearTimeout(timer));
    const internals = this.client as unknown as ClientInternals;
    (await internals.getChannel()).close();
  }
}

const NON_SYSTEM = '^[^$]';

function streamExpression(prefix: string): ReadReq.Options.FilterOptions.Expression {
  const expression = new ReadReq.Options.FilterOptions.Expression();
  return prefix === '' ? expression.setRegex(NON_SYSTEM) : expression.setPrefixList([prefix]);
}

function toClientRevision(expected: ExpectedRevision): AppendExpectedRevision {
  if (expected === 'any') return ANY;
  if (expected === 'no-stream') return NO_STREAM;
  if (expected === 'exists') return STREAM_EXISTS;
  return BigInt(expected);
}

function toWire(resolved: ResolvedEvent): WireRecord {
  const e = resolved.event;
  if (!e) throw new EsdbError('permanent', 'EventStoreDB sent a read result without an event');
  return {
    id: e.id,
    streamId: e.streamId,
    revision: e.revision,
    type: e.type,
    isJson: e.isJson,
    data: e.data,
    metadata: withoutSchemaKeys(e.metadata),
    created: e.created,
    position: e.position,
  };
}

/**
 * KurrentDB 25.1+ keeps a v2-appended record's properties and, on a v1 read, returns them as
 * JSON metadata with its own `$schema.name` and `$schema.format` added: the server's, not ours.
 */
function withoutSchemaKeys(metadata: unknown): unknown {
  if (metadata === null || typeof metadata !== 'object' || metadata instanceof Uint8Array) return metadata;
  const keys = Object.keys(metadata);
  if (!keys.some((key) => key.startsWith('$schema.'))) return metadata;
  return Object.fromEntries(Object.entries(metadata).filter(([key]) => !key.startsWith('$schema.')));
}
