import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { type ReclamationView, reclamationsProjection } from '../../projections/reclamations/reclamations.projection';
import { subscriptionsProjection } from '../../projections/subscriptions/subscriptions.projection';
import { tenantCatalogProjection } from '../../projections/tenant-catalog/tenant-catalog.projection';
import type { CommandContext } from '../application/command-context';
import { CommandExecutor } from '../application/command-executor';
import type { ActivityBasis } from '../domain/catalog/catalog.types';
import { awaitingRead, qualifyingActivitySince } from '../domain/conclusions';
import { findCatalogEntry } from '../domain/catalog/catalog';
import type { Config } from '../config/config';
import { CONFIG, LOGGER } from '../core/tokens';
import { CREDENTIALS, type CredentialStore } from '../credentials/credential.store';
import { licenseeDecider } from '../domain/licensee/licensee.decider';
import type { ReclamationStep } from '../domain/licensee/reclamation-steps';
import { ConcurrencyError } from '../eventstore/errors';
import type { RecordedEvent } from '../eventstore/event-store.port';
import { LedgerQueries } from '../ledger/ledger.queries';
import type { Logger } from '../logging/logger';
import { ProfileConnectors } from '../microsoft/profile-connectors';
import { ProfileQueries } from '../profiles/profile.queries';
import type { ExistingProfile } from '../profiles/profile.view';
import { CLOCK, type Clock } from '../shared/clock';
import { newId } from '../shared/ids';
import { WebhookTargets } from '../webhooks/webhook-targets';
import { KeepLinks } from './keep-links';
import { Reclaimer } from './reclaimer';
import { sendWebhook } from './webhook';
import { streamIds } from '../domain/stream-names';

const TICK_MS = 60_000;
const DAY_MS = 86_400_000;
/** Events after which the workflow looks again at once rather than at the next tick. */
const WAKE_ON = new Set([
  'SubscriptionSnapshotRecorded',
  'ActivityPullRecorded',
  'ReclamationRuleChanged',
  'ReclamationKeepRejected',
  'ProfileUpdated',
  'ExclusionRuleAdded',
]);

/** The inactivity waits on a read that has not happened yet: neither reclaimed nor cancelled. */
const AWAITING_READ = 'awaiting-read';

/**
 * The reclamation process manager. For rules with `notify` on, each new low-usage
 * candidate is opened and the user notified through the profile's signed webhook, with
 * the rule's grace days; qualifying activity in the window cancels it; a keep request
 * waits for an administrator; at the end of the grace period without objection (or
 * after a rejected keep request) the license is reclaimed. Every step is an event on the
 * user's licensee stream, appended against its revision, so two instances cannot take the
 * same step twice.
 */
