import { createParamDecorator, ExecutionContext, Injectable, PipeTransform } from '@nestjs/common';
import type { Request } from 'express';
import { AppError } from '../errors/app-error';
import { createValidationPipe } from '../common/validation';
import { BatchMetaDto, CsvBatchQueryDto, MAX_LINKS_PER_BATCH } from './dto/link-batch.dto';
import { readCsvLinks, readJsonLinks, SubmittedLink } from './submitted-links';

/** A link batch as read from the request: its fields and its links, whichever media type carried them. */
export interface LinkBatchSubmission {
  meta: BatchMetaDto;
  links: SubmittedLink[];
  /** A CSV's columns other than url, note and keywords; none for JSON. */
  ignoredColumns: string[];
}

/** What the body parsers left: a CSV body is text (with its fields in the query), a JSON body is parsed. */
export type RawLinkBatch =
  { kind: 'csv'; body: string; query: object } | { kind: 'json'; body: unknown; query: object };

const validation = createValidationPipe();

/**
 * Reads a link batch, JSON or CSV. JSON batches carry everything in the body; CSV batches carry their fields as
 * query parameters. The JSON envelope goes through the DTO; the (up to 50,000) items do not, so they are not
 * deep-copied and re-checked.
 */
@Injectable()
export class LinkBatchBodyPipe implements PipeTransform<RawLinkBatch, Promise<LinkBatchSubmission>> {
  transform(raw: RawLinkBatch): Promise<LinkBatchSubmission> {
    return raw.kind === 'csv' ? readCsvBatch(raw.body, raw.query) : readJsonBatch(raw.body, raw.query);
  }
}

async function readCsvBatch(body: string, query: object): Promise<LinkBatchSubmission> {
  let meta: CsvBatchQueryDto;
  try {
    meta = (await validation.transform(query, {
      type: 'query',
      metatype: CsvBatchQueryDto,
    })) as CsvBatchQueryDto;
  } catch (error) {
    throw error instanceof AppError && error.code === 'VALIDATION_FAILED' ? inTheQuery(error) : error;
  }
  return { meta, ...readCsvLinks(body) };
}

/** A CSV body holds only links: a client that put nothing in the query string learns where the fields go. */
function inTheQuery(error: AppError): AppError {
  return new AppError(
    error.status,
    error.code,
    error.title,
    `A text/csv batch carries its fields as query parameters, ?reference=…&legalBasis=… (and optionally category, note, dueAt, priority): ${error.detail}`,
    error.errors,
  );
}

async function readJsonBatch(body: unknown, query: object): Promise<LinkBatchSubmission> {
  if (Object.keys(query).length > 0) {
    throw AppError.badRequest(
      'UNEXPECTED_QUERY',
      'A JSON batch carries its fields in the body, not in the query string',
    );
  }
  const { links, ...envelope } = (typeof body === 'object' && body !== null ? body : {}) as Record<
    string,
    unknown
  >;
  const meta = (await validation.transform(envelope, {
    type: 'body',
    metatype: BatchMetaDto,
  })) as BatchMetaDto;
  if (!Array.isArray(links) || links.length < 1 || links.length > MAX_LINKS_PER_BATCH) {
    throw AppError.validation([
      { path: 'links', message: `links must be an array of 1 to ${MAX_LINKS_PER_BATCH} items` },
    ]);
  }
  return { meta, links: readJsonLinks(links), ignoredColumns: [] };
}

/** The text/csv parser leaves a string; every other body (none included) is read as JSON. */
export function rawLinkBatch(req: Pick<Request, 'body' | 'query'>): RawLinkBatch {
  const body: unknown = req.body;
  return typeof body === 'string'
    ? { kind: 'csv', body, query: req.query }
    : { kind: 'json', body, query: req.query };
}

const RawLinkBatchParam = createParamDecorator((_: unknown, ctx: ExecutionContext) =>
  rawLinkBatch(ctx.switchToHttp().getRequest<Request>()),
);

/** The submitted link batch, read by LinkBatchBodyPipe: `@LinkBatchBody() batch: LinkBatchSubmission`. */
export const LinkBatchBody = (): ParameterDecorator => RawLinkBatchParam(LinkBatchBodyPipe);
