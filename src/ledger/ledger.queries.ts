import { environmentsOf } from '../../projections/environments/environments.projection';
import { Injectable } from '@nestjs/common';
import {
  consolidation,
  consolidationTotals,
  licensePosition,
  licensePositionTotals,
  lowUsage,
  lowUsageKey,
  subscriptionRowKey,
  subscriptionRows,
  unrecognizedIdentifiers,
  ledgerViewOf,
  type LedgerView,
  compareText,
  coverageOf,
  downgradeAdvice,
  subscriptionKey,
  type LowUsageOptions,
  type ReclaimedLicense,
  savingsFound,
  savingsRealised,
} from '../domain/conclusions';
import { ProfileQueries } from '../profiles/profile.queries';
import { CLOCK, type Clock } from '../shared/clock';
import { Inject } from '@nestjs/common';
import {
  reclamationsProjection,
  type ReclamationsReadModel,
} from '../../projections/reclamations/reclamations.projection';
import { ProjectionRunner } from '../projection-runner/projection-runner';
import { PointInTime, type LedgerStates } from './point-in-time';

export interface AnsweredView {
  readonly view: LedgerView;
  /** The moment the answer is for. */
  readonly asOf: string;
  /** The last event folded into the answer (decimal), so an auditor can reproduce it. */
  readonly position: string | null;
}

/**
 * "Now" is the end of the current minute: a minute's worth of requests share one computed
 * list (paging through it is stable) and every event recorded so far is in it.
 */
const NOW_GRANULARITY_MS = 60_000;
const LISTS_PER_KIND = 3;
const MAX_LISTS = 16;

/**
 * Answers "what was learned" from the read models, now or at a past moment. Lists that
 * depend on the moment (low usage, subscriptions, license position) are computed once
 * per (profile, read-model position, moment) and paged from the cached result.
 */
@Injectable()
export class LedgerQueries {
  private readonly cache = new Map<string, unknown>();

