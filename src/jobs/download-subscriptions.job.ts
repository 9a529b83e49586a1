import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { GraphUser } from '../connectors';
import type { SubscribedSku } from '../domain/catalog/sku-scope';
import type { GraphUserLicenses } from '../domain/licensee/record-subscription-snapshot';
import { SnapshotRun } from '../domain/licensee/snapshot-run';
import { ProfileConnectors } from '../microsoft/profile-connectors';
import { CLOCK, type Clock } from '../shared/clock';
import type { JobContext, JobImplementation } from './job-implementation';
import { readAhead } from './read-ahead';
import { RecordSubscriptionSnapshot } from './record-subscription-snapshot.handler';

const USER_FIELDS = [
  'id',
  'userPrincipalName',
  'accountEnabled',
  'userType',
  'assignedLicenses',
  'licenseAssignmentStates',
];

/**
 * download-subscriptions: reads subscribedSkus and every user (Graph delta does not track
 * licenseAssignmentStates, so it is a full read) and records each page's changes as it
 * arrives (RecordSubscriptionSnapshot), the next page already on its way. Removals of users
 * the read no longer shows come only at the end of a complete read, then the summary: a run
 * that fails part-way has recorded true changes, never a false removal, and the next run
 * completes it.
 */
@Injectable()
export class DownloadSubscriptionsJob implements JobImplementation {
  readonly job = 'download-subscriptions' as const;

  constructor(
    private readonly connectors: ProfileConnectors,
    private readonly commandBus: CommandBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async run(ctx: JobContext) {
    const { profile, runId, context } = ctx;
    const { graph } = this.connectors.clientsFor(profile, {
      onRetry: (e) => ctx.progress(`retrying after ${e.cause} (attempt ${e.attempt})`, e.attempt),
    });
    const takenAt = this.clock.now().toISOString();

    ctx.progress('reading subscribed SKUs', 0);
    const skus: SubscribedSku[] = (await graph.subscribedSkus()).map((s) => ({
      skuId: s.skuId.toLowerCase(),
      skuPartNumber: s.skuPartNumber,
      appliesTo: s.appliesTo,
      capabilityStatus: s.capabilityStatus,
      prepaidUnits: s.prepaidUnits,
      servicePlanNames: s.servicePlans.map((p) => p.servicePlanName),
    }));
    const run = new SnapshotRun(profile.profileId, runId, takenAt, skus);
    let appended = await this.commandBus.execute(new RecordSubscriptionSnapshot(run, { kind: 'skus' }, context));

    let users = 0;
    for await (const page of readAhead(graph.usersPages(USER_FIELDS))) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      users += page.length;
      const part = { kind: 'page' as const, users: page.map(toGraphUserLicenses) };
      appended += await this.commandBus.execute(new RecordSubscriptionSnapshot(run, part, context));
      ctx.progress('reading users', users);
    }

    ctx.progress('recording removals and the summary', users);
    appended += await this.commandBus.execute(new RecordSubscriptionSnapshot(run, { kind: 'end' }, context));
    return { ...run.counts(), eventsAppended: appended };
  }
}

function toGraphUserLicenses(user: GraphUser): GraphUserLicenses {
  return {
    id: user.id,
    userPrincipalName: user.userPrincipalName ?? '',
    accountEnabled: user.accountEnabled ?? null,
    userType: user.userType ?? null,
    skuIds: (user.assignedLicenses ?? []).map((l) => l.skuId),
    states: user.licenseAssignmentStates ?? [],
  };
}
