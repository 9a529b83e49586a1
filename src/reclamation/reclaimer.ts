import { Inject, Injectable } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CommandContext } from '../application/command-context';
import { CommandExecutor } from '../application/command-executor';
import type { Config } from '../config/config';
import { UpstreamError } from '../connectors';
import { CONFIG, LOGGER } from '../core/tokens';
import { licenseeDecider } from '../domain/licensee/licensee.decider';
import type { LicenseeState, Reclamation } from '../domain/licensee/licensee.state';
import {
  isSettled,
  licenseOf,
  reclaimInFlight,
  type ReclaimSubscription,
  type RecordReclaimOutcome,
} from '../domain/licensee/reclaim-subscription';
import { streamIds } from '../domain/stream-names';
import { ConcurrencyError } from '../eventstore/errors';
import { InstanceLease } from '../instance/instance-lease';
import type { Logger } from '../logging/logger';
import { ProfileConnectors } from '../microsoft/profile-connectors';
import type { ExistingProfile } from '../profiles/profile.view';
import { CLOCK, type Clock } from '../shared/clock';
import { askAgainIn, conflict, DomainError } from '../shared/domain-error';

export type ReclaimStatus = 'reclaimed' | 'blocked' | 'failed';

export interface ReclaimResult {
  readonly id: string;
  readonly status: ReclaimStatus;
  readonly detail: string;
}

type Outcome = Pick<RecordReclaimOutcome['data'], 'outcome' | 'cause' | 'message'>;

const POLL_MS = 250;
/** A request recorded before requests named their process is presumed cut short once this old. */
const UNNAMED_REQUEST_STALE_MS = 15 * 60_000;
const ATTEMPTS = 3;

/**
 * Carries out ReclaimSubscription for an admin's request or the workflow, safe under retries,
 * races and crashes:
 * - `ReclamationRequested` is recorded (against the licensee stream's revision, naming this
 *   process) before Graph assignLicense is called, then the outcome. The decider records no
 *   second request while one for the license is in flight, so of two instances only the one
 *   that recorded it calls Graph. A request that found the license held answers with the
 *   reclamation that took it while this one waited, not 404.
 * - In this process one call per subscription runs at a time: a second request, or a retry of
 *   the first, waits for its outcome (at most SAM_RECLAIM_WAIT_SECONDS, then 409 with
 *   Retry-After) and answers with it; a retry never records a failure of its own.
 * - A request whose process is gone (its instance lease released, expired or taken over) is
 *   settled by reading the user back from Graph: `reclaimed` if the license is gone, else
 *   `failed` (ReclamationSweeper does this at start and periodically).
 */
@Injectable()
export class Reclaimer {
  /** Per `profile|user|sku`: the reclaim this process is carrying out. */
  private readonly inFlight = new Map<string, { readonly reclamationId: string; readonly done: Promise<unknown> }>();

