import { Inject, Injectable } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { CommandExecutor } from '../application/command-executor';
import type { Config } from '../config/config';
import { CONFIG, LOGGER } from '../core/tokens';
import { instanceLeaseDecider, type InstanceLeaseCommand } from '../domain/instance/instance-lease.decider';
import type { LeaseHolder } from '../domain/instance/instance-lease.events';
import { streamIds } from '../domain/stream-names';
import { ConcurrencyError } from '../eventstore/errors';
import type { Logger } from '../logging/logger';
import { CLOCK, type Clock } from '../shared/clock';
import { DomainError } from '../shared/domain-error';
import { newId } from '../shared/ids';

/** A second start under an instance id that a live process holds: one line, for main to print. */
export class InstanceIdInUse extends Error {
  override readonly name = 'InstanceIdInUse';
}

/**
 * Holds this process's SAM_INSTANCE_ID in the event store (the `instance-{id}` stream), so
 * every instance sharing the store sees it: taken before anything else starts (job recovery
 * settles the claims of its own id as interrupted, which would fail a live twin's running
 * jobs), renewed every third of SAM_INSTANCE_LEASE_SECONDS, released on shutdown. A start
 * finding the id held and fresh refuses to run, unless the holder is provably gone: a
 * process on this host that no longer runs, a previous life with this very pid (a restarted
 * container), or a host that has rebooted since.
 */
@Injectable()
export class InstanceLease {
  private readonly holder: LeaseHolder = { leaseId: newId(), hostname: hostname(), pid: process.pid, bootId: bootId() };
  private readonly streamId: string;
  private timer: NodeJS.Timeout | null = null;
  private held = false;

  constructor(
    private readonly commands: CommandExecutor,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.streamId = streamIds.instance(config.instanceId);
  }

  /** Names this process's life: recorded with work another instance may need to judge (a reclaim in flight). */
  get leaseId(): string {
    return this.holder.leaseId;
  }

  /**
   * Whether the process that held `leaseId` under `instanceId` may still be running: its lease
   * is the current one and has not expired. Released, expired or taken over means it is gone.
   */
  async isHeld(instanceId: string, leaseId: string): Promise<boolean> {
    if (instanceId === this.config.instanceId && leaseId === this.holder.leaseId) return this.held;
    const { state } = await this.commands.load(streamIds.instance(instanceId), instanceLeaseDecider, {
      lastEventOnly: true,
    });
    return state.status === 'held' && state.holder.leaseId === leaseId && state.expiresAt > this.now();
  }

  /** Before anything else starts; throws InstanceIdInUse when a live process holds the id. */
  async take(): Promise<void> {
    try {
      await this.run((state) => ({
        type: 'TakeLease',
        data: {
          instanceId: this.config.instanceId,
          holder: this.holder,
          ...this.stamp(),
          holderGone: state.status === 'held' && isGone(state.holder, this.holder),
        },
      }));
    } catch (error) {
      if (error instanceof DomainError && error.code === 'instance-id-in-use') throw new InstanceIdInUse(error.message);
      throw error;
    }
    this.held = true;
    this.timer = setInterval(() => void this.renew(), Math.max(1_000, Math.floor(this.config.instanceLeaseMs / 3)));
    this.timer.unref();
  }

  /** After the jobs have stopped, before the store closes: the id is free at once for a restart. */
  async release(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (!this.held) return;
    this.held = false;
    try {
      await this.run(() => ({
        type: 'ReleaseLease',
        data: { instanceId: this.config.instanceId, leaseId: this.holder.leaseId, at: this.now() },
      }));
    } catch (error) {
      this.logger.warn('could not release the instance lease; it expires on its own', { error });
    }
  }

  private async renew(): Promise<void> {
    if (!this.held) return;
    try {
      await this.run(() => ({
        type: 'RenewLease',
        data: { instanceId: this.config.instanceId, holder: this.holder, ...this.stamp() },
      }));
    } catch (error) {
      if (error instanceof DomainError && error.code === 'instance-lease-lost') {
        this.held = false;
        if (this.timer) clearInterval(this.timer);
        this.logger.error('another process took over this SAM_INSTANCE_ID; this instance must be stopped', {
          instanceId: this.config.instanceId,
        });
        return;
      }
      this.logger.warn('could not renew the instance lease; will retry', { error });
    }
  }

  /** The last event says it all: decide on it and append against its revision; a race is decided again once. */
  private async run(
    command: (state: ReturnType<typeof instanceLeaseDecider.initialState>) => InstanceLeaseCommand,
  ): Promise<void> {
    const context = {
      actor: { kind: 'system' as const, id: `instance@${this.config.instanceId}` },
      correlationId: this.holder.leaseId,
      causationId: null,
    };
    for (let attempt = 0; ; attempt++) {
      try {
        const { state } = await this.commands.load(this.streamId, instanceLeaseDecider, { lastEventOnly: true });
        await this.commands.execute(this.streamId, instanceLeaseDecider, command(state), context, {
          lastEventOnly: true,
          // The lease is taken before the read models start, so nothing waits for them.
          waitForReadModels: false,
        });
        return;
      } catch (error) {
        if (!(error instanceof ConcurrencyError) || attempt > 0) throw error;
      }
    }
  }

  private now(): string {
    return this.clock.now().toISOString();
  }

  /** When a lease is taken or renewed, and when it expires: one reading of the clock, so the lease is exactly its length. */
  private stamp(): { at: string; expiresAt: string } {
    const at = this.clock.now().getTime();
    return { at: new Date(at).toISOString(), expiresAt: new Date(at + this.config.instanceLeaseMs).toISOString() };
  }
}

/** Whether the holder is a process that provably no longer runs: only knowable on the same host. */
function isGone(holder: LeaseHolder, me: LeaseHolder): boolean {
  if (holder.hostname !== me.hostname) return false;
  if (holder.bootId && me.bootId && holder.bootId !== me.bootId) return true;
  if (holder.pid === me.pid) return true; // an earlier life of this very process id: it cannot be running
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function bootId(): string | null {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || null;
  } catch {
    return null;
  }
}
