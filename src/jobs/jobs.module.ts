import { Module } from '@nestjs/common';
import { ProfilesModule } from '../profiles/profiles.module';
import { MicrosoftModule } from '../microsoft/microsoft.module';
import { DownloadSubscriptionsJob } from './download-subscriptions.job';
import { JOB_IMPLEMENTATIONS } from './job-implementation';
import { JobRunner } from './job-runner';
import { JobScheduler } from './job-scheduler';
import { JobsController } from './jobs.controller';
import { JobsLifecycle } from './jobs.lifecycle';
import { RecordSubscriptionSnapshotHandler } from './record-subscription-snapshot.handler';
import { RecordEnvironmentAuditHandler, RecordEnvironmentFailureHandler } from './record-environment.handler';
import { RecordUserActivityHandler } from './record-user-activity.handler';
import { RefreshActivityJob } from './refresh-activity.job';

@Module({
  imports: [ProfilesModule, MicrosoftModule],
  controllers: [JobsController],
  providers: [
    DownloadSubscriptionsJob,
    RefreshActivityJob,
    {
      provide: JOB_IMPLEMENTATIONS,
      inject: [DownloadSubscriptionsJob, RefreshActivityJob],
      useFactory: (...jobs: unknown[]) => jobs,
    },
    RecordSubscriptionSnapshotHandler,
    RecordUserActivityHandler,
    RecordEnvironmentAuditHandler,
    RecordEnvironmentFailureHandler,
    JobRunner,
    JobScheduler,
    JobsLifecycle,
  ],
  exports: [JobRunner, JobsLifecycle],
})
export class JobsModule {}
