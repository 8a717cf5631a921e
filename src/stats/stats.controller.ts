import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../auth/actor';
import { Caller, Roles } from '../auth/decorators';
import { StatsQueryDto, StatsService } from './stats.service';

@ApiTags('Statistics')
@Controller('v1/stats')
export class StatsController {
  constructor(private readonly stats: StatsService) {}

  @Get('takedowns')
  @Roles('operator', 'ministry', 'marketplace', 'association')
  @ApiOperation({
    summary:
      'Per marketplace: links received, by status, overdue, relisted, median and p90 hours to takedown',
  })
  takedowns(@Caller() caller: Actor, @Query() query: StatsQueryDto) {
    return this.stats.takedowns(caller, query);
  }
}
