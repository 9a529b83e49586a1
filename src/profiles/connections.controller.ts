import { Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiExcludeEndpoint, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { CommandContext } from '../application/command-context';
import type { ConnectionName } from '../domain/profile/profile.events';
import { AllowAccess } from '../http/access';
import { Caller } from '../http/command-context.decorator';
import { notFound } from '../shared/domain-error';
import { DelegatedSignIn } from './delegated-sign-in';
import { ProfileId } from './profiles.controller';
import { ValidateProfile } from './validate-profile.command';

const connectionName = (value: string): ConnectionName => {
  if (value !== 'subscription' && value !== 'activity') throw notFound('connection', value);
  return value;
};

@ApiTags('profiles')
@ApiBearerAuth()
@Controller()
export class ConnectionsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly signIn: DelegatedSignIn,
  ) {}

  @Post('profiles/:id/validate')
  @HttpCode(200)
  @AllowAccess('command')
  @ApiOperation({
    summary: 'Check the download-subscriptions and calculate-activity calls with the stored connections',
  })
  validate(@ProfileId() id: string, @Caller() caller: CommandContext) {
    return this.commands.execute(new ValidateProfile(id, caller));
  }

  @Get('profiles/:id/connections/:connection/authorize')
  @AllowAccess('command')
  @ApiOperation({
    summary: "Delegated connections: redirects (302) to Microsoft's sign-in; open the Location in a browser",
  })
  async authorize(
    @ProfileId() id: string,
    @Param('connection') connection: string,
    @Caller() caller: CommandContext,
    @Res() response: Response,
  ) {
    const location = await this.signIn.start(id, connectionName(connection), caller);
    response.redirect(302, location);
  }

  @Get('oauth/callback')
  @AllowAccess('public')
  @ApiExcludeEndpoint()
  callback(@Query() query: Record<string, string>) {
    return this.signIn.complete({
      code: query.code,
      state: query.state,
      error: query.error,
      error_description: query.error_description,
    });
  }
}
