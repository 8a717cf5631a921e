import { Body, Controller, Get, Head, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../auth/actor';
import { Caller, Roles } from '../auth/decorators';
import { Page } from '../common/pagination';
import { UuidParam } from '../common/uuid-param';
import {
  EvidenceRequestLinkPageDto,
  EvidenceAnswerDto,
  FileEvidenceRequestDto,
  ListEvidenceRequestLinksQueryDto,
  ListEvidenceRequestsQueryDto,
} from './dto/evidence-request.dto';
import { EvidenceExportService } from './evidence-export.service';
import { EvidenceRequestLinkView, EvidenceRequestsService } from './evidence-requests.service';

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
  })
  file(@Caller() caller: Actor, @Body() dto: FileEvidenceRequestDto) {
    return this.requests.file(caller, dto);
  }

  @Get()
  @Roles('operator', 'ministry', 'marketplace', 'police')
  @ApiOperation({
    summary:
      "Police: their agency's requests; marketplace: those addressed to it (its part); ministry, operator: metadata",
  })
  list(@Caller() caller: Actor, @Query() query: ListEvidenceRequestsQueryDto) {
    return this.requests.list(caller, query);
  }

  @Get(':id')
  @Roles('operator', 'ministry', 'marketplace', 'police')
  get(@Caller() caller: Actor, @UuidParam('id') id: string) {
    return this.requests.get(caller, id);
  }

  @Get(':id/links')
  @Roles('marketplace', 'police')
  @ApiOperation({
    summary:
      'The links a request covers: an addressed marketplace its own; the filing police all (seller data of fulfilled parts)',
  })
  @ApiOkResponse({ type: EvidenceRequestLinkPageDto })
  links(
    @Caller() caller: Actor,
    @UuidParam('id') id: string,
    @Query() query: ListEvidenceRequestLinksQueryDto,
  ): Promise<Page<EvidenceRequestLinkView>> {
    return this.requests.links(caller, id, query);
  }

  @Post(':id/responses')
  @Roles('marketplace')
  @ApiOperation({
    // The published operation id predates the word "answer"; clients generated from it keep their method name.
    operationId: 'EvidenceRequestsController_respond',
    summary:
      'Answer a request addressed to your marketplace, once: fulfil with seller records, or decline with a reason',
  })
  answer(@Caller() caller: Actor, @UuidParam('id') id: string, @Body() dto: EvidenceAnswerDto) {
    return this.requests.answer(caller, id, dto);
  }

  @Post(':id/close')
  @Roles('police')
  @HttpCode(200)
  close(@Caller() caller: Actor, @UuidParam('id') id: string) {
    return this.requests.close(caller, id);
  }

  @Head(':id/export')
  @Roles('police')
  @ApiOperation({
    summary: 'Whether the package can be downloaded now: checks only, builds and records nothing',
  })
  @ApiOkResponse({ description: 'The package can be downloaded' })
  async exportHead(@Caller() caller: Actor, @UuidParam('id') id: string, @Res() res: Response) {
    await this.exports.check(caller, id);
    res.status(200).setHeader('Content-Type', 'application/zip').end();
  }

  @Get(':id/export')
  @Roles('police')
  @ApiProduces('application/zip')
  @ApiOperation({
    summary: 'The signed evidence package (ZIP), once the request is ready; 410 after it expired',
  })
  @ApiOkResponse({
    description:
      'manifest.json, manifest.sig, keys.json, links.csv, links.jsonl, seller-records.jsonl, audit-events.jsonl, README.txt',
  })
  async export(@Caller() caller: Actor, @UuidParam('id') id: string, @Res() res: Response) {
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
