import { Body, Controller, Get, Head, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../auth/actor';
import { Caller, Roles } from '../auth/decorators';
import { UuidParam } from '../common/uuid-param';
import { ApiProblems, type ProblemStatus } from '../openapi/problems';
import {
  EvidenceAnswerDto,
  FileEvidenceRequestDto,
  ListEvidenceRequestLinksQueryDto,
  ListEvidenceRequestsQueryDto,
} from './dto/evidence-request.dto';
import {
  EvidenceRequestLinkListResponseDto,
  EvidenceRequestListResponseDto,
  EvidenceRequestResponseDto,
} from './dto/evidence-request-response.dto';
import { EvidenceExportService } from './evidence-export.service';
import { EvidenceRequestsService } from './evidence-requests.service';

const REQUEST_ID = ApiParam({ name: 'id', format: 'uuid', description: 'The evidence request' });
const NOT_FOUND: [ProblemStatus, string] = [404, 'No such request, or not one the caller may see'];
const EXPIRED: [ProblemStatus, string] = [
  410,
  'The request expired (EVIDENCE_REQUEST_EXPIRED): it and its audit events remain, nothing more is answered or exported',
];
const EXPORT_REFUSALS = [
  [404, 'No such request filed by the caller’s agency'],
  [409, 'The request is not ready (EVIDENCE_NOT_READY): answers are awaited, all declined, or it is closed'],
  EXPIRED,
] satisfies [ProblemStatus, string][];

/** The package as it is downloaded; a HEAD answers with the same status and type and no body. */
const ZIP = { 'application/zip': { schema: { type: 'string', format: 'binary' } } };

@ApiTags('Evidence requests')
@Controller('v1/evidence-requests')
export class EvidenceRequestsController {
  constructor(
    private readonly requests: EvidenceRequestsService,
    private readonly exports: EvidenceExportService,
  ) {}

  @Post()
  @Roles('police')
  @ApiOperation({
    summary: 'File an evidence request; its scope is resolved now to a fixed set of links (422 if none)',
    description:
      'The request is addressed to every marketplace holding a link in scope, each of which answers for its own part. ' +
      'Filing writes evidence_request.filed, with a commitment to each part’s links, to the audit trail.',
  })
  @ApiCreatedResponse({ type: EvidenceRequestResponseDto, description: 'The request, as the police see it' })
  @ApiProblems(
    [400, 'A field is invalid, or the scope names no batchIds, linkIds, urls or sellerRefs'],
    [409, 'The Idempotency-Key is in use by a request still running'],
    [422, 'The scope matches no link (EMPTY_SCOPE), or the Idempotency-Key was used with another body'],
  )
  file(@Caller() caller: Actor, @Body() dto: FileEvidenceRequestDto): Promise<EvidenceRequestResponseDto> {
    return this.requests.file(caller, dto);
  }

  @Get()
  @Roles('operator', 'ministry', 'marketplace', 'police')
  @ApiOperation({
    summary:
      "Police: their agency's requests; marketplace: those addressed to it (its part); ministry, operator: metadata",
    description:
      'Newest first by filing time. Ministry and operator see no reasons or seller records; a marketplace sees its own ' +
      'part with an empty scope.',
  })
  @ApiOkResponse({ type: EvidenceRequestListResponseDto })
  list(
    @Caller() caller: Actor,
    @Query() query: ListEvidenceRequestsQueryDto,
  ): Promise<EvidenceRequestListResponseDto> {
    return this.requests.list(caller, query);
  }

  @Get(':id')
  @Roles('operator', 'ministry', 'marketplace', 'police')
  @REQUEST_ID
  @ApiOperation({
    summary: 'An evidence request, as the caller may see it',
    description:
      'The filing police see it whole; an addressed marketplace its own part; ministry and operator its metadata.',
  })
  @ApiOkResponse({ type: EvidenceRequestResponseDto })
  @ApiProblems(NOT_FOUND)
  get(@Caller() caller: Actor, @UuidParam('id') id: string): Promise<EvidenceRequestResponseDto> {
    return this.requests.get(caller, id);
  }

  @Get(':id/links')
  @Roles('marketplace', 'police')
  @REQUEST_ID
  @ApiOperation({
    summary:
      'The links a request covers: an addressed marketplace its own; the filing police all (seller data of fulfilled parts)',
  })
  @ApiOkResponse({ type: EvidenceRequestLinkListResponseDto })
  @ApiProblems([404, 'No such request, or one not addressed to (or filed by) the caller'])
  links(
    @Caller() caller: Actor,
    @UuidParam('id') id: string,
    @Query() query: ListEvidenceRequestLinksQueryDto,
  ): Promise<EvidenceRequestLinkListResponseDto> {
    return this.requests.links(caller, id, query);
  }

  @Post(':id/responses')
  @Roles('marketplace')
  @REQUEST_ID
  @ApiOperation({
    // The published operation id predates the word "answer"; clients generated from it keep their method name.
    operationId: 'EvidenceRequestsController_respond',
    summary:
      'Answer a request addressed to your marketplace, once: fulfil with seller records, or decline with a reason',
    description:
      'The request’s status follows from all answers: in_review while some are awaited, then ready (one fulfilled) ' +
      'or declined (all declined). The answer’s audit event commits to the seller records by a salted hash.',
  })
  @ApiCreatedResponse({
    type: EvidenceRequestResponseDto,
    description: 'The request, with your part answered',
  })
  @ApiProblems(
    [
      400,
      'A field is invalid: a decline needs a reason, a fulfilment its sellerRecords (an empty list if none)',
    ],
    NOT_FOUND,
    [
      409,
      'Already answered (EVIDENCE_ALREADY_ANSWERED), the request is closed (EVIDENCE_REQUEST_CLOSED), or the Idempotency-Key is in use',
    ],
    EXPIRED,
  )
  answer(
    @Caller() caller: Actor,
    @UuidParam('id') id: string,
    @Body() dto: EvidenceAnswerDto,
  ): Promise<EvidenceRequestResponseDto> {
    return this.requests.answer(caller, id, dto);
  }

  @Post(':id/close')
  @Roles('police')
  @HttpCode(200)
  @REQUEST_ID
  @ApiOperation({
    summary: 'Close a request your agency filed',
    description: 'Nothing more is answered or exported once it is closed; it and its audit events remain.',
  })
  @ApiOkResponse({ type: EvidenceRequestResponseDto, description: 'The request, closed' })
  @ApiProblems(
    [404, 'No such request filed by the caller’s agency'],
    [409, 'The request is already closed (EVIDENCE_REQUEST_CLOSED), or the Idempotency-Key is in use'],
  )
  close(@Caller() caller: Actor, @UuidParam('id') id: string): Promise<EvidenceRequestResponseDto> {
    return this.requests.close(caller, id);
  }

  @Head(':id/export')
  @Roles('police')
  @REQUEST_ID
  @ApiOperation({
    summary: 'Whether the package can be downloaded now: checks only, builds and records nothing',
  })
  @ApiOkResponse({ description: 'The package can be downloaded (no body)', content: ZIP })
  @ApiProblems(...EXPORT_REFUSALS)
  async exportHead(
    @Caller() caller: Actor,
    @UuidParam('id') id: string,
    @Res() res: Response,
  ): Promise<void> {
    await this.exports.check(caller, id);
    res.status(200).setHeader('Content-Type', 'application/zip').end();
  }

  @Get(':id/export')
  @Roles('police')
  @REQUEST_ID
  @ApiOperation({
    summary: 'The signed evidence package (ZIP), once the request is ready; 410 after it expired',
    description:
      'The package is built before the first byte is sent (it waits in the bounded queue of heavy work: 503 with ' +
      'Retry-After when full), and the download is recorded as evidence_request.exported with its SHA-256. It holds ' +
      'manifest.json, manifest.sig, keys.json, links.csv, links.jsonl, seller-records.jsonl, audit-events.jsonl and ' +
      'README.txt; GET /verify-evidence.cjs checks one offline.',
  })
  @ApiOkResponse({
    description: 'The ZIP',
    content: ZIP,
    headers: {
      'Content-Disposition': {
        description: 'attachment; filename="evidence-{id}.zip"',
        required: true,
        schema: { type: 'string' },
      },
      'Content-Length': {
        description: 'The size of the package in bytes',
        required: true,
        schema: { type: 'integer', minimum: 1 },
      },
      'X-Package-Sha256': {
        description: 'SHA-256 of the package (lower-case hex), as its audit event records it',
        required: true,
        schema: { type: 'string', pattern: '^[0-9a-f]{64}$' },
      },
    },
  })
  @ApiProblems(...EXPORT_REFUSALS)
  async export(@Caller() caller: Actor, @UuidParam('id') id: string, @Res() res: Response): Promise<void> {
    // A client that leaves while its package is built stops the build; one that leaves mid-download frees the file.
    const gone = new AbortController();
    res.on('close', () => gone.abort());
    const pkg = await this.exports.export(caller, id, gone.signal);
    if (gone.signal.aborted) return pkg.cleanup();
    res.status(200);
    res.setHeader('Content-Type', 'application/zip');
    res.setHeader('Content-Length', String(pkg.bytes));
    res.setHeader('Content-Disposition', `attachment; filename="evidence-${id}.zip"`);
    res.setHeader('X-Package-Sha256', pkg.sha256);
    await this.exports.send(pkg, res);
  }
}
