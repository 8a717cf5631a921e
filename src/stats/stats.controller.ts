import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../auth/actor';
import { Caller, Roles } from '../auth/decorators';
import { CSV_CELLS_NOTE, JsonOrCsv, NEGOTIATION_NOTE } from '../common/csv-negotiation';
import { StatsQueryDto } from './dto/stats-query.dto';
import { NotifierStatsListResponseDto, TakedownStatsResponseDto } from './dto/stats-response.dto';
import { TAKEDOWN_STATS_CSV } from './stats-csv';
import { StatsService } from './stats.service';

@ApiTags('Statistics')
@Controller('v1/stats')
export class StatsController {
  constructor(private readonly stats: StatsService) {}

  @Get('takedowns')
  @Roles('operator', 'ministry', 'marketplace', 'association')
  @ApiOperation({
    summary:
      'Per marketplace: links received, by status, overdue, relisted, median and p90 hours to takedown',
    description:
      'A marketplace sees only the marketplaces it runs.\n\n' +
      '**CSV**: with `Accept: text/csv` the same figures come as `text/csv` with a header row, one row per ' +
      'marketplace: `from` and `to` (the period asked for, empty when open) on every row, then the marketplace’s ' +
      'fields, `byStatus` as one column per status (`byStatus.pending`, …). ' +
      CSV_CELLS_NOTE +
      ' ' +
      NEGOTIATION_NOTE,
  })
  @JsonOrCsv(
    TakedownStatsResponseDto,
    TAKEDOWN_STATS_CSV,
    'The statistics: JSON, or with `Accept: text/csv` one CSV row per marketplace',
  )
  takedowns(@Caller() caller: Actor, @Query() query: StatsQueryDto): Promise<TakedownStatsResponseDto> {
    return this.stats.takedowns(caller, query);
  }

  @Get('notifiers')
  @Roles('operator', 'ministry', 'association')
  @ApiOperation({
    summary:
      'Per notifying ministry: links notified and co-notified, accuracy, objections upheld, median hours',
    description:
      'Over the links created in the period (`from`, `to`) that each ministry’s batches opened: `accuracy` is ' +
      'taken down ÷ decided (decided: taken down, not found, rejected or reinstated; withdrawn and open links are ' +
      'not decided), `objections` those filed to its links and `objectionsUpheld` those it upheld. Links it ' +
      'co-notified are counted in `coNotified` only. Every ministry is listed, with zeros when it notified nothing.',
  })
  @ApiOkResponse({ type: NotifierStatsListResponseDto })
  notifiers(@Query() query: StatsQueryDto): Promise<NotifierStatsListResponseDto> {
    return this.stats.notifiers(query);
  }
}
