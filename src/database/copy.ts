import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { EntityManager } from 'typeorm';

export type CopyValue = string | number | boolean | null;

const TEXT_SPECIAL = /[\\\t\n\r]/;
const TEXT_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/**
 * A value in COPY's text format: NULL is \N, and only backslash, tab, newline and carriage return are escaped. CSV
 * would double every double quote, and the JSON this streams (audit entries, listings) is full of them; text leaves
 * most values as they are.
 */
function textField(value: CopyValue): string {
  if (value === null) return '\\N';
  if (typeof value !== 'string') return String(value);
  return TEXT_SPECIAL.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => TEXT_ESCAPES[c]) : value;
}

/** A PostgreSQL array literal of text values, for COPY and for passing arrays of arrays. */
export function pgArrayLiteral(values: readonly string[]): string {
  if (values.length === 0) return '{}';
  return `{${values.map((v) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}

/**
 * COPY … FROM STDIN on the transaction's own connection, streaming rows as they are produced: the bulk path for
 * tens of thousands of rows, several times cheaper than one huge parameter array.
 */
export async function copyRows(
  manager: EntityManager,
  table: string,
  columns: readonly string[],
  rows: Iterable<readonly CopyValue[]>,
): Promise<void> {
  const client = (manager.queryRunner as unknown as { databaseConnection?: PoolClient } | undefined)
    ?.databaseConnection;
  if (!client) throw new Error('copyRows needs a transaction');
  const sql = `COPY ${table} (${columns.join(', ')}) FROM STDIN`;
  function* lines(): Generator<string> {
    let chunk = '';
    for (const row of rows) {
      chunk += row.map(textField).join('\t') + '\n';
      if (chunk.length > 65_536) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk) yield chunk;
  }
  await pipeline(Readable.from(lines()), client.query(copyFrom(sql)));
}
