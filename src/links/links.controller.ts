import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../auth/actor';
import { Caller, Roles } from '../auth/decorators';
import { UuidParam } from '../common/uuid-param';
import { AcknowledgeLinksDto, ListLinksQueryDto, WithdrawLinkDto } from './dto/link.dto';
import { LinksService } from './links.service';

@ApiTags('Links')
@Controller('v1/links')
export class LinksController {
  constructor(private readonly links: LinksService) {}

  @Get()
  @Roles('operator', 'ministry', 'marketplace', 'association')
  @ApiOperation({ summary: 'Links; a marketplace gets only its own (poll with updatedSince)' })
  list(@Caller() caller: Actor, @Query() query: ListLinksQueryDto) {
    return this.links.list(caller, query);
  }

  @Post('acknowledgements')
  @Roles('marketplace')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Report what happened to links, 1 to 5,000 at a time; each item is judged on its own',
  })
  @ApiOkResponse({ description: '{results: [{linkId, ok, status, error?}]}' })
  acknowledge(@Caller() caller: Actor, @Body() dto: AcknowledgeLinksDto) {
    return this.links.acknowledge(caller, dto);
  }

  @Get(':id')
  @Roles('operator', 'ministry', 'marketplace', 'association')
  @ApiOperation({ summary: 'A link with its history from the audit trail' })
  get(@Caller() caller: Actor, @UuidParam('id') id: string) {
    return this.links.get(caller, id);
  }

  @Post(':id/withdraw')
  @Roles('ministry')
  @HttpCode(200)
  @ApiOperation({ summary: 'Withdraw a pending or acknowledged link' })
  withdraw(@Caller() caller: Actor, @UuidParam('id') id: string, @Body() dto: WithdrawLinkDto) {
    return this.links.withdraw(caller, id, dto);
  }
}