@Injectable()
export class ReclamationWorkflow implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private wake: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly commands: CommandExecutor,
    private readonly reclaimer: Reclaimer,
    private readonly ledger: LedgerQueries,
    private readonly profiles: ProfileQueries,
    private readonly connectors: ProfileConnectors,
    @Inject(CREDENTIALS) private readonly credentials: CredentialStore,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly keepLinks: KeepLinks,
    private readonly webhooks: WebhookTargets,
  ) {}

  onApplicationBootstrap(): void {
    void this.commands.runner.whenCaughtUp().then((caughtUp) => {
      if (!caughtUp || this.stopped) return;
      this.unsubscribe = this.commands.runner.onEvent((event) => this.onEvent(event));
      this.timer = setInterval(() => void this.tick(), TICK_MS);
      this.timer.unref();
      void this.tick();
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.timer) clearInterval(this.timer);
    if (this.wake) clearTimeout(this.wake);
    await this.running;
  }

  /** One pass over every published profile; overlapping calls share the pass in flight. */
  tick(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        for (const profile of this.profiles.all()) {
          if (this.stopped) return;
          if (profile.status !== 'published') continue;
          try {
            await this.advance(profile);
          } catch (error) {
            this.logger.warn('reclamation workflow step failed; will retry', { profileId: profile.profileId, error });
          }
        }
      } while (this.again && !this.stopped);
    })().finally(() => (this.running = null));
    return this.running;
  }

  private onEvent(event: RecordedEvent): void {
    if (!WAKE_ON.has(event.type) || this.stopped) return;
    if (this.wake) clearTimeout(this.wake);
    this.wake = setTimeout(() => void this.tick(), 100);
    this.wake.unref();
  }

  private async advance(profile: ExistingProfile): Promise<void> {
    const catalog = this.commands.runner.state(tenantCatalogProjection).catalogs.get(profile.profileId);
    const rules = new Map([...(catalog?.rules.values() ?? [])].map((r) => [r.skuPartNumber, r]));
    const reclamations = this.mine(profile.profileId);
    const active = new Set(reclamations.filter((r) => isActive(r)).map((r) => `${r.userId}|${r.skuId}`));

    const { items } = await this.ledger.lowUsage(profile.profileId);
    for (const candidate of items) {
      const rule = rules.get(candidate.skuPartNumber);
      if (!rule?.enabled || !rule.notify || active.has(`${candidate.userId}|${candidate.skuId}`)) continue;
      await this.step(profile, candidate.userId, {
        type: 'OpenReclamation',
        data: {
          reclamationId: newId(),
          skuId: candidate.skuId,
          at: this.now(),
          ruleId: rule.id,
          daysInactive: candidate.daysInactive,
          lastActivityAt: candidate.lastActivityAt,
          graceDays: rule.graceDays,
        },
      });
    }

    // One being removed is the Reclaimer's (or, if its process died, the sweeper's) to settle.
    for (const r of this.mine(profile.profileId).filter((v) => isActive(v) && !v.removing)) {
      const rule = rules.get(r.skuPartNumber);
      if (r.status === 'open') {
        if (!rule?.notify || !rule.enabled)
          await this.cancel(profile, r, 'rule-disabled', 'the rule no longer notifies users');
        else if (this.dueForNotice(r)) await this.notify(profile, r, rule.graceDays);
        continue;
      }
      if (r.status === 'awaiting-user') {
        const gone = this.licenseGone(profile.profileId, r);
        const activeSince = gone ? null : this.activitySince(profile.profileId, r, rule?.activityBasis);
        if (gone) await this.cancel(profile, r, 'license-removed', 'the user no longer holds the license');
        else if (activeSince)
          await this.cancel(profile, r, 'activity', `qualifying activity on ${activeSince} during the grace period`);
        else if (r.graceEndsAt && this.now() >= r.graceEndsAt) {
          // Never acted on unless proven: a gap in the audit log since the notice (auditing
          // switched off, an environment unread) means the user may have worked unseen.
          const unproven = await this.unprovenReason(profile.profileId, r);
          if (unproven === null) await this.reclaim(profile, r, 'grace period ended without objection');
          else if (unproven === AWAITING_READ) continue;
          else
            await this.cancel(
              profile,
              r,
              'unproven',
              `the audit log no longer proves the inactivity (${unproven}); nothing was reclaimed`,
            );
        }
        continue;
      }
      if (r.status === 'awaiting-approval' && r.keepRejected) await this.reclaim(profile, r, 'keep request rejected');
    }
  }

  private async notify(profile: ExistingProfile, r: ReclamationView, graceDays: number): Promise<void> {
    const settings = profile.notifications;
    if (!settings) {
      await this.recordNotice(
        profile,
        r,
        { delivered: false, status: 0, error: 'the profile has no notification webhook; PATCH notifications' },
        '',
      );
      return;
    }
    const secret = await this.credentials.get(settings.secretRef);
    const graceEndsAt = new Date(this.clock.now().getTime() + graceDays * DAY_MS).toISOString();
    const user = this.commands.runner.state(subscriptionsProjection).get(profile.profileId)?.users.get(r.userId);
    const opened = r.history.find((h) => h.type === 'ReclamationOpened');
    const payload = {
      event: 'reclamation.notice',
      deliveryId: r.id,
      reclamationId: r.id,
      profileId: profile.profileId,
      user: { id: r.userId, userPrincipalName: user?.userPrincipalName ?? null },
      license: { skuId: r.skuId, skuPartNumber: r.skuPartNumber, name: findCatalogEntry(r)?.name ?? r.skuPartNumber },
      reason: opened?.detail ?? 'low usage',
      graceDays,
      graceEndsAt,
      keepUrl: await this.keepLinks.urlFor(profile.profileId, r.id, graceEndsAt),
      sentAt: this.now(),
    };
    const url = settings.webhookUrlRef ? await this.credentials.get(settings.webhookUrlRef) : settings.webhookUrl;
    const delivery = await sendWebhook(url, secret, r.id, payload, {
      targets: this.webhooks,
      ca: this.connectors.connectors.agent.options.ca,
      // webhook-timestamp is for the receiver's replay window, checked against its own (real) clock.
      now: new Date(),
    });
    await this.recordNotice(profile, r, delivery, graceEndsAt);
  }

  private async recordNotice(
    profile: ExistingProfile,
    r: ReclamationView,
    delivery: { delivered: boolean; status: number; error?: string },
    graceEndsAt: string,
  ) {
    await this.step(profile, r.userId, {
      type: 'RecordNotification',
      data: {
        reclamationId: r.id,
        at: this.now(),
        delivered: delivery.delivered,
        deliveryId: r.id,
        webhookStatus: delivery.status,
        graceEndsAt: graceEndsAt || this.now(),
        ...(delivery.error ? { error: delivery.error } : {}),
      },
    });
  }

  /** Failed notices are retried with backoff: 1, 2, 4 ... minutes, at most an hour apart. */
  private dueForNotice(r: ReclamationView): boolean {
    if (r.notificationAttempts === 0) return true;
    const last = [...r.history].reverse().find((h) => h.type === 'ReclamationNotificationFailed');
    const wait = Math.min(2 ** (r.notificationAttempts - 1), 60) * 60_000;
    return !last || this.clock.now().getTime() - Date.parse(last.at) >= wait;
  }

  private async reclaim(profile: ExistingProfile, r: ReclamationView, reason: string): Promise<void> {
    await this.reclaimer.reclaim(
      profile,
      {
        type: 'ReclaimSubscription',
        data: {
          profileId: profile.profileId,
          userId: r.userId,
          reclamationId: r.id,
          sku: { skuId: r.skuId },
          trigger: 'low-usage',
          reason,
          exclusionRules: profile.exclusionRules,
          groupNames: new Map(),
          at: this.now(),
        },
      },
      this.context(),
    );
  }

  private async cancel(
    profile: ExistingProfile,
    r: ReclamationView,
    reason: 'activity' | 'license-removed' | 'rule-disabled' | 'unproven',
    detail: string,
  ): Promise<void> {
    await this.step(profile, r.userId, {
      type: 'CancelReclamation',
      data: { reclamationId: r.id, at: this.now(), reason, detail },
    });
  }

  private licenseGone(profileId: string, r: ReclamationView): boolean {
    const user = this.commands.runner.state(subscriptionsProjection).get(profileId)?.users.get(r.userId);
    return !user?.licenses.has(r.skuId);
  }

  /** The latest activity that counts for this license and happened after the candidate opened. */
  private activitySince(profileId: string, r: ReclamationView, basis?: ActivityBasis): string | null {
    const user = this.commands.runner.state(subscriptionsProjection).get(profileId)?.users.get(r.userId);
    const needed = findCatalogEntry(r)?.activityNeeded ?? null;
    return user ? qualifyingActivitySince(needed, user.lastActivity, r.openedAt, basis) : null;
  }

  /**
   * Why the candidate's inactivity is not proven now, or null when it still is (the low-usage
   * rule, once). AWAITING_READ when some environment has merely not been read lately: the next
   * successful read covers that time again (it starts from the environment's cursor), so the
   * decision waits for it rather than cancel over a late or failed night.
   */
  private async unprovenReason(profileId: string, r: ReclamationView): Promise<string | null> {
    const { items } = await this.ledger.lowUsage(profileId, undefined, { includeUnproven: true });
    const item = items.find((i) => i.userId === r.userId && i.skuId === r.skuId);
    if (!item) return 'no longer low usage';
    if (item.proven) return null;
    const coverage = await this.ledger.coverage(profileId);
    return awaitingRead(coverage.items, coverage.asOf) ? AWAITING_READ : item.unprovenReason;
  }

  private async step(profile: ExistingProfile, userId: string, command: ReclamationStep): Promise<void> {
    const streamId = streamIds.licensee(profile.profileId, userId);
    try {
      await this.commands.execute(streamId, licenseeDecider, command, this.context());
    } catch (error) {
      if (!(error instanceof ConcurrencyError)) throw error; // another instance took this step first
    }
  }

  private mine(profileId: string): ReclamationView[] {
    const model = this.commands.runner.state(reclamationsProjection);
    return (model.byProfile.get(profileId) ?? []).map((id) => model.byId.get(id)!);
  }

  private context(): CommandContext {
    return {
      actor: { kind: 'system', id: `reclamation-workflow@${this.config.instanceId}` },
      correlationId: newId(),
      causationId: null,
    };
  }

  private now(): string {
    return this.clock.now().toISOString();
  }
}

const isActive = (r: ReclamationView) =>
  r.status === 'open' || r.status === 'awaiting-user' || r.status === 'awaiting-approval';
