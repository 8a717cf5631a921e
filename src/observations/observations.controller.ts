import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../auth/actor';
import { Caller, Roles } from '../auth/decorators';
import { BulkItems, ItemsBody } from '../common/items-body';
import { MAX_OBSERVATION_ITEMS, ObservationResultsResponseDto, ObserveLinksDto } from './dto/observation.dto';
import { ObservationsService } from './observations.service';

@ApiTags('Observations')
@Controller('v1/observations')
export class ObservationsController {
  constructor(private readonly observations: ObservationsService) {}

  @Post()
  @Roles('ministry', 'marketplace')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Record looks at links’ listings (does the takedown stay down?), 1 to 5,000 at a time',
    description:
      'Observations are appended, never changed. Only the latest look at a link (by observedAt) moves it: online ' +
      'on a taken-down link sets reappeared (the status stays taken_down), offline or not_found clears it, ' +
      'redirected leaves it; an older look is recorded and changes nothing. A bad item does not refuse the others. ' +
      'A marketplace observes only its own links; others read as not_found. Links show lastObservation and ' +
      'reappeared; GET /v1/links?recheckDue=true lists the taken-down links due for a look.',
  })
  @ApiBody({ type: ObserveLinksDto })
  @ApiOkResponse({ type: ObservationResultsResponseDto, description: 'One result per item' })
  observe(
    @Caller() caller: Actor,
    @ItemsBody(MAX_OBSERVATION_ITEMS) dto: BulkItems,
  ): Promise<ObservationResultsResponseDto> {
    return this.observations.observe(caller, dto);
  }
}
