import { Module } from '@nestjs/common';
import { ProfileConnectors } from './profile-connectors';

@Module({ providers: [ProfileConnectors], exports: [ProfileConnectors] })
export class MicrosoftModule {}
