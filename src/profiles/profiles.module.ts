import { Module } from '@nestjs/common';
import { MicrosoftModule } from '../microsoft/microsoft.module';
import { ConnectionsController } from './connections.controller';
import { DelegatedSignIn } from './delegated-sign-in';
import { ValidateProfileHandler } from './validate-profile.command';
import { PROFILE_COMMAND_HANDLERS } from './profile.commands';
import { ProfileQueries } from './profile.queries';
import { ProfilesController } from './profiles.controller';

@Module({
  imports: [MicrosoftModule],
  controllers: [ProfilesController, ConnectionsController],
  providers: [ProfileQueries, DelegatedSignIn, ValidateProfileHandler, ...PROFILE_COMMAND_HANDLERS],
  exports: [ProfileQueries],
})
export class ProfilesModule {}
