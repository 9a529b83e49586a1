import { Inject, Injectable } from '@nestjs/common';
import { EVENT_REGISTRY } from '../core/tokens';
import type { Decider, DomainEvent, StreamCommand } from '../domain/decider';
import { ConcurrencyError } from '../eventstore/errors';
import {
  EVENT_STORE,
  type AppendResult,
  type EventMetadata,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type RecordedEvent,
  type StreamAppend,
} from '../eventstore/event-store.port';
import type { EventRegistry } from '../events/event-registry';
import { ProjectionRunner } from '../projection-runner/projection-runner';
import { deterministicId, newId } from '../shared/ids';
import type { JsonObject } from '../shared/json';
import type { CommandContext } from './command-context';

/** A stream's state and the revision it was folded to ('no-stream' when it has no events). */
export interface Loaded<State> {
  readonly state: State;
  readonly revision: number | 'no-stream';
}

export interface Handled<State, Event> {
  readonly state: State;
  readonly events: readonly Event[];
  /** Global position of the last appended event, or null when the command changed nothing. */
  readonly position: bigint | null;
}

export interface HandledMany<Event> {
  readonly events: readonly Event[];
  readonly position: bigint | null;
}

const BULK_ATTEMPTS = 3;
const CATCH_UP_MS = 60_000;

/**
 * The one write path. `execute`: read the stream, fold it with the decider's evolve, decide,
 * append with the revision read, and wait until the read models have applied the result (a
 * client that reads right after writing sees its write). `executeMany` is the bulk form: the
 * same deciders over many streams, whose states come from a read model that folds the same
 * evolve (a cache of every stream's state, brought up to the store's head first); the append
 * is one batch with the revisions decided on and deterministic event ids, so a stale cache is
 * a conflict, never a wrong write, and a retry decides again on fresher state.
 */
@Injectable()
export class CommandExecutor {
  constructor(
    @Inject(EVENT_STORE) readonly store: EventStore,
    @Inject(EVENT_REGISTRY) private readonly registry: EventRegistry,
    readonly runner: ProjectionRunner,
  ) {}

  async load<E extends DomainEvent, S>(
    streamId: string,
    decider: Pick<Decider<never, E, S>, 'initialState' | 'evolve'>,
    options: { lastEventOnly?: boolean } = {},
  ): Promise<Loaded<S>> {
    if (options.lastEventOnly) {
      const last = await lastEventOf(this.store, streamId);
      return last
        ? { state: decider.evolve(decider.initialState(), last as unknown as E), revision: last.revision }
        : { state: decider.initialState(), revision: 'no-stream' };
    }
    const history = await this.store.readStream(streamId);
    let state = decider.initialState();
    for (const event of history) state = decider.evolve(state, event as unknown as E);
    return { state, revision: history.length === 0 ? 'no-stream' : history[history.length - 1].revision };
  }

  /**
   * `expectedRevision` pins the revision a caller already read and prepared the command from
   * (secrets stored, references to replace): if the stream has moved since, it is a conflict.
   * `lastEventOnly` is for a stream whose every event carries the whole state (the instance
   * lease): only its last event is read. `waitForReadModels: false` answers before the read
   * models have the result (what runs before they start).
   */
  async execute<C extends { type: string }, E extends DomainEvent, S>(
    streamId: string,
    decider: Decider<C, E, S>,
    command: C,
    context: CommandContext,
    options: { expectedRevision?: ExpectedRevision; lastEventOnly?: boolean; waitForReadModels?: boolean } = {},
  ): Promise<Handled<S, E>> {
    const { state, revision } = await this.load(streamId, decider, options);
    const { expectedRevision } = options;
    if (expectedRevision !== undefined && expectedRevision !== revision) {
      throw new ConcurrencyError(streamId, expectedRevision, revision === 'no-stream' ? 'no-stream' : revision);
    }
    const events = decider.decide(command, state);
    if (events.length === 0) return { state, events, position: null };
    const append = { streamId, expectedRevision: revision, events: events.map((e) => this.toNewEvent(e, context)) };
    const result = await this.store.append(append.streamId, append.events, append.expectedRevision);
    this.handOver([append], [result]);
    if (options.waitForReadModels !== false) await this.runner.waitFor(result.position);
    return { state: events.reduce(decider.evolve, state), events, position: result.position };
  }

  /** What the command would record, from the stream as it is now; nothing is appended (a dry run). */
  async dryRun<C extends { type: string }, E extends DomainEvent, S>(
    streamId: string,
    decider: Decider<C, E, S>,
    command: C,
  ): Promise<{ state: S; events: readonly E[] }> {
    const { state } = await this.load(streamId, decider);
    return { state, events: decider.decide(command, state) };
  }

  async executeMany<C extends { type: string }, E extends DomainEvent, S>(
    decider: Decider<C, E, S>,
    commands: readonly StreamCommand<C>[],
    stateOf: (streamId: string) => Loaded<S> | undefined,
    context: CommandContext,
  ): Promise<HandledMany<E>> {
    for (let attempt = 1; ; attempt++) {
      await this.catchUp();
      try {
        return await this.decideAndAppend(decider, commands, stateOf, context);
      } catch (error) {
        if (!(error instanceof ConcurrencyError) || attempt >= BULK_ATTEMPTS) throw error;
      }
    }
  }

  /** Waits until every read model has applied everything in the store now. */
  async catchUp(): Promise<void> {
    const head = await this.store.headPosition();
    if (head !== null && !(await this.runner.waitFor(head, CATCH_UP_MS))) {
      throw new Error(`the read models did not catch up with the store within ${CATCH_UP_MS / 1000} s`);
    }
  }

