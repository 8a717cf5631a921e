import { Body, Controller, Get, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../auth/actor';
import { Caller, Roles } from '../auth/decorators';
import { UuidParam } from '../common/uuid-param';
import { ApiProblems } from '../openapi/problems';
import {
  CreateMarketplaceDto,
  ListMarketplacesQueryDto,
  MarketplaceListResponseDto,
  MarketplaceResponseDto,
  UpdateMarketplaceDto,
} from './dto/marketplace.dto';
import { MarketplacesService } from './marketplaces.service';

const MARKETPLACE_ID = ApiParam({ name: 'id', format: 'uuid', description: 'The marketplace' });

@ApiTags('Marketplaces')
@Controller('v1/marketplaces')
export class MarketplacesController {
  constructor(private readonly marketplaces: MarketplacesService) {}

  @Post()
  @Roles('operator')
  @ApiOperation({
    summary: 'Register a marketplace with its domains and takedown SLA',
    description:
      'The marketplace is run by an agency of type `marketplace`; its domains route submitted links to it, and its `code` selects the URL profile that extracts listing keys.',
  })
  @ApiCreatedResponse({ type: MarketplaceResponseDto, description: 'The new marketplace' })
  @ApiProblems(
    [
      409,
      'A marketplace with this code exists, one of the domains belongs to another marketplace, or the Idempotency-Key is in use',
    ],
    [
      422,
      '`agencyId` names no agency (AGENCY_NOT_FOUND) or one that is not a marketplace (AGENCY_NOT_MARKETPLACE), or the Idempotency-Key was used with another body',
    ],
  )
  create(@Caller() caller: Actor, @Body() dto: CreateMarketplaceDto): Promise<MarketplaceResponseDto> {
    return this.marketplaces.create(caller, dto);
  }

  // Not police: they file evidence requests and read their own, nothing else (API.md, parties and roles).
  @Get()
  @Roles('operator', 'ministry', 'marketplace', 'association')
  @ApiOperation({ summary: 'List marketplaces', description: 'Paged in code order by `cursor`.' })
  @ApiOkResponse({ type: MarketplaceListResponseDto })
  list(
    @Caller() caller: Actor,
    @Query() query: ListMarketplacesQueryDto,
  ): Promise<MarketplaceListResponseDto> {
    return this.marketplaces.list(caller, query);
  }

  @Get(':id')
  @Roles('operator', 'ministry', 'marketplace', 'association')
  @MARKETPLACE_ID
  @ApiOperation({ summary: 'Get a marketplace' })
  @ApiOkResponse({ type: MarketplaceResponseDto })
  @ApiProblems([404, 'No such marketplace'])
  get(@Caller() caller: Actor, @UuidParam('id') id: string): Promise<MarketplaceResponseDto> {
    return this.marketplaces.get(caller, id);
  }

  @Patch(':id')
  @Roles('operator')
  @MARKETPLACE_ID
  @ApiOperation({
    summary: "Change a marketplace's name, domains or takedown SLA",
    description:
      '`domains`, when given, replaces the whole list. An update that changes nothing writes no audit event.',
  })
  @ApiOkResponse({ type: MarketplaceResponseDto, description: 'The marketplace as it now is' })
  @ApiProblems(
    [404, 'No such marketplace'],
    [409, 'One of the domains belongs to another marketplace, or the Idempotency-Key is in use'],
  )
  update(
    @Caller() caller: Actor,
    @UuidParam('id') id: string,
    @Body() dto: UpdateMarketplaceDto,
  ): Promise<MarketplaceResponseDto> {
    return this.marketplaces.update(caller, id, dto);
  }
}
