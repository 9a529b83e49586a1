import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { status, type ServerWritableStream } from '@grpc/grpc-js';
import { ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb';
import type { EsdbFakeContext } from './context';
import type { ErrorFault } from './faults';
import type { LogRecord } from './log';
import { faultError, notLeader, readEvent, rpcError, streamDeleted, streamIdentifier, streamName } from './wire';

type ReadCall = ServerWritableStream<ReadReq, ReadResp>;
type Filter = (record: LogRecord) => boolean;

/** The server's page size, and the default max search window of a filtered read (Enumerator.DefaultReadBatchSize). */
const DEFAULT_WINDOW = 32;

/**
 * Streams.Read: a stream read, a $all read (optionally filtered), or a catch-up subscription
 * to $all. Positions: a forwards $all read from P includes the event at P; a backwards one
 * returns events that end at or before P (so not the event at P); a subscription from P is
 * exclusive. A missing stream is a StreamNotFound message, not an error.
 */
export function handleRead(context: EsdbFakeContext, call: ReadCall): void {
  const options = call.request.getOptions();
  if (!options) return void call.emit('error', rpcError(status.INVALID_ARGUMENT, "'options' is required"));
  const subscription = options.hasSubscription();
  const stream = options.hasStream() ? streamName(options.getStream()!.getStreamIdentifier()) : '$all';
  context.requests.push({ method: 'Read', streams: [stream] });
  const requiresLeader = call.metadata.get('requires-leader')[0] === 'true';
  const fault = context.faults.take(subscription ? 'subscribe' : 'read', requiresLeader);
  if (fault?.kind === 'hang') return context.holdOpen(call);
  if (fault)
    return void call.emit('error', fault.kind === 'not-leader' ? notLeader(fault.leader) : faultError(fault.kind));

  const asString = options.getUuidOption()?.hasString() ?? false;
  const forwards = options.getReadDirection() === ReadReq.Options.ReadDirection.FORWARDS;
  const count = subscription ? Infinity : Number(options.getCount());
  if (options.hasStream()) {
    if (subscription)
      return void call.emit('error', rpcError(status.UNIMPLEMENTED, 'stream subscriptions are not faked'));
    const name = streamName(options.getStream()!.getStreamIdentifier());
    if (context.log.isTombstoned(name)) return void call.emit('error', streamDeleted(name));
    return void send(call, readStream(context, options.getStream()!, forwards, count, asString));
  }
  const all = options.getAll();
  if (!all) return void call.emit('error', rpcError(status.INVALID_ARGUMENT, "'stream_option' is required"));
  const filter = options.hasFilter() ? filterOf(options.getFilter()!) : null;
  if (filter instanceof Error) return void call.emit('error', filter);
  if (subscription) return new AllSubscription(context, call, all, filter, asString).start();
  return void send(call, readAll(context, all, forwards, count, filter?.allows ?? null));
}

function* readStream(
  context: EsdbFakeContext,
  options: ReadReq.Options.StreamOptions,
  forwards: boolean,
  count: number,
  asString: boolean,
): Generator<ReadResp> {
  const name = streamName(options.getStreamIdentifier());
  const events = context.log.stream(name);
  if (!events) {
    yield new ReadResp().setStreamNotFound(new ReadResp.StreamNotFound().setStreamIdentifier(streamIdentifier(name)));
    return;
  }
  const last = events.length - 1;
  const from = options.hasStart()
    ? forwards
      ? 0
      : last
    : options.hasEnd()
      ? forwards
        ? last + 1
        : last
      : Number(options.getRevision());
  const step = forwards ? 1 : -1;
  let index = forwards ? from : Math.min(from, last);
  for (let sent = 0; sent < count && index >= 0 && index <= last; sent++, index += step)
    yield readEvent(events[index], asString, true);
}

function* readAll(
  context: EsdbFakeContext,
  options: ReadReq.Options.AllOptions,
  forwards: boolean,
  count: number,
  allows: Filter | null,
): Generator<ReadResp> {
  const records = context.log.records;
  const position = options.getPosition();
  let index: number;
  if (forwards)
    index = options.hasEnd()
      ? records.length
      : position
        ? context.log.indexAtOrAfter(BigInt(position.getCommitPosition()))
        : 0;
  else
    index = options.hasStart()
      ? -1
      : position
        ? context.log.indexEndingBy(BigInt(position.getCommitPosition()))
        : records.length - 1;
  const step = forwards ? 1 : -1;
  for (let sent = 0; sent < count && index >= 0 && index < records.length; index += step) {
    if (allows && !allows(records[index])) continue;
    sent += 1;
    yield readEvent(records[index], true, true);
  }
}

/** Writes with backpressure, then ends the call; stops if the client goes away. */
async function send(call: ReadCall, messages: Iterable<ReadResp>): Promise<void> {
  for (const message of messages) {
    if (call.cancelled || call.destroyed) return;
    if (!call.write(message)) await once(call, 'drain');
  }
  call.end();
}

interface FilterSpec {
  readonly allows: Filter;
  /** Events considered between two checkpoints: the multiplier times the search window. */
  readonly checkpointEvery: number;
}

function filterOf(options: ReadReq.Options.FilterOptions): FilterSpec | Error {
  const onStream = options.hasStreamIdentifier();
  const expression = onStream ? options.getStreamIdentifier() : options.getEventType();
  if (!expression) return rpcError(status.INVALID_ARGUMENT, 'a filter needs a stream or event-type expression');
  const field = (r: LogRecord) => (onStream ? r.stream : r.type);
  const regex = expression.getRegex();
  const prefixes = expression.getPrefixList();
  let allows: Filter;
  if (regex) {
    // The server uses .NET regular expressions; the ones clients send (^[^$].*, prefixes) mean the same in JS.
    const pattern = new RegExp(regex);
    allows = (r) => pattern.test(field(r));
  } else allows = (r) => prefixes.some((p) => field(r).startsWith(p));
  const window = options.hasMax() ? options.getMax() : DEFAULT_WINDOW;
  return { allows, checkpointEvery: Math.max(1, options.getCheckpointintervalmultiplier()) * window };
}

/**
 * A catch-up subscription: confirmation, the history after the start position, a
 * checkpoint and `caughtUp` when the history is exhausted, then live events; a filtered one
 * also sends a checkpoint every `checkpointEvery` considered events, matching or not
 * (Enumerator.AllSubscriptionFiltered). One cursor serves history and live alike, so the
 * switch can neither skip nor repeat an event, and writes wait for the client to drain.
 */
class AllSubscription {
  private cursor: number;
  private considered = 0;
  private lastConsidered: bigint;
  private caughtUp = false;
  private waiting = false;
  private closed = false;
  private readonly cleanups: (() => void)[] = [];

  constructor(
    private readonly context: EsdbFakeContext,
    private readonly call: ReadCall,
    options: ReadReq.Options.AllOptions,
    private readonly filter: FilterSpec | null,
    private readonly asString: boolean,
  ) {
    const log = context.log;
    const position = options.getPosition();
    const from = position ? BigInt(position.getCommitPosition()) : null;
    this.cursor = options.hasEnd() ? log.records.length : from === null ? 0 : log.indexAtOrAfter(from + 1n);
    this.lastConsidered = from ?? log.records[this.cursor - 1]?.position ?? 0n;
  }

  start(): void {
    this.call.write(
      new ReadResp().setConfirmation(new ReadResp.SubscriptionConfirmation().setSubscriptionId(randomUUID())),
    );
    this.cleanups.push(
      this.context.log.onAppend(() => setImmediate(() => this.pump())),
      this.context.faults.onDrop((kind) => this.drop(kind)),
    );
    const close = () => this.close();
    this.call.on('cancelled', close);
    this.call.on('close', close);
    this.pump();
  }

  private pump(): void {
    if (this.closed || this.waiting) return;
    const records = this.context.log.records;
    while (this.cursor < records.length) {
      const record = records[this.cursor++];
      this.considered += 1;
      this.lastConsidered = record.position;
      let flowing = true;
      if (!this.filter || this.filter.allows(record)) flowing = this.call.write(readEvent(record, this.asString, true));
      if (this.filter && this.considered >= this.filter.checkpointEvery) {
        this.considered = 0;
        flowing = this.checkpoint() && flowing;
      }
      if (!flowing) return this.waitForDrain();
    }
    if (!this.caughtUp) {
      this.caughtUp = true;
      if (this.filter) this.checkpoint();
      if (!this.call.write(new ReadResp().setCaughtUp(new ReadResp.CaughtUp()))) this.waitForDrain();
    }
  }

  private checkpoint(): boolean {
    const position = this.lastConsidered.toString();
    return this.call.write(
      new ReadResp().setCheckpoint(new ReadResp.Checkpoint().setCommitPosition(position).setPreparePosition(position)),
    );
  }

  private waitForDrain(): void {
    this.waiting = true;
    this.call.once('drain', () => {
      this.waiting = false;
      this.pump();
    });
  }

  private drop(kind: ErrorFault): void {
    if (this.closed) return;
    this.close();
    this.call.emit('error', faultError(kind));
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.cleanups.forEach((cleanup) => cleanup());
  }
}