  constructor(
    private readonly profiles: ProfileQueries,
    private readonly pointInTime: PointInTime,
    private readonly runner: ProjectionRunner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async view(profileId: string, asOf?: string): Promise<AnsweredView> {
    this.profiles.get(profileId);
    const moment = asOf ? new Date(asOf) : this.now();
    const { states, position } = await this.pointInTime.at(moment, { live: !asOf });
    return {
      view: viewOf(states, profileId, moment),
      asOf: moment.toISOString(),
      position: position?.toString() ?? null,
    };
  }

  /** The moment "now" stands for: the end of the current minute. */
  now(): Date {
    return new Date(Math.ceil(this.clock.now().getTime() / NOW_GRANULARITY_MS) * NOW_GRANULARITY_MS);
  }

  /**
   * The license position at each of `moments` (ascending), each point what `licensePosition`
   * answers for its moment, from one pass over the history (`PointInTime.each`).
   */
  async licensePositionAt(profileId: string, moments: readonly Date[]) {
    this.profiles.get(profileId);
    return this.pointInTime.each(
      moments.map((m) => m.toISOString()),
      ({ states, position, asOf }) => {
        const items = licensePosition(viewOf(states, profileId, new Date(asOf)), asOf);
        return { asOf, position: position?.toString() ?? null, totals: licensePositionTotals(items), items };
      },
    );
  }

  /** Proven low usage; `includeUnproven` adds the rest with their reason; `inactivityDays` asks what-if. */
  async lowUsage(profileId: string, asOf?: string, options: LowUsageOptions = {}) {
    const answered = await this.view(profileId, asOf);
    const variant = `low-usage:${options.includeUnproven ? 'all' : 'proven'}:${options.inactivityDays ?? 'rules'}`;
    return {
      ...answered,
      items: this.memo(variant, answered, () => lowUsage(answered.view, answered.asOf, options)),
      key: lowUsageKey,
    };
  }

  async downgradeAdvice(profileId: string, asOf?: string) {
    const answered = await this.view(profileId, asOf);
    const items = this.memo('downgrade', answered, () => downgradeAdvice(answered.view, answered.asOf));
    return { ...answered, items, key: subscriptionKey };
  }

  /** Each environment's covered time and gaps as of T. */
  async coverage(profileId: string, asOf?: string) {
    const answered = await this.view(profileId, asOf);
    const { view } = answered;
    const items = view.environments
      .map((e) => coverageOf(e, view.analyzeActivityFrom, answered.asOf))
      .sort((a, b) => compareText(a.environmentUrl, b.environmentUrl));
    return { ...answered, items, key: (i: { environmentUrl: string }) => i.environmentUrl };
  }

  async subscriptions(profileId: string, filter: { userId?: string; skuPartNumber?: string }, asOf?: string) {
    const answered = await this.view(profileId, asOf);
    const all = this.memo('subscriptions', answered, () => subscriptionRows(answered.view, answered.asOf));
    const sku = filter.skuPartNumber?.toUpperCase();
    const items =
      filter.userId || sku
        ? all.filter(
            (r) =>
              (!filter.userId || r.userId === filter.userId.toLowerCase()) &&
              (!sku || r.skuPartNumber.toUpperCase() === sku),
          )
        : all;
    return { ...answered, items, key: subscriptionRowKey };
  }

  async consolidation(profileId: string, asOf?: string) {
    const answered = await this.view(profileId, asOf);
    const items = this.memo('consolidation', answered, () => consolidation(answered.view));
    return { ...answered, items, totals: consolidationTotals(items), key: (i: { userId: string }) => i.userId };
  }

  async licensePosition(profileId: string, asOf?: string) {
    const answered = await this.view(profileId, asOf);
    const items = this.memo('license-position', answered, () => licensePosition(answered.view, answered.asOf));
    return {
      ...answered,
      items,
      totals: licensePositionTotals(items),
      key: (i: { skuPartNumber: string }) => i.skuPartNumber,
    };
  }

  /**
   * What the advice would save each month (proven low usage, consolidation, downgrade, none
   * counted twice) and what reclaims in [since, asOf] saved, at each model's price as of asOf.
   */
  async savings(profileId: string, since?: string, asOf?: string) {
    const answered = await this.view(profileId, asOf);
    const { view } = answered;
    const found = savingsFound(
      this.memo('low-usage:proven:rules', answered, () => lowUsage(view, answered.asOf)),
      this.memo('consolidation', answered, () => consolidation(view)),
      this.memo('downgrade', answered, () => downgradeAdvice(view, answered.asOf)),
    );
    const realised = savingsRealised(
      view,
      reclaimedLicenses(this.runner.state(reclamationsProjection), profileId),
      since ? new Date(since).toISOString() : null,
      answered.asOf,
    );
    return { asOf: answered.asOf, position: answered.position, found, realised };
  }

  async unrecognized(profileId: string) {
    const answered = await this.view(profileId);
    return {
      ...answered,
      items: unrecognizedIdentifiers(answered.view),
      key: (i: { skuPartNumber: string }) => i.skuPartNumber,
    };
  }

  /**
   * A list of a 250,000-subscription tenant takes tens of MB and "now" moves every minute, so
   * 64 remembered lists grew the heap by gigabytes within an hour of traffic (the reclamation
   * workflow alone asks every minute). Kept: the most recently used lists, at most
   * LISTS_PER_KIND per list and profile and MAX_LISTS in all.
   */
  private memo<T>(what: string, answered: AnsweredView, compute: () => T): T {
    const family = `${what}|${answered.view.profileId}|`;
    const key = `${family}${answered.position}|${answered.asOf}`;
    if (this.cache.has(key)) {
      const value = this.cache.get(key) as T;
      this.cache.delete(key);
      this.cache.set(key, value);
      return value;
    }
    const value = compute();
    const sameKind = [...this.cache.keys()].filter((k) => k.startsWith(family));
    while (sameKind.length >= LISTS_PER_KIND) this.cache.delete(sameKind.shift()!);
    this.cache.set(key, value);
    while (this.cache.size > MAX_LISTS) this.cache.delete(this.cache.keys().next().value!);
    return value;
  }
}

/** One profile's ledger view in folded states; a profile not yet created there has an empty tenant. */
function viewOf(states: LedgerStates, profileId: string, moment: Date): LedgerView {
  const profile = states.profiles.get(profileId);
  return ledgerViewOf(
    profile ?? { profileId, analyzeActivityFrom: moment.toISOString().slice(0, 10), exclusionRules: [] },
    profile ? states.subscriptions.get(profileId) : undefined,
    profile ? states.catalogs.catalogs.get(profileId) : undefined,
    profile ? environmentsOf(states.environments, profileId) : [],
  );
}

/** The profile's reclaims, each when `SubscriptionReclaimed` was recorded. */
function reclaimedLicenses(model: ReclamationsReadModel, profileId: string): ReclaimedLicense[] {
  const reclaimed: ReclaimedLicense[] = [];
  for (const id of model.byProfile.get(profileId) ?? []) {
    const r = model.byId.get(id);
    const step = r?.status === 'reclaimed' ? r.history.find((h) => h.type === 'SubscriptionReclaimed') : undefined;
    if (r && step)
      reclaimed.push({ userId: r.userId, skuId: r.skuId, skuPartNumber: r.skuPartNumber, reclaimedAt: step.at });
  }
  return reclaimed;
}
