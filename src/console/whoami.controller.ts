import { Controller, Get, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthenticatedRequest } from '../http/api-key.guard';
import { AllowAccess } from '../http/access';

/** Lets a client (the console first) tell what its key may do before it offers a control. */
@ApiTags('console')
@ApiBearerAuth()
@Controller('whoami')
@AllowAccess('events')
export class WhoamiController {
  @Get()
  @ApiOperation({ summary: "The caller's role and the non-secret fingerprint of its key (the actor id in events)" })
  @ApiOkResponse({
    schema: {
      type: 'object',
      required: ['role', 'keyId'],
      properties: {
        role: { type: 'string', enum: ['admin', 'auditor', 'consumer'] },
        keyId: { type: 'string', example: 'admin-3f1c2b9a0d4e' },
      },
    },
  })
  whoami(@Req() request: AuthenticatedRequest) {
    // The guard has set the actor for every non-public route.
    const actor = request.actor!;
    return { role: actor.role, keyId: actor.id };
  }
}
