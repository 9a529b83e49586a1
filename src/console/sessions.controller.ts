import { Body, Controller, Delete, Headers, HttpCode, Post, Req, UnauthorizedException } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';
import { AllowAccess } from '../http/access';
import type { AuthenticatedRequest } from '../http/api-key.guard';
import { invalid } from '../shared/domain-error';
import { ConsoleSessions } from './console-sessions';

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
  constructor(private readonly sessions: ConsoleSessions) {}

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
