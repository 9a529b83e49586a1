import { Inject, Injectable } from '@nestjs/common';
import {
  consolidation,
  consolidationTotals,
  licensePosition,
  licensePositionTotals,
  lowUsageKey,
  subscriptionRowKey,
  subscriptionRows,
  unrecognizedIdentifiers,
  type LedgerView,
  downgradeAdvice,
  subscriptionKey,
  type LowUsageOptions,
  type ReclaimedLicense,
  savingsFound,
  savingsRealised,
  lowUsage,
  type SavingsFound,
  type SavingsRealised,
} from '../domain/conclusions';
import { ProfileQueries } from '../profiles/profile.queries';
import { CLOCK, type Clock } from '../shared/clock';
import {
  reclamationsProjection,
  type ReclamationsReadModel,
} from '../../projections/reclamations/reclamations.projection';
import { ProjectionRunner } from '../projection-runner/projection-runner';
import { answerOf, coverageItems, questionKey, viewOf, type LedgerQuestion } from './ledger-answers';
import { PointInTime, type LedgerStates } from './point-in-time';

export interface AnsweredView {
  readonly profileId: string;
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

  /** One profile's ledger view now, from the live read models. */
  async view(profileId: string): Promise<AnsweredView & { readonly view: LedgerView }> {
    this.profiles.get(profileId);
    const moment = this.now();
    const { states, position } = await this.pointInTime.at(moment, { live: true });
    return {
      profileId,
      view: viewOf(states, profileId, moment),
      asOf: moment.toISOString(),
      position: position?.toString() ?? null,
    };
  }

  /**
   * The answer to `question` about `profileId` as of `asOf` (now when absent): from the live
   * read models here, or for a past moment they cannot answer, folded and answered in the
   * as-of worker (PointInTime.ask). Either way kept as a list (memo) by position and moment.
   */
  private async answer<T>(
    profileId: string,
    asOf: string | undefined,
    question: LedgerQuestion,
    fromLive: (states: LedgerStates, answered: AnsweredView) => unknown = (states, answered) =>
      answerOf(states, profileId, answered.asOf, question),
  ): Promise<AnsweredView & { readonly value: T }> {
    this.profiles.get(profileId);
    const moment = asOf ? new Date(asOf) : this.now();
    const answer = await this.pointInTime.ask(moment, { live: !asOf }, profileId, question);
    const answered: AnsweredView = {
      profileId,
      asOf: moment.toISOString(),
      position: answer.position?.toString() ?? null,
    };
    const value = this.memo(questionKey(profileId, question), answered, () =>
      answer.folded ? answer.value : fromLive(answer.states, answered),
    ) as T;
    return { ...answered, value };
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
    return this.pointInTime.series(
      moments.map((m) => m.toISOString()),
      profileId,
    );
  }

  /** Proven low usage; `includeUnproven` adds the rest with their reason; `inactivityDays` asks what-if. */
  async lowUsage(profileId: string, asOf?: string, options: LowUsageOptions = {}) {
    const { value, ...answered } = await this.answer<ReturnType<typeof lowUsage>>(profileId, asOf, {
      kind: 'low-usage',
      options,
    });
    return { ...answered, items: value, key: lowUsageKey };
  }

  async downgradeAdvice(profileId: string, asOf?: string) {
    const { value, ...answered } = await this.answer<ReturnType<typeof downgradeAdvice>>(profileId, asOf, {
      kind: 'downgrade-advice',
    });
    return { ...answered, items: value, key: subscriptionKey };
  }

  /** Each environment's covered time and gaps as of T. */
  async coverage(profileId: string, asOf?: string) {
    const { value, ...answered } = await this.answer<ReturnType<typeof coverageItems>>(profileId, asOf, {
      kind: 'coverage',
    });
    return { ...answered, items: value, key: (i: { environmentUrl: string }) => i.environmentUrl };
  }

  async subscriptions(profileId: string, filter: { userId?: string; skuPartNumber?: string }, asOf?: string) {
    const { value: all, ...answered } = await this.answer<ReturnType<typeof subscriptionRows>>(profileId, asOf, {
      kind: 'subscriptions',
    });
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
    const { value: items, ...answered } = await this.answer<ReturnType<typeof consolidation>>(profileId, asOf, {
      kind: 'consolidation',
    });
    return { ...answered, items, totals: consolidationTotals(items), key: (i: { userId: string }) => i.userId };
  }

  async licensePosition(profileId: string, asOf?: string) {
    const { value: items, ...answered } = await this.answer<ReturnType<typeof licensePosition>>(profileId, asOf, {
      kind: 'license-position',
    });
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
    const reclaimed = reclaimedLicenses(this.runner.state(reclamationsProjection), profileId);
    const { value, ...answered } = await this.answer<{ found: SavingsFound; realised: SavingsRealised }>(
      profileId,
      asOf,
      { kind: 'savings', reclaimed, since: since ? new Date(since).toISOString() : null },
      // From the live read models, the lists the other questions keep are reused.
      (states, at) => {
        const view = viewOf(states, profileId, new Date(at.asOf));
        return {
          found: savingsFound(
            this.memo(questionKey(profileId, { kind: 'low-usage', options: {} }), at, () => lowUsage(view, at.asOf)),
            this.memo(questionKey(profileId, { kind: 'consolidation' }), at, () => consolidation(view)),
            this.memo(questionKey(profileId, { kind: 'downgrade-advice' }), at, () => downgradeAdvice(view, at.asOf)),
          ),
          realised: savingsRealised(view, reclaimed, since ? new Date(since).toISOString() : null, at.asOf),
        };
      },
    );
    return { asOf: answered.asOf, position: answered.position, found: value.found, realised: value.realised };
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
    const family = `${what}|`;
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
