import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { type Actor, ROLES } from '../auth/actor';
import { Caller, Roles } from '../auth/decorators';
import { UuidParam } from '../common/uuid-param';
import { AgenciesService } from './agencies.service';
import {
  AgencyView,
  CreateAgencyDto,
  CreateClientDto,
  CreatedClientView,
  ListAgenciesQueryDto,
  UpdateAgencyDto,
} from './dto/agency.dto';

@ApiTags('Agencies')
@Controller('v1/agencies')
export class AgenciesController {
  constructor(private readonly agencies: AgenciesService) {}

  @Post()
  @Roles('operator')
  @ApiOperation({ summary: 'Register an agency' })
  @ApiCreatedResponse({ type: AgencyView })
  create(@Caller() caller: Actor, @Body() dto: CreateAgencyDto) {
    return this.agencies.create(caller, dto);
  }

  @Get()
  @Roles(...ROLES)
  @ApiOperation({ summary: 'Agencies: all for operator and ministry, your own for everyone else' })
  list(@Caller() caller: Actor, @Query() query: ListAgenciesQueryDto) {
    return this.agencies.list(caller, query);
  }

  @Get(':id')
  @Roles(...ROLES)
  @ApiOkResponse({ type: AgencyView })
  @ApiNotFoundResponse()
  get(@Caller() caller: Actor, @UuidParam('id') id: string) {
    return this.agencies.get(caller, id);
  }

  @Patch(':id')
  @Roles('operator')
  @ApiOperation({ summary: 'Rename, suspend or reactivate an agency' })
  @ApiOkResponse({ type: AgencyView })
  update(@Caller() caller: Actor, @UuidParam('id') id: string, @Body() dto: UpdateAgencyDto) {
    return this.agencies.update(caller, id, dto);
  }

  @Post(':id/clients')
  @Roles('operator')
  @ApiOperation({ summary: 'Issue an API client; the secret is shown once' })
  @ApiCreatedResponse({ type: CreatedClientView })
  createClient(@Caller() caller: Actor, @UuidParam('id') id: string, @Body() dto: CreateClientDto) {
    return this.agencies.createClient(caller, id, dto);
  }

  @Get(':id/clients')
  @Roles(...ROLES)
  @ApiOperation({ summary: "An agency's API clients: any for the operator, your own agency's for others" })
  listClients(@Caller() caller: Actor, @UuidParam('id') id: string, @Query() query: ListAgenciesQueryDto) {
    return this.agencies.listClients(caller, id, query);
  }

  @Delete(':id/clients/:clientId')
  @Roles('operator')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an API client; its tokens stop working at once' })
  @ApiNoContentResponse()
  revokeClient(
    @Caller() caller: Actor,
    @UuidParam('id') id: string,
    @UuidParam('clientId') clientId: string,
  ) {
    return this.agencies.revokeClient(caller, id, clientId);
  }
}
