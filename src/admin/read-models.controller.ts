import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AllowAccess } from '../http/access';
import { ProjectionRunner } from '../projection-runner/projection-runner';
import { notFound } from '../shared/domain-error';

@ApiTags('operations')
@ApiBearerAuth()
@Controller('read-models')
export class ReadModelsController {
  constructor(private readonly runner: ProjectionRunner) {}

  @Get()
  @AllowAccess('read')
  @ApiOperation({ summary: 'Each read model with its checkpoint' })
  list() {
    return { items: this.runner.status(), nextCursor: null };
  }

  @Post(':name/rebuild')
  @HttpCode(200)
  @AllowAccess('command')
  @ApiOperation({ summary: 'Drop a read model and fold it again from position 0' })
  async rebuild(@Param('name') name: string) {
    const found = this.runner.status().find((p) => p.name === name);
    if (!found) throw notFound('read-model', name);
    await this.runner.rebuild(name);
    return this.runner.status().find((p) => p.name === name);
  }
}
