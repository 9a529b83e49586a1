import { Injectable } from '@nestjs/common';
import type { CommandContext } from '../application/command-context';
import { toNewEvent } from '../application/command-handling';
import { Streams } from '../application/streams.service';
import type { StreamChanges } from '../domain/licensee/subscription-snapshot.decider';
import type { DomainEvent } from '../domain/decider';
import { ConcurrencyError } from '../eventstore/errors';
import type { AppendResult } from '../eventstore/event-store.port';

const ATTEMPTS = 3;

/**
 * Writes what a job decided: all streams in one appendMany (one transaction on SQLite),
 * each with the revision its decision was based on. Before deciding, the read models are
 * brought up to the head of the store; if another writer got in between (a conflict),
 * the job decides again on the fresher state, a bounded number of times.
 */
@Injectable()
export class LedgerWriter {
  constructor(private readonly streams: Streams) {}

  /** Waits until every read model has applied everything in the store now. */
  async catchUp(): Promise<void> {
    const head = await this.streams.store.headPosition();
    if (head !== null && !(await this.streams.runner.waitFor(head, 60_000))) {
      throw new Error('the read models did not catch up with the store within 60 s');
    }
  }

  async decideAndWrite<T>(
    decide: () => { changes: readonly StreamChanges<DomainEvent>[]; result: T },
    context: CommandContext,
  ): Promise<{ result: T; written: number; position: bigint | null }> {
    for (let attempt = 1; ; attempt++) {
      await this.catchUp();
      try {
        const { result, written, position } = await this.decideAndAppend(decide, context);
        if (position !== null) await this.streams.runner.waitFor(position, 60_000);
        return { result, written, position };
      } catch (error) {
        if (!(error instanceof ConcurrencyError) || attempt >= ATTEMPTS) throw error;
      }
    }
  }

  /**
   * Its own frame, so the decided events and their envelopes (a first download's 250,000) are
   * unreachable once appended, while the read models fold them back.
   */
  private async decideAndAppend<T>(
    decide: () => { changes: readonly StreamChanges<DomainEvent>[]; result: T },
    context: CommandContext,
  ): Promise<{ result: T; written: number; position: bigint | null }> {
    const { changes, result } = decide();
    const appends = changes
      .filter((c) => c.events.length > 0)
      .map((c) => ({
        streamId: c.streamId,
        expectedRevision: c.expectedRevision,
        events: c.events.map(({ id, event }) => toNewEvent(event, context, this.streams.registry, id)),
      }));
    const results: AppendResult[] = appends.length > 0 ? await this.streams.store.appendMany(appends) : [];
    const position = results.reduce<bigint | null>(
      (max, r) => (max === null || r.position > max ? r.position : max),
      null,
    );
    return { result, written: appends.reduce((n, a) => n + a.events.length, 0), position };
  }
}
