import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { AppError } from '../errors/app-error';
import { IntQueryParam } from './int-query-param';

export class PageQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 1000, default: 100 })
  @IsOptional()
  @IntQueryParam(1, 1000)
  limit?: number;

  @ApiPropertyOptional({ description: 'Opaque cursor from the previous page', maxLength: 512 })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Cursors are opaque to clients: the keyset of the last row, base64url-encoded JSON. */
export function encodeCursor(key: (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/**
 * What one position of a cursor holds, checked to the format SQL will cast it to, so a forged cursor is a 400
 * and never reaches the database. `string` is any text without NUL; `number` is the old name of `integer`.
 */
export type CursorPart = 'string' | 'uuid' | 'timestamp' | 'integer' | 'number';
type CursorValue<P extends CursorPart> = P extends 'integer' | 'number' ? number : string;
export type CursorValues<S extends readonly CursorPart[]> = { -readonly [K in keyof S]: CursorValue<S[K]> };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Exactly what Date#toISOString writes, which is what the keyset of every list encodes. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const PART_RULES: Record<CursorPart, (v: unknown) => boolean> = {
  string: (v) => typeof v === 'string' && !v.includes('\u0000'),
  uuid: (v) => typeof v === 'string' && UUID.test(v),
  // Round-tripping refuses dates that do not exist (Feb 30, 24:00), which Date would silently roll over.
  timestamp: (v) =>
    typeof v === 'string' &&
    ISO_INSTANT.test(v) &&
    !v.startsWith('0000') &&
    !Number.isNaN(Date.parse(v)) &&
    new Date(v).toISOString() === v,
  integer: (v) => Number.isSafeInteger(v),
  number: (v) => Number.isSafeInteger(v),
};

const invalidCursor = (message: string) =>
  AppError.badRequest('INVALID_CURSOR', `cursor ${message}`, [{ path: 'cursor', message }]);

/** Decodes a cursor this API issued, checking it position by position against `shape`. */
export function decodeCursor<const S extends readonly CursorPart[]>(
  cursor: string | undefined,
  shape: S,
): CursorValues<S> | null {
  if (cursor === undefined) return null;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor('is not one this API issued');
  }
  if (!Array.isArray(value) || value.length !== shape.length)
    throw invalidCursor('is not one this API issued');
  const bad = shape.findIndex((part, i) => !PART_RULES[part](value[i]));
  if (bad >= 0)
    throw invalidCursor(`is not one this API issued (position ${bad} is not a valid ${shape[bad]})`);
  return value as CursorValues<S>;
}

/** Fetch limit + 1 rows; the extra one only says whether there is a next page. */
export function toPage<T>(rows: T[], limit: number, keyOf: (row: T) => (string | number)[]): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null };
}
