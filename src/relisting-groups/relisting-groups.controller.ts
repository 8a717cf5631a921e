import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../auth/actor';
import { Caller, Roles } from '../auth/decorators';
import { UuidParam } from '../common/uuid-param';
import { ApiProblems } from '../openapi/problems';
import {
  DismissalResponseDto,
  DismissMemberDto,
  ListRelistingGroupsQueryDto,
  RelistingGroupListResponseDto,
  RelistingGroupResponseDto,
} from './dto/relisting-group.dto';
import { RelistingGroupsService } from './relisting-groups.service';

const GroupIdParam = () => ApiParam({ name: 'id', format: 'uuid', description: 'The relisting group’s id' });

@ApiTags('Relisting groups')
@Controller('v1/relisting-groups')
export class RelistingGroupsController {
  constructor(private readonly groups: RelistingGroupsService) {}

  @Get()
  @Roles('operator', 'ministry', 'association', 'marketplace')
  @ApiOperation({
    summary:
      'Links that matching tied together across marketplaces; a marketplace gets the groups with its links',
    description:
      'A marketplace sees its own links of a group in full; of other marketplaces’ links only the marketplace, ' +
      'status, first sighting and batch reference.',
  })
  @ApiOkResponse({ type: RelistingGroupListResponseDto })
  list(
    @Caller() caller: Actor,
    @Query() query: ListRelistingGroupsQueryDto,
  ): Promise<RelistingGroupListResponseDto> {
    return this.groups.list(caller, query);
  }

  @Get(':id')
  @Roles('operator', 'ministry', 'association', 'marketplace')
  @GroupIdParam()
  @ApiOperation({ summary: 'A relisting group' })
  @ApiOkResponse({ type: RelistingGroupResponseDto })
  @ApiProblems([404, 'No such group, or none with a link of the calling marketplace'])
  get(@Caller() caller: Actor, @UuidParam('id') id: string): Promise<RelistingGroupResponseDto> {
    return this.groups.get(caller, id);
  }

  @Post(':id/members/:linkId/dismiss')
  @Roles('ministry')
  @HttpCode(200)
  @GroupIdParam()
  @ApiParam({
    name: 'linkId',
    format: 'uuid',
    description: 'The member that is not a relisting of the others',
  })
  @ApiOperation({
    summary:
      'Take a link out of a group: it is not a relisting of the others, and matching never ties them again',
    description: 'A group left with fewer than two links is dissolved.',
  })
  @ApiOkResponse({ type: DismissalResponseDto, description: 'The group as it stands after' })
  @ApiProblems([404, 'No such group, or the link is not one of its members'])
  dismiss(
    @Caller() caller: Actor,
    @UuidParam('id') id: string,
    @UuidParam('linkId') linkId: string,
    @Body() dto: DismissMemberDto,
  ): Promise<DismissalResponseDto> {
    return this.groups.dismiss(caller, id, linkId, dto);
  }
}
