import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import type { ApiKey, Role } from '../config/config';
import type { Actor } from '../eventstore/event-store.port';
import { ACCESS_KEY, ROLES_FOR, type Access } from './access';

export interface AuthenticatedRequest extends Request {
  actor?: Actor;
}

/** People's short-lived bearer tokens (the console's sessions), checked when no API key matches. */
export interface SessionLookup {
  lookup(token: string): { readonly role: Role; readonly actor: Actor } | null;
}

/** Bearer API keys from SAM_API_KEYS, compared in constant time against every key; or a console session. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly digests: readonly { digest: Buffer; key: ApiKey }[];

  constructor(
    private readonly reflector: Reflector,
    keys: readonly ApiKey[],
    private readonly sessions?: SessionLookup,
  ) {
    this.digests = keys.map((key) => ({ digest: sha256(key.key), key }));
  }

  canActivate(context: ExecutionContext): boolean {
    const access =
      this.reflector.getAllAndOverride<Access | undefined>(ACCESS_KEY, [context.getHandler(), context.getClass()]) ??
      'command';
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const caller = this.caller(request.headers.authorization);
    if (access === 'public') {
      // Public routes may still be called with a key (e.g. keep requests): note who it is.
      if (caller) request.actor = caller.actor;
      return true;
    }
    if (!caller) throw new UnauthorizedException('a valid API key is required: Authorization: Bearer <key>');
    if (!ROLES_FOR[access].includes(caller.role)) {
      throw new ForbiddenException(
        `the ${caller.role} role may not ${access === 'command' ? 'issue commands' : 'read this resource'}`,
      );
    }
    request.actor = caller.actor;
    return true;
  }

  private caller(header: string | undefined): { role: Role; actor: Actor } | null {
    const presented = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1];
    if (!presented) return null;
    const key = this.match(presented);
    if (key) return { role: key.role, actor: { kind: 'api-key', id: key.id, role: key.role } };
    return this.sessions?.lookup(presented) ?? null;
  }

  private match(presented: string): ApiKey | null {
    const digest = sha256(presented);
    let found: ApiKey | null = null;
    // No early exit: the time taken does not depend on which key (if any) matched.
    for (const candidate of this.digests) {
      if (timingSafeEqual(candidate.digest, digest)) found = candidate.key;
    }
    return found;
  }
}

const sha256 = (value: string): Buffer => createHash('sha256').update(value).digest();
