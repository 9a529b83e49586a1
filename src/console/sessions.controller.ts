import { Body, Controller, Delete, Get, Headers, HttpCode, Post, Req, UnauthorizedException } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';
import { AllowAccess } from '../http/access';
import type { AuthenticatedRequest } from '../http/api-key.guard';
import { invalid } from '../shared/domain-error';
import { ConsoleSessions } from './console-sessions';
import { EntraSignIn } from './entra-sign-in';

export class MicrosoftSignInDto {
  @ApiProperty({ description: 'The authorization code Entra ID returned in the URL fragment' })
  @IsString()
  @Matches(/^[A-Za-z0-9._~-]{10,4000}$/, { message: 'is not an authorization code' })
  code!: string;

  @ApiProperty({ description: 'The state returned with it, as POST /sessions/microsoft issued it' })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{20,100}$/, { message: 'is not a sign-in state' })
  state!: string;
}

export class SignInLinkDto {
  @ApiProperty({ description: 'The code of a one-time sign-in link (the part after #sign-in=)' })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{20,100}$/, { message: 'is not a sign-in link code' })
  signInLink!: string;
}

const SESSION_SCHEMA = {
  type: 'object',
  required: ['token', 'role', 'keyId', 'expiresAt'],
  properties: {
    token: { type: 'string', description: 'Send as Authorization: Bearer <token>; keep it out of URLs' },
    role: { type: 'string', enum: ['admin', 'auditor'] },
    keyId: { type: 'string', description: 'The actor id that events record for this person' },
    expiresAt: { type: 'string', format: 'date-time' },
  },
};

/** People sign in to the console for a short-lived session; API keys stay for scripts. */
@ApiTags('console')
@Controller('sessions')
export class SessionsController {
  constructor(
    private readonly sessions: ConsoleSessions,
    private readonly entra: EntraSignIn,
  ) {}

  @Get('options')
  @AllowAccess('public')
  @ApiOperation({ summary: 'How people may sign in to the console besides an API key' })
  options() {
    return { microsoft: this.entra.enabled };
  }

  @Post('microsoft')
  @HttpCode(200)
  @AllowAccess('public')
  @ApiOperation({ summary: 'Start Sign in with Microsoft: where to send the browser (409 when not configured)' })
  async startMicrosoft() {
    return { authorizeUrl: await this.entra.start() };
  }

  @Post('microsoft/code')
  @AllowAccess('public')
  @ApiOperation({
    summary:
      "Finish Sign in with Microsoft: the code and state from the redirect for a session with the account's app role",
  })
  @ApiCreatedResponse({ schema: SESSION_SCHEMA })
  finishMicrosoft(@Body() body: MicrosoftSignInDto) {
    return this.entra.complete(body.code, body.state);
  }

  @Post()
  @AllowAccess('public')
  @ApiOperation({ summary: 'Exchange a one-time sign-in link for a short-lived session token' })
  @ApiCreatedResponse({ schema: SESSION_SCHEMA })
  create(@Body() body: SignInLinkDto) {
    const session = this.sessions.redeemSignInLink(body.signInLink);
    if (!session) throw new UnauthorizedException('the sign-in link is unknown, already used or expired');
    return session;
  }

  @Delete('current')
  @HttpCode(204)
  @AllowAccess('events')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Sign out: the session token presented stops working at once (400 for an API key)' })
  close(@Headers('authorization') authorization: string, @Req() request: AuthenticatedRequest) {
    // An API key is configuration, not a session: it cannot be signed out.
    if (request.actor?.kind === 'api-key')
      throw invalid('not-a-session', 'an API key is not a session: only a session token can be signed out');
    const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
    if (token) this.sessions.close(token);
  }
}
