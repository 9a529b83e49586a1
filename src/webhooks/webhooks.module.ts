import { Global, Module } from '@nestjs/common';
import type { AppOptions } from '../core/app-options';
import { APP_OPTIONS, CONFIG } from '../core/tokens';
import type { Config } from '../config/config';
import { WebhookTargets } from './webhook-targets';

/** The SSRF guard for notice webhooks, shared by the profile commands (on save) and deliveries. */
@Global()
@Module({
  providers: [
    {
      provide: WebhookTargets,
      inject: [CONFIG, APP_OPTIONS],
      useFactory: (config: Config, options: AppOptions) =>
        new WebhookTargets(config.allowedWebhookHosts, options.webhookResolver),
    },
  ],
  exports: [WebhookTargets],
})
export class WebhooksModule {}
