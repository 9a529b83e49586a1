import { Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiExcludeEndpoint, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { CommandContext } from '../application/command-context';
import type { ConnectionName } from '../domain/profile/profile.events';
import { AllowAccess } from '../http/access';
import { Caller } from '../http/command-context.decorator';
import { DomainError, invalid, notFound } from '../shared/domain-error';
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
    summary:
      "Delegated connections: redirects (302) to Microsoft's sign-in; open the Location in a browser. " +
      'With `Accept: application/json` it answers 200 `{ location }` instead (a page that holds the key in a header, such as the console, then opens it); ' +
      "`returnTo=console` brings the browser back to the console's profile page when the sign-in ends",
  })
  @ApiQuery({ name: 'returnTo', required: false, enum: ['console'] })
  async authorize(
    @ProfileId() id: string,
    @Param('connection') connection: string,
    @Query('returnTo') returnTo: unknown,
    @Caller() caller: CommandContext,
    @Req() request: Request,
    @Res() response: Response,
  ) {
    if (returnTo !== undefined && returnTo !== 'console')
      throw invalid('invalid-return-to', 'returnTo may only be "console"');
    const location = await this.signIn.start(id, connectionName(connection), caller, {
      returnToConsole: returnTo === 'console',
    });
    // curl and browsers (Accept: */* or text/html) get the redirect; a script that asks for JSON, the address.
    if (request.accepts(['text/html', 'application/json']) === 'application/json') response.json({ location });
    else response.redirect(302, location);
  }

  @Get('oauth/callback')
  @AllowAccess('public')
  @ApiExcludeEndpoint()
  async callback(@Query() query: Record<string, string>, @Res({ passthrough: true }) response: Response) {
    const toConsole = this.signIn.returnsToConsole(query.state);
    try {
      const done = await this.signIn.complete({
        code: query.code,
        state: query.state,
        error: query.error,
        error_description: query.error_description,
      });
      if (toConsole) return response.redirect(303, this.signIn.consoleUrl(done));
      return done;
    } catch (error) {
      // A sign-in started from the console ends there, with the reason; from the API, as problem+json.
      if (toConsole && error instanceof DomainError)
        return response.redirect(303, this.signIn.consoleUrl({ error: error.message }));
      throw error;
    }
  }
}
