import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { type Actor, ROLES } from '../auth/actor';
import { Caller, Roles } from '../auth/decorators';
import { UuidParam } from '../common/uuid-param';
import { ApiProblems, type ProblemStatus } from '../openapi/problems';
import { AgenciesService } from './agencies.service';
import {
  AgencyListResponseDto,
  AgencyResponseDto,
  ApiClientListResponseDto,
  CreateAgencyDto,
  CreateClientDto,
  CreatedApiClientResponseDto,
  ListAgenciesQueryDto,
  ListApiClientsQueryDto,
  UpdateAgencyDto,
} from './dto/agency.dto';

const AGENCY_ID = ApiParam({ name: 'id', format: 'uuid', description: 'The agency' });
const AGENCY_NOT_FOUND: [ProblemStatus, string] = [404, 'No such agency, or not one the caller may see'];

@ApiTags('Agencies')
@Controller('v1/agencies')
export class AgenciesController {
  constructor(private readonly agencies: AgenciesService) {}

  @Post()
  @Roles('operator')
  @ApiOperation({
    summary: 'Register an agency',
    description:
      "The agency's `type` is the role of every API client it will have. Registering writes `agency.created` to the audit trail.",
  })
  @ApiCreatedResponse({ type: AgencyResponseDto, description: 'The new agency, active' })
  @ApiProblems([409, 'An agency with this code already exists, or the Idempotency-Key is in use'])
  create(@Caller() caller: Actor, @Body() dto: CreateAgencyDto): Promise<AgencyResponseDto> {
    return this.agencies.create(caller, dto);
  }

  @Get()
  @Roles(...ROLES)
  @ApiOperation({
    summary: 'List agencies',
    description:
      'Operator and ministry see every agency; everyone else sees only their own. Paged in code order by `cursor`.',
  })
  @ApiOkResponse({ type: AgencyListResponseDto })
  list(@Caller() caller: Actor, @Query() query: ListAgenciesQueryDto): Promise<AgencyListResponseDto> {
    return this.agencies.list(caller, query);
  }

  @Get(':id')
  @Roles(...ROLES)
  @AGENCY_ID
  @ApiOperation({
    summary: 'Get an agency',
    description:
      "Operator and ministry may read any agency; everyone else only their own (another's is 404).",
  })
  @ApiOkResponse({ type: AgencyResponseDto })
  @ApiProblems(AGENCY_NOT_FOUND)
  get(@Caller() caller: Actor, @UuidParam('id') id: string): Promise<AgencyResponseDto> {
    return this.agencies.get(caller, id);
  }

  @Patch(':id')
  @Roles('operator')
  @AGENCY_ID
  @ApiOperation({
    summary: 'Rename, suspend or reactivate an agency',
    description:
      "A suspended agency's tokens are refused at once (401), not at their expiry. Each change writes one audit event; an update that changes nothing writes none.",
  })
  @ApiOkResponse({ type: AgencyResponseDto, description: 'The agency as it now is' })
  @ApiProblems(
    [404, 'No such agency'],
    [
      409,
      'The operator tried to suspend its own agency (AGENCY_SELF_SUSPENSION), or the Idempotency-Key is in use',
    ],
  )
  update(
    @Caller() caller: Actor,
    @UuidParam('id') id: string,
    @Body() dto: UpdateAgencyDto,
  ): Promise<AgencyResponseDto> {
    return this.agencies.update(caller, id, dto);
  }

  @Post(':id/clients')
  @Roles('operator')
  @AGENCY_ID
  @ApiOperation({
    summary: 'Issue an API client; the secret is shown once',
    description:
      'The response is the only time `clientSecret` is shown: the server stores a slow salted hash of it, so it cannot be read back. A lost secret means issuing a new client and revoking the old one. The client id and secret get tokens from POST /v1/auth/token.',
  })
  @ApiCreatedResponse({
    type: CreatedApiClientResponseDto,
    description: 'The new client with its secret (this once)',
  })
  @ApiProblems([404, 'No such agency'])
  createClient(
    @Caller() caller: Actor,
    @UuidParam('id') id: string,
    @Body() dto: CreateClientDto,
  ): Promise<CreatedApiClientResponseDto> {
    return this.agencies.createClient(caller, id, dto);
  }

  @Get(':id/clients')
  @Roles(...ROLES)
  @AGENCY_ID
  @ApiOperation({
    summary: "List an agency's API clients",
    description:
      "The operator may list any agency's clients; everyone else only their own agency's (another's is 404). Secrets are never listed.",
  })
  @ApiOkResponse({ type: ApiClientListResponseDto })
  @ApiProblems(AGENCY_NOT_FOUND)
  listClients(
    @Caller() caller: Actor,
    @UuidParam('id') id: string,
    @Query() query: ListApiClientsQueryDto,
  ): Promise<ApiClientListResponseDto> {
    return this.agencies.listClients(caller, id, query);
  }

  @Delete(':id/clients/:clientId')
  @Roles('operator')
  @HttpCode(204)
  @AGENCY_ID
  @ApiParam({ name: 'clientId', format: 'uuid', description: 'The API client' })
  @ApiOperation({
    summary: 'Revoke an API client',
    description:
      'Its tokens stop working at once, not at their expiry. Revoking a revoked client is a 204 that changes nothing.',
  })
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiProblems([404, 'No such API client of this agency'])
  revokeClient(
    @Caller() caller: Actor,
    @UuidParam('id') id: string,
    @UuidParam('clientId') clientId: string,
  ): Promise<void> {
    return this.agencies.revokeClient(caller, id, clientId);
  }
}
