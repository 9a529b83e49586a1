import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { licenseeStreamState, subscriptionsProjection } from '../../projections/subscriptions/subscriptions.projection';
import {
  catalogStreamState,
  tenantCatalogProjection,
} from '../../projections/tenant-catalog/tenant-catalog.projection';
import type { CommandContext } from '../application/command-context';
import { CommandExecutor } from '../application/command-executor';
import { licenseeDecider } from '../domain/licensee/licensee.decider';
import type { GraphUserLicenses } from '../domain/licensee/record-subscription-snapshot';
import type { SnapshotRun } from '../domain/licensee/snapshot-run';
import { tenantCatalogDecider } from '../domain/tenant/tenant-catalog.decider';

/** Which part of a snapshot run: the tenant's SKUs first, then each page of users, then the end. */
export type SnapshotPart =
  | { readonly kind: 'skus' }
  | { readonly kind: 'page'; readonly users: readonly GraphUserLicenses[] }
  | { readonly kind: 'end' };

/** RecordSubscriptionSnapshot, one part of a download at a time; answers how many events were recorded. */
export class RecordSubscriptionSnapshot extends Command<number> {
  constructor(
    readonly run: SnapshotRun,
    readonly part: SnapshotPart,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(RecordSubscriptionSnapshot)
export class RecordSubscriptionSnapshotHandler implements ICommandHandler<RecordSubscriptionSnapshot> {
  constructor(private readonly commands: CommandExecutor) {}

  async execute({ run, part, context }: RecordSubscriptionSnapshot): Promise<number> {
    const catalogs = this.commands.runner.state(tenantCatalogProjection);
    const catalogState = () => catalogStreamState(catalogs, run.profileId);
    const model = this.commands.runner.state(subscriptionsProjection);
    const licenseeState = (streamId: string) => licenseeStreamState(model, streamId);
    let recorded = 0;
    const record = async (decided: Promise<{ events: readonly { type: string }[] }>) => {
      const { events } = await decided;
      run.recorded(events);
      recorded += events.length;
    };
    switch (part.kind) {
      case 'skus':
        await record(this.commands.executeMany(tenantCatalogDecider, [run.subscribedSkus()], catalogState, context));
        break;
      case 'page': {
        const held = (userId: string) => (model.get(run.profileId)?.users.get(userId)?.licenses.size ?? 0) > 0;
        await record(this.commands.executeMany(licenseeDecider, run.page(part.users, held), licenseeState, context));
        break;
      }
      case 'end': {
        // Whoever still holds a license in the ledger, was not returned, and could not be read back is gone from the directory.
        const holders: string[] = [];
        for (const [userId, user] of model.get(run.profileId)?.users ?? [])
          if (user.licenses.size > 0) holders.push(userId);
        await record(
          this.commands.executeMany(
            licenseeDecider,
            run.end(holders, () => 'user-deleted'),
            licenseeState,
            context,
          ),
        );
        await record(this.commands.executeMany(tenantCatalogDecider, [run.summary()], catalogState, context));
        break;
      }
    }
    return recorded;
  }
}
