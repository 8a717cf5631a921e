import { Body, Controller, Get, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../auth/actor';
import { Caller, Roles } from '../auth/decorators';
import { UuidParam } from '../common/uuid-param';
import {
  CreateMarketplaceDto,
  ListMarketplacesQueryDto,
  MarketplaceView,
  UpdateMarketplaceDto,
} from './dto/marketplace.dto';
import { MarketplacesService } from './marketplaces.service';

@ApiTags('Marketplaces')
@Controller('v1/marketplaces')
export class MarketplacesController {
  constructor(private readonly marketplaces: MarketplacesService) {}

  @Post()
  @Roles('operator')
  @ApiOperation({ summary: 'Register a marketplace with its domains and takedown SLA' })
  @ApiCreatedResponse({ type: MarketplaceView })
  create(@Caller() caller: Actor, @Body() dto: CreateMarketplaceDto) {
    return this.marketplaces.create(caller, dto);
  }

  // Not police: they file evidence requests and read their own, nothing else (API.md, parties and roles).
  @Get()
  @Roles('operator', 'ministry', 'marketplace', 'association')
  list(@Caller() caller: Actor, @Query() query: ListMarketplacesQueryDto) {
    return this.marketplaces.list(caller, query);
  }

  @Get(':id')
  @Roles('operator', 'ministry', 'marketplace', 'association')
  @ApiOkResponse({ type: MarketplaceView })
  get(@Caller() caller: Actor, @UuidParam('id') id: string) {
    return this.marketplaces.get(caller, id);
  }

  @Patch(':id')
  @Roles('operator')
  @ApiOkResponse({ type: MarketplaceView })
  update(@Caller() caller: Actor, @UuidParam('id') id: string, @Body() dto: UpdateMarketplaceDto) {
    return this.marketplaces.update(caller, id, dto);
  }
}
