import { Module } from '@nestjs/common';
import type { Config } from '../config/config';
import { CONFIG, SECRET_VAULT } from '../core/tokens';
import { CREDENTIALS, type CredentialStore } from '../credentials/credential.store';
import { KeyRing, VaultSigningKeyStore } from '../credentials/signing-keys';
import type { SecretVault } from '../credentials/vault';
import { LedgerModule } from '../ledger/ledger.module';
import { MicrosoftModule } from '../microsoft/microsoft.module';
import { ProfilesModule } from '../profiles/profiles.module';
import { CLOCK, type Clock } from '../shared/clock';
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
      inject: [SECRET_VAULT, CREDENTIALS, CONFIG, CLOCK],
      useFactory: (vault: SecretVault, credentials: CredentialStore, config: Config, clock: Clock) =>
        new KeyRing(
          // In the shared vault: a keep link signed by one instance is clicked on another.
          new VaultSigningKeyStore(vault, credentials),
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
