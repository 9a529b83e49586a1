import { Module } from '@nestjs/common';
import { ProfilesModule } from '../profiles/profiles.module';
import { LedgerController } from './ledger.controller';
import { LedgerQueries } from './ledger.queries';
import { OverviewController } from './overview.controller';
import { PointInTime } from './point-in-time';
import { RULE_COMMAND_HANDLERS } from './rules.commands';
import { RulesController } from './rules.controller';
import { SerializedPages } from './serialized-pages';

@Module({
  imports: [ProfilesModule],
  controllers: [LedgerController, RulesController, OverviewController],
  providers: [PointInTime, LedgerQueries, SerializedPages, ...RULE_COMMAND_HANDLERS],
  exports: [LedgerQueries, PointInTime],
})
export class LedgerModule {}
