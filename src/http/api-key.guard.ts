import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  HttpException,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import type { Role } from '../config/config';
import type { Actor } from '../eventstore/event-store.port';
import { ACCESS_KEY, ROLES_FOR, type Access } from './access';
import { ApiKeys } from './api-keys';
import type { FailedAuthThrottle } from './failed-auth-throttle';
import type { RequestWithDeferredBodyError } from './json-body';

export interface AuthenticatedRequest extends Request {
  actor?: Actor;
}

/** People's short-lived bearer tokens (the console's sessions), checked when no API key matches. */
export interface SessionLookup {
  lookup(token: string): { readonly role: Role; readonly actor: Actor } | null;
}

/**
 * Bearer API keys from SAM_API_KEYS, compared in constant time against every key, or a
 * console session; wrong credentials are counted per client address and throttled.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeys,
    private readonly throttle: FailedAuthThrottle,
    private readonly sessions?: SessionLookup,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const access =
      this.reflector.getAllAndOverride<Access | undefined>(ACCESS_KEY, [context.getHandler(), context.getClass()]) ??
      'command';
    const request = context.switchToHttp().getRequest<AuthenticatedRequest & RequestWithDeferredBodyError>();
    const response = context.switchToHttp().getResponse<Response>();
    const address = request.ip ?? request.socket.remoteAddress ?? 'unknown';
    const presented = ApiKeys.presented(request.headers.authorization);
    if (presented !== null) {
      const blocked = this.throttle.blockedFor(address);
      if (blocked > 0) throw tooManyFailures(response, blocked);
    }
    const caller = this.caller(request.headers.authorization, presented);
    if (presented !== null && !caller) {
      const blocked = await this.throttle.recordFailure(address);
      if (blocked > 0) throw tooManyFailures(response, blocked);
    }
    if (access === 'public') {
      // Public routes may still be called with a key (e.g. keep requests): note who it is.
      if (caller) request.actor = caller.actor;
    } else {
      if (!caller) throw new UnauthorizedException('a valid API key is required: Authorization: Bearer <key>');
      if (!ROLES_FOR[access].includes(caller.role)) {
        throw new ForbiddenException(
          `the ${caller.role} role may not ${access === 'command' ? 'issue commands' : 'read this resource'}`,
        );
      }
      request.actor = caller.actor;
    }
    // The body of a request without a key was refused before anyone knew the route was public.
    if (request.deferredBodyError) throw request.deferredBodyError;
    return true;
  }

  private caller(header: string | undefined, presented: string | null): { role: Role; actor: Actor } | null {
    const key = this.keys.match(header);
    if (key) return { role: key.role, actor: { kind: 'api-key', id: key.id, role: key.role } };
    return presented === null ? null : (this.sessions?.lookup(presented) ?? null);
  }
}

function tooManyFailures(response: Response, retryAfterSeconds: number): HttpException {
  response.setHeader('Retry-After', String(retryAfterSeconds));
  return new HttpException(
    `too many requests with a wrong API key from this address; retry after ${retryAfterSeconds} s`,
    429,
  );
}
