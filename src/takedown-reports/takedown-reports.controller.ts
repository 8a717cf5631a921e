import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../auth/actor';
import { Caller, Roles } from '../auth/decorators';
import { BulkItems, ItemsBody } from '../common/items-body';
import {
  FileTakedownReportDto,
  MAX_REPORT_ITEMS,
  TakedownReportResponseDto,
} from './dto/takedown-report.dto';
import { TakedownReportsService } from './takedown-reports.service';

@ApiTags('Takedown reports')
@Controller('v1/takedown-reports')
export class TakedownReportsController {
  constructor(private readonly reports: TakedownReportsService) {}

  @Post()
  @Roles('marketplace')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Report listings the marketplace took down on its own initiative, 1 to 5,000 at a time',
    description:
      'Each accepted item becomes a link of the caller’s marketplace, already taken_down, with source marketplace, ' +
      'no batch and no due date. A bad item does not refuse the others: it gets ok: false and an error. A listing ' +
      'with an open link (open_link_exists) is acknowledged on that link instead; the same takedown reported again ' +
      '(same listing, same takenDownAt) is already_reported with the earlier link. When nothing is accepted nothing ' +
      'is written and reportId is null.',
  })
  @ApiBody({ type: FileTakedownReportDto })
  @ApiOkResponse({ type: TakedownReportResponseDto, description: 'One result per item' })
  file(
    @Caller() caller: Actor,
    @ItemsBody(MAX_REPORT_ITEMS) dto: BulkItems,
  ): Promise<TakedownReportResponseDto> {
    return this.reports.file(caller, dto);
  }
}
