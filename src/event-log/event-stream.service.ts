import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { Response } from 'express';
import { APP_OPTIONS, LOGGER } from '../core/tokens';
import type { AppOptions } from '../core/app-options';
import { EVENT_STORE, type EventStore, type EventSubscription } from '../eventstore/event-store.port';
import type { Logger } from '../logging/logger';
import { toEnvelope } from './event-envelope';

/**
 * Server-Sent Events over the global log: `id:` is the global position, so the browser's
 * or client's automatic Last-Event-ID resumes exactly after the last event it saw.
 * Heartbeat comments keep proxies from closing an idle stream; every open stream is
 * ended cleanly when the service shuts down.
 */
@Injectable()
export class EventStreamService implements OnModuleDestroy {
  private readonly open = new Set<{ subscription: EventSubscription; response: Response }>();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(APP_OPTIONS) private readonly options: AppOptions,
  ) {}

  async stream(response: Response, after: bigint | null): Promise<void> {
    response.status(200);
    response.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    response.setHeader('Cache-Control', 'no-cache, no-transform');
    response.setHeader('Connection', 'keep-alive');
    response.setHeader('X-Accel-Buffering', 'no');
    response.flushHeaders();
    response.write(`retry: 2000\n: streaming events after ${after ?? 'the beginning'}\n\n`);

    const subscription = this.store.subscribeAll(after);
    const entry = { subscription, response };
    this.open.add(entry);
    const heartbeat = setInterval(() => response.write(': heartbeat\n\n'), this.options.sseHeartbeatMs ?? 15_000);
    const stop = () => void subscription.close();
    response.on('close', stop);
    try {
      for await (const event of subscription) {
        const frame = `id: ${event.position}\nevent: ${event.type}\ndata: ${JSON.stringify(toEnvelope(event))}\n\n`;
        if (!response.write(frame))
          await new Promise<void>((resolve) => response.once('drain', resolve).once('close', resolve));
        if (response.destroyed) break;
      }
    } catch (error) {
      this.logger.warn('event stream ended by a store error', { error });
    } finally {
      clearInterval(heartbeat);
      response.off('close', stop);
      this.open.delete(entry);
      if (!response.writableEnded) response.end();
    }
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all([...this.open].map(({ subscription }) => subscription.close()));
  }
}
