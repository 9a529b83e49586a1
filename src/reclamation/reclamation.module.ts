import { Module } from '@nestjs/common';
import type { Config } from '../config/config';
import { CONFIG, SQLITE } from '../core/tokens';
import { CREDENTIALS, type CredentialStore } from '../credentials/credential.store';
import { CredentialSigningKeyStore, KeyRing } from '../credentials/signing-keys';
import { LedgerModule } from '../ledger/ledger.module';
import { MicrosoftModule } from '../microsoft/microsoft.module';
import { ProfilesModule } from '../profiles/profiles.module';
import { CLOCK, type Clock } from '../shared/clock';
import type { SqliteDatabase } from '../storage/sqlite-database';
import { KEEP_LINK_KEYS, KEEP_LINK_PURPOSE, KeepLinks, keepLinkKeyRetentionMs } from './keep-links';
import { Reclaimer } from './reclaimer';
import { RECLAMATION_COMMAND_HANDLERS } from './reclamation.commands';
import { ReclamationSweeper } from './reclamation-sweeper';
import { ReclamationWorkflow } from './reclamation-workflow';
import { ReclamationsController } from './reclamations.controller';

@Module({
  imports: [ProfilesModule, MicrosoftModule, LedgerModule],
  controllers: [ReclamationsController],
  providers: [
    {
      provide: KEEP_LINK_KEYS,
      inject: [SQLITE, CREDENTIALS, CONFIG, CLOCK],
      useFactory: (db: SqliteDatabase, credentials: CredentialStore, config: Config, clock: Clock) =>
        new KeyRing(
          new CredentialSigningKeyStore(db, credentials),
          KEEP_LINK_PURPOSE,
          {
            rotateAfterMs: config.keepKeyRotationDays * 86_400_000,
            verifyAfterRetirementMs: keepLinkKeyRetentionMs(config),
          },
          () => clock.now(),
        ),
    },
    KeepLinks,
    Reclaimer,
    ReclamationSweeper,
    ReclamationWorkflow,
    ...RECLAMATION_COMMAND_HANDLERS,
  ],
  exports: [ReclamationWorkflow, ReclamationSweeper],
})
export class ReclamationModule {}
