import { Module } from '@nestjs/common';
import { Streams } from '../application/streams.service';
import { PROFILE_COMMAND_HANDLERS } from './profile.commands';
import { ProfileQueries } from './profile.queries';
import { ProfilesController } from './profiles.controller';

@Module({
  controllers: [ProfilesController],
  providers: [Streams, ProfileQueries, ...PROFILE_COMMAND_HANDLERS],
  exports: [ProfileQueries, Streams],
})
export class ProfilesModule {}
