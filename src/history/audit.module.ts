import { Module } from '@nestjs/common';
import { ExportsController } from '../exports/exports.controller';
import { LedgerModule } from '../ledger/ledger.module';
import { ProfilesModule } from '../profiles/profiles.module';
import { HistoryController } from './history.controller';

/** What compliance teams use: per-user and per-model history, and stamped exports. */
@Module({ imports: [ProfilesModule, LedgerModule], controllers: [HistoryController, ExportsController] })
export class AuditModule {}
