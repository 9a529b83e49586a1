import { Inject, Injectable } from '@nestjs/common';
import { EVENT_REGISTRY } from '../core/tokens';
import type { Decider, DomainEvent } from '../domain/decider';
import { EVENT_STORE, type EventStore, type ExpectedRevision } from '../eventstore/event-store.port';
import type { EventRegistry } from '../events/event-registry';
import { ProjectionRunner } from '../projection-runner/projection-runner';
import type { CommandContext } from './command-context';
import { handleCommand, loadStream, type Handled } from './command-handling';

/**
 * Runs a command against one stream and, before answering, waits until the read models
 * have applied what it appended: a client that reads right after writing sees its write.
 */
@Injectable()
export class Streams {
  constructor(
    @Inject(EVENT_STORE) readonly store: EventStore,
    @Inject(EVENT_REGISTRY) readonly registry: EventRegistry,
    readonly runner: ProjectionRunner,
  ) {}

  async execute<C extends { type: string }, E extends DomainEvent, S>(
    streamId: string,
    decider: Decider<C, E, S>,
    command: C,
    context: CommandContext,
    readAt?: ExpectedRevision,
  ): Promise<Handled<S, E>> {
    const handled = await handleCommand(this.store, this.registry, streamId, decider, command, context, readAt);
    if (handled.position !== null) await this.runner.waitFor(handled.position);
    return handled;
  }

  load<E extends DomainEvent, S>(streamId: string, decider: Pick<Decider<never, E, S>, 'initialState' | 'evolve'>) {
    return loadStream(this.store, streamId, decider);
  }
}
