import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../auth/actor';
import { Caller, Roles } from '../auth/decorators';
import { UuidParam } from '../common/uuid-param';
import { ApiProblems } from '../openapi/problems';
import { DecideObjectionDto, FileObjectionDto, ObjectionsQueryDto } from './dto/objection.dto';
import { ObjectionListResponseDto, ObjectionResponseDto } from './dto/objection-response.dto';
import { ObjectionsService } from './objections.service';

const ObjectionIdParam = () => ApiParam({ name: 'id', format: 'uuid', description: 'The objection’s id' });

@ApiTags('Objections')
@Controller('v1')
export class ObjectionsController {
  constructor(private readonly objections: ObjectionsService) {}

  @Post('links/:id/objections')
  @Roles('marketplace')
  @ApiParam({ name: 'id', format: 'uuid', description: 'The link’s id' })
  @ApiOperation({
    summary: 'Object to a link, for the ministry that notified it to decide',
    description:
      'A pending, acknowledged or taken-down link of the caller’s own marketplaces, notified by a ministry’s batch. ' +
      'Objecting to an open link stops its clock until the decision, which moves dueAt on by the time paused. One ' +
      'objection is open at a time; a link has at most OBJECTIONS_PER_LINK (default 3).',
  })
  @ApiCreatedResponse({ type: ObjectionResponseDto, description: 'The objection, open' })
  @ApiProblems(
    [404, 'No such link, or not one of the calling marketplace’s'],
    [
      409,
      'The link is final (not found, rejected, withdrawn, reinstated), its marketplace reported it (no ministry ' +
        'to decide), an objection to it is open, or it has had as many as a link may',
    ],
  )
  file(
    @Caller() caller: Actor,
    @UuidParam('id') linkId: string,
    @Body() dto: FileObjectionDto,
  ): Promise<ObjectionResponseDto> {
    return this.objections.file(caller, linkId, dto);
  }

  @Post('objections/:id/decision')
  @Roles('ministry')
  @HttpCode(200)
  @ObjectionIdParam()
  @ApiOperation({
    summary: 'Decide an objection to a link the calling ministry notified (once)',
    description:
      'upheld withdraws an open link and reinstates a taken-down one (reinstated is final and reached only this ' +
      'way); rejected leaves the link as it is. Either way a paused clock runs again, dueAt moved on by pausedMs.',
  })
  @ApiOkResponse({ type: ObjectionResponseDto, description: 'The objection, decided' })
  @ApiProblems([403, 'Another ministry notified the link'], 404, [409, 'The objection is decided already'])
  decide(
    @Caller() caller: Actor,
    @UuidParam('id') id: string,
    @Body() dto: DecideObjectionDto,
  ): Promise<ObjectionResponseDto> {
    return this.objections.decide(caller, id, dto);
  }

  @Get('objections')
  @Roles('operator', 'ministry', 'marketplace', 'association')
  @ApiOperation({
    summary: 'Objections to links, newest first',
    description: 'A marketplace reads the objections to its own links; the others read all.',
  })
  @ApiOkResponse({ type: ObjectionListResponseDto })
  list(@Caller() caller: Actor, @Query() query: ObjectionsQueryDto): Promise<ObjectionListResponseDto> {
    return this.objections.list(caller, query);
  }

  @Get('objections/:id')
  @Roles('operator', 'ministry', 'marketplace', 'association')
  @ObjectionIdParam()
  @ApiOperation({ summary: 'An objection to a link, with its decision once there is one' })
  @ApiOkResponse({ type: ObjectionResponseDto })
  @ApiProblems([404, 'No such objection, or not to one of the calling marketplace’s links'])
  get(@Caller() caller: Actor, @UuidParam('id') id: string): Promise<ObjectionResponseDto> {
    return this.objections.get(caller, id);
  }
}
