import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ReadModelsController } from './admin/read-models.controller';
import type { AppOptions } from './core/app-options';
import { ConsoleModule } from './console/console.module';
import { CoreModule } from './core/core.module';
import { EventLogModule } from './event-log/event-log.module';
import { HealthController } from './health/health.controller';
import { AuditModule } from './history/audit.module';
import { JobsModule } from './jobs/jobs.module';
import { LedgerModule } from './ledger/ledger.module';
import { ObservabilityModule } from './observability/observability.module';
import { ProfilesModule } from './profiles/profiles.module';
import { ReclamationModule } from './reclamation/reclamation.module';
import { WebhooksModule } from './webhooks/webhooks.module';

@Module({})
export class AppModule {
  static forRoot(options: AppOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(options),
        CqrsModule.forRoot(),
        WebhooksModule,
        ObservabilityModule,
        EventLogModule,
        ProfilesModule,
        JobsModule,
        LedgerModule,
        ReclamationModule,
        AuditModule,
        ConsoleModule.forRoot(options.consoleDir),
      ],
      controllers: [HealthController, ReadModelsController],
    };
  }
}
