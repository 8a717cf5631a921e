import { parse } from 'csv-parse/sync';
import { AppError, FieldError } from '../errors/app-error';
import { PRIORITIES, type ListingEvidence, type Priority } from '../links/link.entity';
import { readListingEvidence } from '../links/listing-evidence';
import { MAX_LINKS_PER_BATCH } from './dto/link-batch.dto';

export interface SubmittedLink {
  url: string;
  note: string | null;
  keywords: string[];
  /** The listing evidence sent with the link; a string says why it is malformed (the link is rejected for it). */
  listing: ListingEvidence | string | null;
  /** The link's own priority; null takes the batch's. */
  priority: Priority | null;
}

const ALLOWED = new Set(['url', 'note', 'keywords', 'priority']);
/** JSON items may carry a listing too; a CSV's columns stay url, note, keywords and priority. */
const ALLOWED_JSON = new Set([...ALLOWED, 'listing']);
const PRIORITY_SET = new Set<string>(PRIORITIES);
const MAX_RAW_URL = 8192;
const MAX_ERRORS = 100;

/** Checks every item of a JSON batch; structural mistakes are 400s naming the item, URL problems are judged later. */
export function readJsonLinks(items: unknown[]): SubmittedLink[] {
  const errors: FieldError[] = [];
  const out = new Array<SubmittedLink>(items.length);
  for (let i = 0; i < items.length && errors.length < MAX_ERRORS; i++) {
    const item = items[i];
    const at = `links[${i}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      errors.push({ path: at, message: 'must be an object with a url' });
      continue;
    }
    const o = item as Record<string, unknown>;
    for (const key in o)
      if (!ALLOWED_JSON.has(key)) errors.push({ path: `${at}.${key}`, message: 'property is not allowed' });
    if (o.url === undefined) errors.push({ path: `${at}.url`, message: 'url is required' });
    else if (typeof o.url !== 'string' || o.url.length === 0)
      errors.push({ path: `${at}.url`, message: 'url must be a non-empty string' });
    else if (o.url.length > MAX_RAW_URL)
      errors.push({ path: `${at}.url`, message: `url must be at most ${MAX_RAW_URL} characters` });
    if (o.note !== undefined && (typeof o.note !== 'string' || o.note.length > 1000)) {
      errors.push({ path: `${at}.note`, message: 'note must be a string of at most 1000 characters' });
    }
    const keywords = o.keywords;
    if (keywords !== undefined && !validKeywords(keywords)) {
      errors.push({
        path: `${at}.keywords`,
        message: 'keywords must be at most 20 strings of 1-100 characters',
      });
    }
    if (o.priority !== undefined && !PRIORITY_SET.has(o.priority as string)) {
      errors.push({ path: `${at}.priority`, message: 'priority must be urgent or normal' });
    }
    out[i] = {
      url: o.url as string,
      note: (o.note as string | undefined) ?? null,
      keywords: (keywords as string[] | undefined) ?? [],
      listing: o.listing === undefined ? null : readListingEvidence(o.listing),
      priority: (o.priority as Priority | undefined) ?? null,
    };
  }
  if (errors.length > 0) throw AppError.validation(errors);
  return out;
}

function validKeywords(value: unknown): value is string[] {
  return (
    Array.isArray(value) &&
    value.length <= 20 &&
    value.every((k) => typeof k === 'string' && k.length > 0 && k.length <= 100)
  );
}

/** The links of a CSV batch, and the header's columns that are not url, note, keywords or priority, which are ignored. */
export interface CsvLinks {
  links: SubmittedLink[];
  ignoredColumns: string[];
}

export type CsvDelimiter = ',' | ';';

/**
 * The delimiter of a CSV, read from its header line: a semicolon when the header holds more semicolons than commas
 * outside quotes (what Excel writes where the decimal separator is a comma, Indonesian among them), else a comma.
 */
export function csvDelimiter(body: string): CsvDelimiter {
  const text = body.replace(/^\ufeff/, '').replace(/^[\r\n\s]+/, '');
  let commas = 0;
  let semicolons = 0;
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && ch === ',') commas++;
    else if (!quoted && ch === ';') semicolons++;
  }
  return semicolons > commas ? ';' : ',';
}

const DELIMITER_NAMES: Record<CsvDelimiter, string> = { ',': 'comma', ';': 'semicolon' };

/**
 * A CSV batch: a header row with `url` and optionally `note`, `keywords` (separated by `;`) and `priority` (`urgent`
 * or `normal` in any case; an empty cell takes the batch's), comma- or semicolon-separated (see csvDelimiter). Other
 * columns are ignored and named in the answer, so a spreadsheet with a column of its own (a seller, a date found) can
 * be sent as it is.
 */
export function readCsvLinks(body: unknown): CsvLinks {
  if (typeof body !== 'string' || body.trim() === '') {
    throw AppError.badRequest(
      'EMPTY_CSV',
      'The CSV body is empty; send a header row with url and one row per link',
    );
  }
  const delimiter = csvDelimiter(body);
  const [header, ...records] = parseCsvRows(body, delimiter);
  const columns = checkedColumns(header, delimiter);
  if (records.length === 0 || records.length > MAX_LINKS_PER_BATCH) {
    throw AppError.validation([
      { path: 'links', message: `a batch holds 1 to ${MAX_LINKS_PER_BATCH} links` },
    ]);
  }
  const ignoredColumns = [...new Set(header.filter((h, i) => h !== '' && !ALLOWED.has(columns[i])))];
  return { links: readJsonLinks(records.map((r) => csvLinkInput(r, columns))), ignoredColumns };
}

function parseCsvRows(body: string, delimiter: CsvDelimiter): string[][] {
  try {
    return parse(body, {
      bom: true,
      delimiter,
      skip_empty_lines: true,
      relax_column_count: false,
      trim: true,
      max_record_size: 16_384,
    });
  } catch (error) {
    const e = error as { message?: string; lines?: number };
    throw AppError.badRequest(
      'MALFORMED_CSV',
      `The CSV could not be read as ${DELIMITER_NAMES[delimiter]}-separated${e.lines ? ` (line ${e.lines})` : ''}: ${String(
        e.message ?? '',
      )
        .split('\n')[0]
        .slice(0, 200)}`,
    );
  }
}

/** The header's column names in lower case, once it is known to hold url once and note and keywords at most once. */
function checkedColumns(header: string[], delimiter: CsvDelimiter): string[] {
  const columns = header.map((h) => h.toLowerCase());
  const repeated = [...ALLOWED].filter((c) => columns.filter((x) => x === c).length > 1);
  if (!columns.includes('url') || repeated.length > 0) {
    throw AppError.badRequest(
      'MALFORMED_CSV',
      `The header row must hold url once, and optionally note, keywords and priority once each (read as ${DELIMITER_NAMES[delimiter]}-separated: ${header
        .slice(0, 10)
        .map((h) => JSON.stringify(h.slice(0, 40)))
        .join(', ')}${header.length > 10 ? ', …' : ''})`,
    );
  }
  return columns;
}

/** One CSV record as the JSON link item it stands for. */
function csvLinkInput(record: string[], columns: string[]): Record<string, unknown> {
  const cell = (name: string) => {
    const at = columns.indexOf(name);
    return at >= 0 ? record[at] : undefined;
  };
  const note = cell('note');
  const keywords = cell('keywords');
  const priority = cell('priority');
  return {
    url: cell('url'),
    ...(note ? { note } : {}),
    ...(priority ? { priority: priority.toLowerCase() } : {}),
    ...(keywords
      ? {
          keywords: keywords
            .split(';')
            .map((k) => k.trim())
            .filter(Boolean),
        }
      : {}),
  };
}
