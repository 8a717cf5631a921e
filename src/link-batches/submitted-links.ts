import { parse } from 'csv-parse/sync';
import { AppError, FieldError } from '../errors/app-error';
import { MAX_LINKS_PER_BATCH } from './dto/link-batch.dto';

export interface SubmittedLink {
  url: string;
  note: string | null;
  keywords: string[];
}

const ALLOWED = new Set(['url', 'note', 'keywords']);
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
      if (!ALLOWED.has(key)) errors.push({ path: `${at}.${key}`, message: 'property is not allowed' });
    if (typeof o.url !== 'string' || o.url.length === 0)
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
    out[i] = {
      url: o.url as string,
      note: (o.note as string | undefined) ?? null,
      keywords: (keywords as string[] | undefined) ?? [],
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

/** A CSV batch: a header row with `url` and optionally `note` and `keywords` (separated by `;`). */
export function readCsvLinks(body: unknown): SubmittedLink[] {
  if (typeof body !== 'string' || body.trim() === '') {
    throw AppError.badRequest(
      'EMPTY_CSV',
      'The CSV body is empty; send a header row with url and one row per link',
    );
  }
  let rows: string[][];
  try {
    rows = parse(body, {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: false,
      trim: true,
      max_record_size: 16_384,
    });
  } catch (error) {
    const e = error as { message?: string; lines?: number };
    throw AppError.badRequest(
      'MALFORMED_CSV',
      `The CSV could not be read${e.lines ? ` (line ${e.lines})` : ''}: ${String(e.message ?? '')
        .split('\n')[0]
        .slice(0, 200)}`,
    );
  }
  const [header, ...records] = rows;
  const columns = header.map((h) => h.toLowerCase());
  const unknown = columns.filter((c) => !ALLOWED.has(c));
  if (!columns.includes('url') || unknown.length > 0 || new Set(columns).size !== columns.length) {
    throw AppError.badRequest(
      'MALFORMED_CSV',
      `The header row must hold url and optionally note and keywords${unknown.length ? ` (unknown: ${unknown.slice(0, 5).join(', ')})` : ''}`,
    );
  }
  if (records.length === 0 || records.length > MAX_LINKS_PER_BATCH) {
    throw AppError.validation([
      { path: 'links', message: `a batch holds 1 to ${MAX_LINKS_PER_BATCH} links` },
    ]);
  }
  const urlAt = columns.indexOf('url');
  const noteAt = columns.indexOf('note');
  const keywordsAt = columns.indexOf('keywords');
  return readJsonLinks(
    records.map((r) => ({
      url: r[urlAt],
      ...(noteAt >= 0 && r[noteAt] ? { note: r[noteAt] } : {}),
      ...(keywordsAt >= 0 && r[keywordsAt]
        ? {
            keywords: r[keywordsAt]
              .split(';')
              .map((k) => k.trim())
              .filter(Boolean),
          }
        : {}),
    })),
  );
}
