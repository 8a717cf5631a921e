import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../auth/actor';
import { Caller, Roles } from '../auth/decorators';
import { BulkItems, ItemsBody } from '../common/items-body';
import { UuidParam } from '../common/uuid-param';
import { ApiProblems } from '../openapi/problems';
import { CSV_CELLS_NOTE, JsonOrCsv, NEGOTIATION_NOTE } from '../common/csv-negotiation';
import {
  AcknowledgeLinksDto,
  AcknowledgementResultsResponseDto,
  ListLinksQueryDto,
  MAX_ACKS_PER_REQUEST,
  WithdrawLinkDto,
} from './dto/link.dto';
import { LinkDetailResponseDto, LinkListResponseDto, LinkResponseDto } from './dto/link-response.dto';
import { LINK_LIST_CSV } from './link-csv';
import { LinksService } from './links.service';

const LinkIdParam = () => ApiParam({ name: 'id', format: 'uuid', description: 'The link’s id' });

@ApiTags('Links')
@Controller('v1/links')
export class LinksController {
  constructor(private readonly links: LinksService) {}

  @Get()
  @Roles('operator', 'ministry', 'marketplace', 'association')
  @ApiOperation({
    summary: 'Links; a marketplace gets only its own (poll with updatedSince)',
    description:
      'Without updatedSince the links come in id order; with it, oldest change first.\n\n' +
      '**CSV**: with `Accept: text/csv` the same page comes as `text/csv` with a header row, one row per link. ' +
      'Nested fields are columns named by their path (`listing.title`, `repeatSeller.priorTakedowns`). ' +
      CSV_CELLS_NOTE +
      ' The next page travels in the `Link` response header (`<url>; rel="next"`, RFC 8288): that URL is this ' +
      'request with the next `cursor`; no `Link` header means the last page. ' +
      NEGOTIATION_NOTE,
  })
  @JsonOrCsv(
    LinkListResponseDto,
    LINK_LIST_CSV,
    'A page of links: JSON, or with `Accept: text/csv` the same page as CSV',
  )
  list(@Caller() caller: Actor, @Query() query: ListLinksQueryDto): Promise<LinkListResponseDto> {
    return this.links.list(caller, query);
  }

  @Post('acknowledgements')
  @Roles('marketplace')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Report what happened to links, 1 to 5,000 at a time; each item is judged on its own',
    description:
      'A bad item does not refuse the others: it gets ok: false and an error in its result. Reporting the status ' +
      'a link already has is accepted and changes nothing. Links of other marketplaces read as not_found.',
  })
  @ApiBody({ type: AcknowledgeLinksDto })
  @ApiOkResponse({ type: AcknowledgementResultsResponseDto, description: 'One result per item' })
  acknowledge(
    @Caller() caller: Actor,
    @ItemsBody(MAX_ACKS_PER_REQUEST) dto: BulkItems,
  ): Promise<AcknowledgementResultsResponseDto> {
    return this.links.acknowledge(caller, dto);
  }

  @Get(':id')
  @Roles('operator', 'ministry', 'marketplace', 'association')
  @LinkIdParam()
  @ApiOperation({ summary: 'A link with its history from the audit trail' })
  @ApiOkResponse({ type: LinkDetailResponseDto })
  @ApiProblems([404, 'No such link, or not one of the calling marketplace’s'])
  get(@Caller() caller: Actor, @UuidParam('id') id: string): Promise<LinkDetailResponseDto> {
    return this.links.get(caller, id);
  }

  @Post(':id/withdraw')
  @Roles('ministry')
  @HttpCode(200)
  @LinkIdParam()
  @ApiOperation({
    summary: 'Withdraw a pending or acknowledged link',
    description: 'Withdrawing a withdrawn link changes nothing and answers the link again.',
  })
  @ApiOkResponse({ type: LinkResponseDto, description: 'The link as withdrawn' })
  @ApiProblems(404, [409, 'The link is final (taken down, not found or rejected): it cannot be withdrawn'])
  withdraw(
    @Caller() caller: Actor,
    @UuidParam('id') id: string,
    @Body() dto: WithdrawLinkDto,
  ): Promise<LinkResponseDto> {
    return this.links.withdraw(caller, id, dto);
  }
}
