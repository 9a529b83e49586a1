import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { Response } from 'express';
import { APP_OPTIONS, CONFIG, LOGGER, METRICS } from '../core/tokens';
import type { AppOptions } from '../core/app-options';
import type { Config } from '../config/config';
import type { Metrics } from '../observability/metrics';
import { DomainError } from '../shared/domain-error';
import { EVENT_STORE, type EventStore, type EventSubscription } from '../eventstore/event-store.port';
import type { Logger } from '../logging/logger';
import { toEnvelope } from './event-envelope';

const RETRY_AFTER_SECONDS = 5;

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
    @Inject(CONFIG) private readonly config: Config,
    @Inject(METRICS) private readonly metrics: Metrics,
  ) {}

  async stream(response: Response, after: bigint | null): Promise<void> {
    // Each stream holds a subscription and a socket for as long as the client likes: cap them.
    if (this.open.size >= this.config.sseMaxConnections) {
      this.metrics.sseRefused.inc();
      response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
      throw new DomainError(
        'unavailable',
        'too-many-streams',
        `${this.config.sseMaxConnections} event streams are open, the most this instance serves; retry later`,
      );
    }
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
    this.metrics.sseConnections.set(this.open.size);
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
      this.metrics.sseConnections.set(this.open.size);
      if (!response.writableEnded) response.end();
    }
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all([...this.open].map(({ subscription }) => subscription.close()));
  }
}
