import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../auth/actor';
import { Caller, Roles } from '../auth/decorators';
import { BulkItems, ItemsBody } from '../common/items-body';
import { ApiProblems } from '../openapi/problems';
import { MAX_SCREENING_ITEMS, ScreeningRequestDto, ScreeningResponseDto } from './dto/screening.dto';
import { ScreeningsService } from './screenings.service';

@ApiTags('Screenings')
@Controller('v1/screenings')
export class ScreeningsController {
  constructor(private readonly screenings: ScreeningsService) {}

  @Post()
  @Roles('marketplace', 'ministry')
  @HttpCode(200)
  @ApiOperation({
    summary: `Check up to ${MAX_SCREENING_ITEMS.toLocaleString('en')} listings against everything taken down, before they go live`,
    description:
      'Each item is matched by image hash, normalised title, seller and watchlist keyword. A marketplace sees ' +
      'matches against its own links in full; against other marketplaces’ links only the signal, its distance or ' +
      'similarity and the ministry’s batch reference. Nothing is written.',
  })
  @ApiBody({ type: ScreeningRequestDto })
  @ApiOkResponse({ type: ScreeningResponseDto, description: 'One result per item, in order' })
  @ApiProblems([
    503,
    'Too many large screenings (over 100 items) are running or waiting; retry after Retry-After',
  ])
  screen(
    @Caller() caller: Actor,
    @ItemsBody(MAX_SCREENING_ITEMS) dto: BulkItems,
  ): Promise<ScreeningResponseDto> {
    return this.screenings.screen(caller, dto);
  }
}