  constructor(
    private readonly commands: CommandExecutor,
    private readonly connectors: ProfileConnectors,
    private readonly lease: InstanceLease,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async reclaim(
    profile: ExistingProfile,
    command: ReclaimSubscription,
    context: CommandContext,
  ): Promise<ReclaimResult> {
    const { userId, reclamationId, sku } = command.data;
    const streamId = streamIds.licensee(profile.profileId, userId);
    // The license this request found when it first looked, and which of its reclamations had ended then.
    let first: { readonly skuId: string; readonly ended: ReadonlySet<string> } | null = null;
    for (let attempt = 1; ; attempt++) {
      const { state } = await this.commands.load(streamId, licenseeDecider);
      const before = state.reclamations.get(reclamationId);
      if (before && isSettled(before)) return resultOf(before);
      const skuId = before?.skuId ?? licenseOf(state, sku)?.skuId;
      if (skuId !== undefined) first ??= { skuId, ended: endedReclamations(state, skuId) };
      else if (first) {
        // Held when this request first looked, gone now: a concurrent request reclaimed it (another
        // instance's, whose Graph call ended while this one waited for the store). Its outcome is the answer.
        const meanwhile = reclaimedSince(state, first);
        if (meanwhile) return resultOf(meanwhile);
      }
      const key = skuId === undefined ? null : keyOf(profile.profileId, userId, skuId);
      const running = key === null ? undefined : this.inFlight.get(key);
      if (running) {
        await this.waitFor(running.reclamationId, running.done);
        // Another request for the same subscription: its outcome is the answer (this one recorded nothing).
        if (running.reclamationId !== reclamationId) {
          const joined = await this.settledResult(streamId, running.reclamationId);
          if (joined) return joined;
        }
        continue;
      }
      const pending = skuId === undefined ? undefined : reclaimInFlight(state, skuId);
      if (pending) return this.awaitOutcome(profile, userId, pending);

      // Nothing awaited between the look-up above and this entry: no second caller slips in.
      const done = this.request(profile, command, context, state);
      if (key !== null) {
        const ended = done.finally(() => this.inFlight.delete(key));
        ended.catch(() => undefined); // the caller below handles the failure; waiters only need the end
        this.inFlight.set(key, { reclamationId, done: ended });
      }
      try {
        return await done;
      } catch (error) {
        // The stream moved between reading and recording the request (a download, another instance): decide again.
        if (error instanceof ConcurrencyError && attempt < ATTEMPTS) continue;
        // The license went between the look-up and the decision: look again (a concurrent reclaim answers above).
        if (first && error instanceof DomainError && error.kind === 'not-found' && attempt < ATTEMPTS) continue;
        throw error;
      }
    }
  }

  /**
   * Settles a reclamation left `requested` by a process that is gone (a crash, a lost
   * instance); one still being carried out is left alone. Returns null when nothing was due.
   */
  async settleIfAbandoned(
    profile: ExistingProfile,
    userId: string,
    reclamationId: string,
  ): Promise<ReclaimResult | null> {
    const { state } = await this.commands.load(streamIds.licensee(profile.profileId, userId), licenseeDecider);
    const requested = state.reclamations.get(reclamationId);
    if (requested?.status !== 'requested') return null;
    if (!(await this.abandoned(profile.profileId, userId, requested))) return null;
    return this.settleFromGraph(profile, userId, requested);
  }

  private async request(
    profile: ExistingProfile,
    command: ReclaimSubscription,
    context: CommandContext,
    state: LicenseeState,
  ): Promise<ReclaimResult> {
    const { userId, reclamationId, sku } = command.data;
    const streamId = streamIds.licensee(profile.profileId, userId);
    const before = state.reclamations.get(reclamationId);
    const license = before ? state.licenses.get(before.skuId) : licenseOf(state, sku);
    const groupNames =
      license && license.assignedVia !== 'direct' ? await this.groupNames(profile, license.groupIds) : new Map();
    const requester = { instanceId: this.config.instanceId, leaseId: this.lease.leaseId };
    const recorded = await this.commands.execute(
      streamId,
      licenseeDecider,
      { ...command, data: { ...command.data, groupNames, requester } },
      context,
    );
    const decided = recorded.state.reclamations.get(reclamationId);
    if (decided?.status !== 'requested') {
      if (decided && isSettled(decided)) return resultOf(decided);
      // Another instance recorded its request for this license first: it calls Graph, this waits.
      const other = license && reclaimInFlight(recorded.state, license.skuId);
      if (other) return this.awaitOutcome(profile, userId, other);
      throw new Error(`reclamation ${reclamationId} was not recorded`);
    }

    let outcome: Outcome;
    try {
      // Inside the try: a secret that cannot be read fails this reclamation, it does not leave it requested.
      const { graph } = await this.connectors.clientsFor(profile);
      await graph.assignLicense(userId, { addLicenses: [], removeLicenses: [decided.skuId] });
      outcome = { outcome: 'reclaimed' };
    } catch (error) {
      const cause = error instanceof UpstreamError ? error.cause : 'internal';
      outcome = { outcome: 'failed', cause, message: (error as Error).message };
      this.logger.warn('reclaim failed', { profileId: profile.profileId, userId, skuId: decided.skuId, cause });
    }
    return this.recordOutcome(profile.profileId, userId, decided, outcome, context);
  }

  /** Another process's request (or one cut short): its outcome, or settle it if that process is gone. */
  private async awaitOutcome(profile: ExistingProfile, userId: string, pending: Reclamation): Promise<ReclaimResult> {
    const streamId = streamIds.licensee(profile.profileId, userId);
    const deadline = Date.now() + this.config.reclaimWaitMs;
    for (;;) {
      const settled = await this.settledResult(streamId, pending.id);
      if (settled) return settled;
      if (await this.abandoned(profile.profileId, userId, pending))
        return this.settleFromGraph(profile, userId, pending);
      if (Date.now() >= deadline) throw inProgress(pending.id);
      await sleep(POLL_MS);
    }
  }

  /** Waits for this process's call on the subscription, at most SAM_RECLAIM_WAIT_SECONDS; its failure is its caller's. */
  private async waitFor(reclamationId: string, done: Promise<unknown>): Promise<void> {
    const timer = new AbortController();
    const timedOut = sleep(this.config.reclaimWaitMs, 'timeout' as const, { signal: timer.signal }).catch(() => null);
    const finished = done.then(
      () => 'done' as const,
      () => 'done' as const,
    );
    const first = await Promise.race([finished, timedOut]);
    timer.abort();
    if (first === 'timeout') throw inProgress(reclamationId);
  }

  /** Whether the process that recorded this request can no longer be carrying it out. */
  private async abandoned(profileId: string, userId: string, requested: Reclamation): Promise<boolean> {
    if (this.inFlight.has(keyOf(profileId, userId, requested.skuId))) return false;
    const { requester, requestedAt } = requested;
    if (!requester)
      return requestedAt === null || this.clock.now().getTime() - Date.parse(requestedAt) > UNNAMED_REQUEST_STALE_MS;
    // This process, but not in flight here: an earlier life under the same lease cannot exist, so it ended unrecorded.
    if (requester.leaseId === this.lease.leaseId) return true;
    return !(await this.lease.isHeld(requester.instanceId, requester.leaseId));
  }

  /** Graph says whether the license is gone; recorded as the outcome of the request that was cut short. */
  private async settleFromGraph(profile: ExistingProfile, userId: string, requested: Reclamation) {
    const { graph } = await this.connectors.clientsFor(profile);
    const user = await graph.user(userId, ['id', 'assignedLicenses']);
    const stillHeld = (user.assignedLicenses ?? []).some((l) => l.skuId.toLowerCase() === requested.skuId);
    const outcome: Outcome = stillHeld
      ? {
          outcome: 'failed',
          cause: 'interrupted',
          message:
            'the attempt was cut short (the service stopped) and the license is still assigned; reclaim again with a new request',
        }
      : { outcome: 'reclaimed' };
    this.logger.info('settled a reclaim cut short', {
      profileId: profile.profileId,
      userId,
      reclamationId: requested.id,
      outcome: outcome.outcome,
    });
    const context: CommandContext = {
      actor: { kind: 'system', id: `reclaimer@${this.config.instanceId}` },
      correlationId: requested.id,
      causationId: null,
    };
    return this.recordOutcome(profile.profileId, userId, requested, outcome, context);
  }

  private async recordOutcome(
    profileId: string,
    userId: string,
    requested: Reclamation,
    outcome: Outcome,
    context: CommandContext,
  ): Promise<ReclaimResult> {
    const streamId = streamIds.licensee(profileId, userId);
    const command: RecordReclaimOutcome = {
      type: 'RecordReclaimOutcome',
      data: { reclamationId: requested.id, at: this.clock.now().toISOString(), ...outcome },
    };
    for (let attempt = 1; ; attempt++) {
      try {
        const recorded = await this.commands.execute(streamId, licenseeDecider, command, context);
        return resultOf(recorded.state.reclamations.get(requested.id) ?? requested);
      } catch (error) {
        // Another write to the user's stream at the same moment: the outcome is decided again on the new state.
        if (!(error instanceof ConcurrencyError) || attempt >= ATTEMPTS) throw error;
      }
    }
  }

  private async settledResult(streamId: string, reclamationId: string): Promise<ReclaimResult | null> {
    const { state } = await this.commands.load(streamId, licenseeDecider);
    const r = state.reclamations.get(reclamationId);
    return r && isSettled(r) ? resultOf(r) : null;
  }

  private async groupNames(profile: ExistingProfile, groupIds: readonly string[]): Promise<Map<string, string | null>> {
    const names = new Map<string, string | null>();
    // A secret that cannot be read leaves the names unknown here; the reclaim itself then fails with the reason.
    const graph = await this.connectors.clientsFor(profile).then(
      (clients) => clients.graph,
      () => null,
    );
    for (const id of groupIds) {
      if (!graph) {
        names.set(id, null);
        continue;
      }
      try {
        names.set(id, (await graph.group(id)).displayName);
      } catch {
        names.set(id, null); // GroupMember.Read.All may not be granted: the id still names the group
      }
    }
    return names;
  }
}

const keyOf = (profileId: string, userId: string, skuId: string) => `${profileId}|${userId}|${skuId}`;

const endedReclamations = (state: LicenseeState, skuId: string): ReadonlySet<string> =>
  new Set([...state.reclamations.values()].filter((r) => r.skuId === skuId && isSettled(r)).map((r) => r.id));

/** A reclamation of the license that has reclaimed it since `first` looked. */
function reclaimedSince(state: LicenseeState, first: { skuId: string; ended: ReadonlySet<string> }) {
  for (const r of state.reclamations.values())
    if (r.skuId === first.skuId && r.status === 'reclaimed' && !first.ended.has(r.id)) return r;
  return undefined;
}

const inProgress = (reclamationId: string) =>
  askAgainIn(
    conflict(
      'reclamation-in-progress',
      `reclamation ${reclamationId} of this subscription is still waiting for Microsoft Graph; ask again shortly for its outcome`,
    ),
    5,
  );

export function resultOf(r: Reclamation): ReclaimResult {
  const status: ReclaimStatus = r.status === 'reclaimed' || r.status === 'blocked' ? r.status : 'failed';
  return { id: r.id, status, detail: r.detail };
}
