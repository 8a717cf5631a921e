import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../auth/actor';
import { Caller, Roles } from '../auth/decorators';
import { UuidParam } from '../common/uuid-param';
import { ApiProblems } from '../openapi/problems';
import { ClarificationsService } from './clarifications.service';
import { AnswerClarificationDto, AskClarificationDto, ClarificationsQueryDto } from './dto/clarification.dto';
import { ClarificationListResponseDto, ClarificationResponseDto } from './dto/clarification-response.dto';

const ClarificationIdParam = () =>
  ApiParam({ name: 'id', format: 'uuid', description: 'The clarification’s id' });

@ApiTags('Clarifications')
@Controller('v1')
export class ClarificationsController {
  constructor(private readonly clarifications: ClarificationsService) {}

  @Post('links/:id/clarifications')
  @Roles('marketplace')
  @ApiParam({ name: 'id', format: 'uuid', description: 'The link’s id' })
  @ApiOperation({
    summary: 'Ask the ministry that notified a link a question about it',
    description:
      'Asking is not objecting: the link keeps its status and its clock runs on. A pending, acknowledged or ' +
      'taken-down link of the caller’s own marketplaces, notified by a ministry’s batch.',
  })
  @ApiCreatedResponse({ type: ClarificationResponseDto, description: 'The question, open' })
  @ApiProblems(
    [404, 'No such link, or not one of the calling marketplace’s'],
    [
      409,
      'The link is final (not found, rejected, withdrawn), or its marketplace reported it (no ministry to ask)',
    ],
  )
  ask(
    @Caller() caller: Actor,
    @UuidParam('id') linkId: string,
    @Body() dto: AskClarificationDto,
  ): Promise<ClarificationResponseDto> {
    return this.clarifications.ask(caller, linkId, dto);
  }

  @Post('clarifications/:id/answer')
  @Roles('ministry')
  @HttpCode(200)
  @ClarificationIdParam()
  @ApiOperation({ summary: 'Answer a question about a link the calling ministry notified (once)' })
  @ApiOkResponse({ type: ClarificationResponseDto, description: 'The question, answered' })
  @ApiProblems([403, 'Another ministry notified the link'], 404, [409, 'The question is answered already'])
  answer(
    @Caller() caller: Actor,
    @UuidParam('id') id: string,
    @Body() dto: AnswerClarificationDto,
  ): Promise<ClarificationResponseDto> {
    return this.clarifications.answer(caller, id, dto);
  }

  @Get('clarifications')
  @Roles('operator', 'ministry', 'marketplace', 'association')
  @ApiOperation({
    summary: 'Questions about links, newest first',
    description: 'A marketplace reads the questions about its own links; the others read all.',
  })
  @ApiOkResponse({ type: ClarificationListResponseDto })
  list(
    @Caller() caller: Actor,
    @Query() query: ClarificationsQueryDto,
  ): Promise<ClarificationListResponseDto> {
    return this.clarifications.list(caller, query);
  }

  @Get('clarifications/:id')
  @Roles('operator', 'ministry', 'marketplace', 'association')
  @ClarificationIdParam()
  @ApiOperation({ summary: 'A question about a link, with its answer once there is one' })
  @ApiOkResponse({ type: ClarificationResponseDto })
  @ApiProblems([404, 'No such question, or not about one of the calling marketplace’s links'])
  get(@Caller() caller: Actor, @UuidParam('id') id: string): Promise<ClarificationResponseDto> {
    return this.clarifications.get(caller, id);
  }
}
