import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { CommandContext } from '../application/command-context';
import { requestContext } from '../logging/request-context';
import { newId } from '../shared/ids';
import type { AuthenticatedRequest } from './api-key.guard';

/** The caller (from the API key) and the request id, for event metadata. */
export const Caller = createParamDecorator((_: unknown, context: ExecutionContext): CommandContext => {
  const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
  return {
    actor: request.actor ?? { kind: 'system', id: 'anonymous' },
    correlationId: requestContext.getStore()?.requestId ?? newId(),
    causationId: null,
  };
});
