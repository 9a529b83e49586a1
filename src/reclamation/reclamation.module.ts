import { Module } from '@nestjs/common';
import { LedgerModule } from '../ledger/ledger.module';
import { MicrosoftModule } from '../microsoft/microsoft.module';
import { ProfilesModule } from '../profiles/profiles.module';
import { Reclaimer } from './reclaimer';
import { RECLAMATION_COMMAND_HANDLERS } from './reclamation.commands';
import { ReclamationWorkflow } from './reclamation-workflow';
import { ReclamationsController } from './reclamations.controller';

@Module({
  imports: [ProfilesModule, MicrosoftModule, LedgerModule],
  controllers: [ReclamationsController],
  providers: [Reclaimer, ReclamationWorkflow, ...RECLAMATION_COMMAND_HANDLERS],
  exports: [ReclamationWorkflow],
})
export class ReclamationModule {}
