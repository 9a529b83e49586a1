import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { EVENT_STORE, type EventStore } from '../eventstore/event-store.port';
import { AllowAccess } from '../http/access';
import { ProjectionRunner } from '../projection-runner/projection-runner';

const STORE_CHECK_MS = 2_000;

/**
 * Liveness: the process answers. Readiness: the store answers a read and takes a write now
 * (EventStore.probe, which adds no event), the read models have caught up, none is frozen,
 * and their subscription has not been refused for good.
 */
@ApiExcludeController()
@Controller('health')
@AllowAccess('public')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly runner: ProjectionRunner,
  ) {}

  @Get('live')
  @HttpCode(200)
  live() {
    return { status: 'live' };
  }

  @Get('ready')
  async ready(@Res({ passthrough: true }) response: Response) {
    const store = await this.checkStore();
    const caughtUp = this.runner.isCaughtUp();
    const projections = this.runner.status();
    const faulted = projections.filter((p) => p.faulted);
    const subscription = this.runner.failed();
    const ready = store.ok && caughtUp && faulted.length === 0 && subscription === null;
    response.status(ready ? 200 : 503);
    return {
      status: ready ? 'ready' : 'not-ready',
      store: store.ok
        ? { ok: true, kind: this.store.kind, head: store.head }
        : { ok: false, kind: this.store.kind, error: store.error },
      readModels: {
        caughtUp,
        position: this.runner.currentPosition()?.toString() ?? null,
        faulted: faulted.map((p) => p.name),
        ...(subscription ? { subscriptionFailed: subscription.message } : {}),
      },
    };
  }

  private async checkStore(): Promise<{ ok: true; head: string | null } | { ok: false; error: string }> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const head = await Promise.race([
        this.store.probe().then(() => this.store.headPosition()),
        new Promise<never>(
          (_, reject) => (timer = setTimeout(() => reject(new Error('no answer within 2 s')), STORE_CHECK_MS)),
        ),
      ]);
      return { ok: true, head: head?.toString() ?? null };
    } catch (error) {
      return { ok: false, error: (error as Error).message };
    } finally {
      clearTimeout(timer);
    }
  }
}