  private async decideAndAppend<C extends { type: string }, E extends DomainEvent, S>(
    decider: Decider<C, E, S>,
    commands: readonly StreamCommand<C>[],
    stateOf: (streamId: string) => Loaded<S> | undefined,
    context: CommandContext,
  ): Promise<HandledMany<E>> {
    const decided: E[] = [];
    const appends: { streamId: string; expectedRevision: ExpectedRevision; events: NewEvent[] }[] = [];
    // Two commands for one stream in a batch are decided in turn on the state the first leaves.
    const pending = new Map<string, { loaded: Loaded<S>; append: (typeof appends)[number] | null }>();
    // Every event of one type in a batch carries the same metadata: one object for all of them.
    const metadataByType = new Map<string, NewEvent['metadata']>();
    for (const { streamId, command } of commands) {
      const current = pending.get(streamId);
      const loaded = current?.loaded ?? stateOf(streamId) ?? { state: decider.initialState(), revision: 'no-stream' };
      const events = decider.decide(command, loaded.state);
      if (events.length === 0) {
        if (!current) pending.set(streamId, { loaded, append: null });
        continue;
      }
      const base = loaded.revision === 'no-stream' ? -1 : loaded.revision;
      const next: Loaded<S> = { state: events.reduce(decider.evolve, loaded.state), revision: base + events.length };
      const newEvents = events.map((event, i) =>
        this.toNewEvent(event, context, eventIdOf(streamId, base + 1 + i, event), metadataByType),
      );
      let append = current?.append ?? null;
      if (append) append.events.push(...newEvents);
      else appends.push((append = { streamId, expectedRevision: loaded.revision, events: newEvents }));
      pending.set(streamId, { loaded: next, append });
      for (const e of events) decided.push(e);
    }
    if (appends.length === 0) return { events: decided, position: null };
    const results = await this.store.appendMany(appends);
    this.handOver(appends, results);
    let position: bigint | null = null;
    for (const r of results) if (position === null || r.position > position) position = r.position;
    if (position !== null) await this.runner.waitFor(position, CATCH_UP_MS);
    return { events: decided, position };
  }

  /**
   * What the store says it has just written (SQLite: consecutive positions, one recordedAt) goes
   * to the read models as it is, instead of their reading it back and parsing it again; they
   * take it only if it is next for all of them (ProjectionRunner.applyWritten), else the feed
   * reads it as before. The events are what the store holds: current schema versions, checked.
   */
  private handOver(appends: readonly StreamAppend[], results: readonly AppendResult[]): void {
    const recorded: RecordedEvent[] = [];
    const metadataOf = new Map<NewEvent['metadata'], EventMetadata>();
    for (let i = 0; i < appends.length; i++) {
      const { streamId, events, expectedRevision } = appends[i];
      if (events.length === 0) continue;
      const written = results[i].written;
      if (!written) break;
      const { recordedAt } = written;
      const base = results[i].nextExpectedRevision - events.length + 1;
      if (typeof expectedRevision === 'number' && base !== expectedRevision + 1) break;
      for (let j = 0; j < events.length; j++) {
        const { id, type, data, metadata: given } = events[j];
        let metadata = metadataOf.get(given);
        if (!metadata) metadataOf.set(given, (metadata = { ...given, recordedAt } as EventMetadata));
        const position = written.firstPosition + BigInt(j);
        recorded.push({ id, streamId, revision: base + j, position, type, data, metadata, recordedAt });
      }
    }
    if (recorded.length > 0) this.runner.applyWritten(recorded);
  }

  private toNewEvent(
    event: DomainEvent,
    context: CommandContext,
    id: string = newId(),
    shared?: Map<string, NewEvent['metadata']>,
  ): NewEvent {
    let metadata = shared?.get(event.type);
    if (!metadata) {
      const definition = this.registry.get(event.type);
      if (!definition) throw new Error(`event type ${event.type} is not registered`);
      metadata = {
        actor: context.actor,
        correlationId: context.correlationId,
        causationId: context.causationId,
        schemaVersion: definition.schemaVersion,
      };
      shared?.set(event.type, metadata);
    }
    return { id, type: event.type, data: event.data as JsonObject, metadata };
  }
}

/**
 * The id names the stream, the revision the event will take, its type and its subject (SKU,
 * app or rule), never a timestamp: the same fact decided twice on the same state gets the
 * same id (a re-run after a crash appends nothing twice), while a different fact at the same
 * revision gets another id and so a concurrency conflict.
 */
export function eventIdOf(streamId: string, revision: number, event: DomainEvent): string {
  const d = event.data as { skuId?: string; app?: string; ruleId?: string };
  return deterministicId(streamId, String(revision), event.type, d.skuId ?? d.app ?? d.ruleId ?? '');
}

/**
 * A stream's last event, found with O(log n) one-event reads (the port reads forwards only,
 * and an instance lease collects a renewal every few minutes).
 */
async function lastEventOf(store: EventStore, streamId: string): Promise<RecordedEvent | null> {
  const at = async (revision: number) => (await store.readStream(streamId, { fromRevision: revision, maxCount: 1 }))[0];
  if (!(await at(0))) return null;
  let low = 0;
  let high = 1;
  while (await at(high)) {
    low = high;
    high *= 2;
  }
  // Invariant: an event at `low`, none at `high`.
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (await at(middle)) low = middle;
    else high = middle;
  }
  return (await at(low))!;
}
