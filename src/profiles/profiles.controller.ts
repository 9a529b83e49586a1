import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CommandContext } from '../application/command-context';
import { AllowAccess } from '../http/access';
import { Caller } from '../http/command-context.decorator';
import { PageQuery, compareKeys, pageByKey } from '../http/pagination';
import { CreateExclusionRuleDto } from './exclusion-rule.dto';
import {
  AddExclusionRule,
  CreateProfile,
  PublishProfile,
  RemoveExclusionRule,
  UpdateProfile,
} from './profile.commands';
import { CreateProfileDto, UpdateProfileDto } from './profile.dto';
import { ProfileQueries } from './profile.queries';
import { invalid } from '../shared/domain-error';
import { profileView } from './profile.view';

export const ProfileId = () => Param('id', new ParseUUIDPipe({ exceptionFactory: () => profileIdProblem() }));

const profileIdProblem = () =>
  invalid('invalid-profile-id', 'the profile id is not a UUID', [{ field: 'id', problem: 'must be a UUID' }]);

@ApiTags('profiles')
@ApiBearerAuth()
@Controller('profiles')
export class ProfilesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: ProfileQueries,
  ) {}

  @Post()
  @AllowAccess('command')
  @ApiOperation({ summary: 'Create an integration profile (draft)' })
  async create(@Body() body: CreateProfileDto, @Caller() caller: CommandContext) {
    return profileView(await this.commands.execute(new CreateProfile(body, caller)));
  }

  @Get()
  @AllowAccess('read')
  list(@Query() query: PageQuery) {
    const page = this.queries.page(query);
    return { items: page.items.map(profileView), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @AllowAccess('read')
  get(@ProfileId() id: string) {
    return profileView(this.queries.get(id));
  }

  @Patch(':id')
  @AllowAccess('command')
  @ApiOperation({ summary: 'Change a profile; a connection, endpoint or downloadActivity change clears validation' })
  async update(@ProfileId() id: string, @Body() body: UpdateProfileDto, @Caller() caller: CommandContext) {
    return profileView(await this.commands.execute(new UpdateProfile(id, body, caller)));
  }

  @Post(':id/publish')
  @HttpCode(200)
  @AllowAccess('command')
  @ApiOperation({ summary: 'Publish a validated profile: its daily jobs start' })
  async publish(@ProfileId() id: string, @Caller() caller: CommandContext) {
    return profileView(await this.commands.execute(new PublishProfile(id, caller)));
  }

  @Get(':id/exclusion-rules')
  @AllowAccess('read')
  exclusionRules(@ProfileId() id: string, @Query() query: PageQuery) {
    const rules = [...this.queries.get(id).exclusionRules].sort((a, b) => compareKeys(a.id, b.id));
    return pageByKey(rules, (r) => r.id, query);
  }

  @Post(':id/exclusion-rules')
  @AllowAccess('command')
  @ApiOperation({ summary: 'Exclude subscriptions (by identifier or user) from cost and optimisation' })
  async addExclusionRule(
    @ProfileId() id: string,
    @Body() body: CreateExclusionRuleDto,
    @Caller() caller: CommandContext,
  ) {
    return this.commands.execute(
      new AddExclusionRule(id, { type: body.type, value: body.value, reason: body.reason ?? '' }, caller),
    );
  }

  @Delete(':id/exclusion-rules/:ruleId')
  @HttpCode(204)
  @AllowAccess('command')
  async removeExclusionRule(
    @ProfileId() id: string,
    @Param('ruleId') ruleId: string,
    @Caller() caller: CommandContext,
  ) {
    await this.commands.execute(new RemoveExclusionRule(id, ruleId, caller));
  }
}
