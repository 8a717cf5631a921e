import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Actor } from '../auth/actor';
import { Caller, Roles } from '../auth/decorators';
import { Accepts } from '../common/media-type.guard';
import { UuidParam } from '../common/uuid-param';
import {
  BatchIntakeResult,
  CancelBatchDto,
  CreateLinkBatchDto,
  ListBatchesQueryDto,
} from './dto/link-batch.dto';
import { Page } from '../common/pagination';
import { BatchDetail, BatchView } from './batch-view';
import { LinkBatchBody, LinkBatchSubmission } from './link-batch-body.pipe';
import { LinkBatchesService } from './link-batches.service';
import { LinkIntakeService } from './link-intake.service';

@ApiTags('Link batches')
@Controller('v1/link-batches')
export class LinkBatchesController {
  constructor(
    private readonly intake: LinkIntakeService,
    private readonly batches: LinkBatchesService,
  ) {}

  @Post()
  @Roles('ministry')
  @Accepts('json', 'csv')
  @ApiOperation({
    summary: 'Submit a batch of links (JSON, or text/csv with reference and legalBasis as query parameters)',
    description:
      'Atomic. Each link is canonicalised and routed to its marketplace; per-item rejected, duplicates and relisted come back. 422 if no link is accepted.',
  })
  @ApiConsumes('application/json', 'text/csv')
  @ApiBody({ type: CreateLinkBatchDto })
  @ApiCreatedResponse({ description: 'The batch as created, with per-item outcomes' })
  @ApiUnprocessableEntityResponse({ description: 'No link was accepted' })
  submit(@Caller() caller: Actor, @LinkBatchBody() batch: LinkBatchSubmission): Promise<BatchIntakeResult> {
    return this.intake.submit(caller, batch);
  }

  @Get()
  @Roles('operator', 'ministry', 'marketplace', 'association')
  @ApiOperation({ summary: 'Batches, newest first; a marketplace sees only batches holding its links' })
  list(@Caller() caller: Actor, @Query() query: ListBatchesQueryDto): Promise<Page<BatchView>> {
    return this.batches.list(caller, query);
  }

  @Get(':id')
  @Roles('operator', 'ministry', 'marketplace', 'association')
  @ApiOperation({
    summary: 'A batch with status counts per marketplace; a marketplace sees only its own part',
  })
  get(@Caller() caller: Actor, @UuidParam('id') id: string): Promise<BatchDetail> {
    return this.batches.get(caller, id);
  }

  @Post(':id/cancel')
  @Roles('ministry')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel a batch: withdraws every link not yet final' })
  cancel(
    @Caller() caller: Actor,
    @UuidParam('id') id: string,
    @Body() dto: CancelBatchDto,
  ): Promise<BatchDetail> {
    return this.batches.cancel(caller, id, dto);
  }
}
