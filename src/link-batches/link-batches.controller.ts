import { applyDecorators, Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Actor } from '../auth/actor';
import { Caller, Roles } from '../auth/decorators';
import { Accepts } from '../common/media-type.guard';
import { UuidParam } from '../common/uuid-param';
import { ApiProblems, type ProblemStatus } from '../openapi/problems';
import { CancelBatchDto, CreateLinkBatchDto, ListBatchesQueryDto } from './dto/link-batch.dto';
import { LinkBatchDetailDto, LinkBatchIntakeDto, LinkBatchPageDto } from './dto/link-batch-response.dto';
import { LinkBatchBody, LinkBatchSubmission } from './link-batch-body.pipe';
import { LinkBatchesService } from './link-batches.service';
import { LinkIntakeService } from './link-intake.service';

const BATCH_ID = ApiParam({ name: 'id', format: 'uuid', description: 'The link batch' });
const BATCH_NOT_FOUND: [ProblemStatus, string] = [
  404,
  'No such batch, or (for a marketplace) none of its links are in it',
];

const CSV_EXAMPLE =
  'url;note;keywords;Penjual\r\nhttps://shopee.co.id/Kemeja-Flanel-i.123456.2345678901;seen twice;bal;tokothrift\r\n';

/** A CSV batch's fields, which travel in the query string; a JSON batch carries them in its body instead. */
const CSV_QUERY = applyDecorators(
  ApiQuery({
    name: 'reference',
    required: false,
    schema: { type: 'string', minLength: 1, maxLength: 200 },
    description: 'With a text/csv body: required. With JSON: not allowed (it goes in the body).',
  }),
  ApiQuery({
    name: 'legalBasis',
    required: false,
    schema: { type: 'string', minLength: 1, maxLength: 500 },
    description: 'With a text/csv body: required. With JSON: not allowed.',
  }),
  ApiQuery({ name: 'category', required: false, schema: { type: 'string', minLength: 1, maxLength: 100 } }),
  ApiQuery({ name: 'note', required: false, schema: { type: 'string', minLength: 1, maxLength: 2000 } }),
  ApiQuery({
    name: 'dueAt',
    required: false,
    schema: { type: 'string', format: 'date-time' },
    description: 'Due time of every link; default: now + the marketplace SLA',
  }),
);

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
  @ApiExtraModels(CreateLinkBatchDto)
  @ApiOperation({
    summary: 'Submit a batch of links',
    description:
      'Atomic. JSON carries the batch in its body; text/csv carries one link per row (header `url`, optionally `note` and `keywords` separated by `;`; comma- or semicolon-separated, detected from the header; other columns are ignored and named in `ignoredColumns`) and the batch fields as query parameters. Each link is canonicalised and routed to its marketplace; the answer lists per item what was rejected, duplicated or relisted. 422 if no link is accepted.',
    requestBody: {
      required: true,
      content: {
        'application/json': { schema: { $ref: getSchemaPath(CreateLinkBatchDto) } },
        'text/csv': {
          schema: { type: 'string', description: 'UTF-8, an optional byte order mark, LF or CRLF' },
          example: CSV_EXAMPLE,
        },
      },
    },
  })
  @CSV_QUERY
  @ApiCreatedResponse({
    type: LinkBatchIntakeDto,
    description: 'The batch as created, with per-item outcomes',
  })
  @ApiProblems(
    [
      400,
      'The body or the query is malformed: a CSV that cannot be read, a missing field, a due time not in the future',
    ],
    [422, 'No link of the batch was accepted (or the Idempotency-Key was used with another body)'],
    [415, 'The body is neither application/json nor text/csv'],
  )
  submit(@Caller() caller: Actor, @LinkBatchBody() batch: LinkBatchSubmission): Promise<LinkBatchIntakeDto> {
    return this.intake.submit(caller, batch);
  }

  @Get()
  @Roles('operator', 'ministry', 'marketplace', 'association')
  @ApiOperation({
    summary: 'List link batches',
    description: 'Newest first, paged by `cursor`. A marketplace sees only batches holding its links.',
  })
  @ApiOkResponse({ type: LinkBatchPageDto })
  list(@Caller() caller: Actor, @Query() query: ListBatchesQueryDto): Promise<LinkBatchPageDto> {
    return this.batches.list(caller, query);
  }

  @Get(':id')
  @Roles('operator', 'ministry', 'marketplace', 'association')
  @BATCH_ID
  @ApiOperation({
    summary: 'Get a link batch',
    description:
      'With its links counted by status, in total and per marketplace; a marketplace sees only its own part.',
  })
  @ApiOkResponse({ type: LinkBatchDetailDto })
  @ApiProblems(BATCH_NOT_FOUND)
  get(@Caller() caller: Actor, @UuidParam('id') id: string): Promise<LinkBatchDetailDto> {
    return this.batches.get(caller, id);
  }

  @Post(':id/cancel')
  @Roles('ministry')
  @HttpCode(200)
  @BATCH_ID
  @ApiOperation({
    summary: 'Cancel a link batch',
    description: 'Withdraws every link not yet final and answers the batch as it now is.',
  })
  @ApiOkResponse({ type: LinkBatchDetailDto, description: 'The batch, cancelled' })
  @ApiProblems(BATCH_NOT_FOUND, [409, 'The batch is already cancelled, or the Idempotency-Key is in use'])
  cancel(
    @Caller() caller: Actor,
    @UuidParam('id') id: string,
    @Body() dto: CancelBatchDto,
  ): Promise<LinkBatchDetailDto> {
    return this.batches.cancel(caller, id, dto);
  }
}
