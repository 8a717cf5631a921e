import {
  applyDecorators,
  CallHandler,
  ExecutionContext,
  HttpStatus,
  NestInterceptor,
  Type,
  UseInterceptors,
} from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, getSchemaPath } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { map, Observable, throwError } from 'rxjs';
import { AppError } from '../errors/app-error';
import { csvCell, UTF8_BOM } from '../evidence-requests/evidence-package';
import { ApiProblems } from '../openapi/problems';

export const JSON_MEDIA_TYPE = 'application/json';
export const CSV_MEDIA_TYPE = 'text/csv';
/** The first is what a client that states no preference (no Accept header, or any type) gets. */
const OFFERED = [JSON_MEDIA_TYPE, CSV_MEDIA_TYPE];

/** How the cells of every CSV answer are written, for the routes' descriptions in the document. */
export const CSV_CELLS_NOTE =
  'UTF-8 with a byte-order mark, so a spreadsheet reads it as UTF-8. Null or absent is an empty cell, arrays are joined with `;`, and a cell starting with `=`, `+`, `-`, `@`, tab ' +
  "or CR is prefixed with `'` so a spreadsheet shows it as text (bidirectional control characters are written " +
  'visibly as `<U+202E>` and the like).';

/** How the answer's media type is chosen, for the routes' descriptions in the document. */
export const NEGOTIATION_NOTE =
  'The answer is JSON unless the Accept header prefers `text/csv` (by q-value, then the more specific range, then ' +
  'the one listed first); no Accept header, or `*/*`, is JSON. An Accept header that allows neither gets 406.';

type Leaf = string | number | boolean | null | undefined | readonly unknown[];

/** The dot paths of a JSON shape down to its scalars and arrays (three levels): the column names of its CSV form. */
export type CsvPath<T, Depth extends unknown[] = []> = Depth['length'] extends 3
  ? never
  : {
      [K in keyof T & string]-?: NonNullable<T[K]> extends Leaf
        ? K
        : `${K}.${CsvPath<NonNullable<T[K]>, [...Depth, unknown]>}`;
    }[keyof T & string];

type Uncovered<R, C extends readonly string[]> = Exclude<CsvPath<R>, C[number]>;

/**
 * The columns of rows of type R, checked by the compiler to name every field of R and nothing else, so a field added
 * to a response DTO cannot go missing from its CSV form.
 */
export const csvColumns =
  <R>() =>
  <const C extends readonly CsvPath<R>[]>(
    columns: C & ([Uncovered<R, C>] extends [never] ? unknown : { missingColumns: Uncovered<R, C> }),
  ): C =>
    columns;

/** How a JSON answer of type T reads as CSV: one row of type R per element, the columns, and for a page its cursor. */
export interface CsvForm<T, R> {
  /** Made with csvColumns, which checks them against R. */
  columns: readonly string[];
  rows(body: T): readonly R[];
  /** A paginated list: the cursor of the next page, sent in a Link header (rel="next"); null on the last page. */
  nextCursor?(body: T): string | null;
}

/** The text of one cell before quoting: nothing for null, arrays joined with `;` (as CSV intake reads keywords). */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(cellText).join(';');
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function valueAt(row: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((node, key) => (node as Record<string, unknown> | null | undefined)?.[key], row);
}

/**
 * RFC 4180 text with a header row and CRLF line ends, after a UTF-8 byte-order mark (as links.csv). Every cell, the header's too, is made spreadsheet-safe the
 * way the evidence package's links.csv is (csvCell: a leading = + - @ tab or CR gets an apostrophe).
 */
export function csvTable(columns: readonly string[], rows: readonly unknown[]): string {
  const line = (cells: string[]) => cells.map(csvCell).join(',') + '\r\n';
  return (
    UTF8_BOM +
    line([...columns]) +
    rows.map((row) => line(columns.map((c) => cellText(valueAt(row, c))))).join('')
  );
}

/** The request's URL with the cursor of the next page in place of its own (relative, as RFC 8288 allows). */
function nextPageUrl(req: Request, cursor: string): string {
  const url = new URL(req.originalUrl, 'http://placeholder');
  url.searchParams.set('cursor', cursor);
  return url.pathname + url.search;
}

/**
 * Content negotiation between a route's JSON answer and its CSV form: JSON unless the Accept header prefers
 * text/csv, 406 when it allows neither (decided before the handler runs). The handler returns its JSON DTO either way.
 */
export class CsvNegotiation<T, R> implements NestInterceptor<T, T | string> {
  constructor(private readonly form: CsvForm<T, R>) {}

  intercept(context: ExecutionContext, next: CallHandler<T>): Observable<T | string> {
    const req = context.switchToHttp().getRequest<Request>();
    const res = context.switchToHttp().getResponse<Response>();
    res.vary('Accept');
    const chosen = req.accepts(OFFERED);
    if (chosen === false) {
      return throwError(
        () =>
          new AppError(
            HttpStatus.NOT_ACCEPTABLE,
            'NOT_ACCEPTABLE',
            'Not acceptable',
            `This route answers ${OFFERED.join(' or ')}; the Accept header allows neither`,
          ),
      );
    }
    if (chosen !== CSV_MEDIA_TYPE) return next.handle();
    return next.handle().pipe(
      map((body) => {
        const cursor = this.form.nextCursor?.(body) ?? null;
        if (cursor !== null) res.setHeader('Link', `<${nextPageUrl(req, cursor)}>; rel="next"`);
        res.setHeader('Content-Type', `${CSV_MEDIA_TYPE}; charset=utf-8; header=present`);
        return csvTable(this.form.columns, this.form.rows(body));
      }),
    );
  }
}

/**
 * A route whose 200 is `json` (application/json, the default) or its CSV form (text/csv, on `Accept: text/csv`):
 * the negotiation and its declaration in the OpenAPI document, from one place.
 */
export function JsonOrCsv<T, R>(json: Type<T>, form: CsvForm<T, R>, description: string) {
  const paged = form.nextCursor !== undefined;
  return applyDecorators(
    UseInterceptors(new CsvNegotiation(form)),
    ApiExtraModels(json),
    ApiOkResponse({
      description,
      content: {
        [JSON_MEDIA_TYPE]: { schema: { $ref: getSchemaPath(json) } },
        [CSV_MEDIA_TYPE]: {
          schema: { type: 'string' },
          example: csvTable(form.columns, []),
        },
      },
      ...(paged
        ? {
            headers: {
              Link: {
                description:
                  'text/csv only: `<url>; rel="next"`, the URL of the next page (this request with its cursor), absent on the last page',
                schema: { type: 'string' },
              },
            },
          }
        : {}),
    }),
    ApiProblems([406, `The Accept header allows neither ${OFFERED.join(' nor ')}`]),
  );
}
