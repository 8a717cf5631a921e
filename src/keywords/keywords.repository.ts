import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { raw, sql } from '../database/sql';
import type { KeywordStatus } from './dto/keyword-response.dto';

export interface KeywordRow {
  id: string;
  term: string;
  note: string | null;
  status: KeywordStatus;
  version: string;
  added_at: Date;
  retired_at: Date | null;
}

const KEYWORD_COLUMNS = raw('id, term, note, status, version, added_at, retired_at');

@Injectable()
export class KeywordsRepository {
  /** The active watchlist, or with sinceVersion every term changed after it (retired ones included). */
  listSince(m: EntityManager, sinceVersion: number | null): Promise<KeywordRow[]> {
    return m.query<KeywordRow[]>(
      ...sql`SELECT ${KEYWORD_COLUMNS} FROM keywords
        WHERE (${sinceVersion}::bigint IS NULL AND status = 'active') OR version > ${sinceVersion}::bigint ORDER BY version`,
    );
  }

  async currentVersion(m: EntityManager): Promise<number> {
    const [{ version }] = await m.query<{ version: string }[]>(
      ...sql`SELECT coalesce(max(version), 0) AS version FROM keywords`,
    );
    return Number(version);
  }

  async insert(
    m: EntityManager,
    k: { id: string; term: string; normalizedTerm: string; note: string | null; addedAt: Date },
  ): Promise<KeywordRow> {
    const [row] = await m.query<KeywordRow[]>(
      ...sql`INSERT INTO keywords (id, term, normalized_term, note, status, version, added_at)
         VALUES (${k.id}, ${k.term}, ${k.normalizedTerm}, ${k.note}, 'active', nextval('keyword_version_seq'), ${k.addedAt})
         RETURNING ${KEYWORD_COLUMNS}`,
    );
    return row;
  }

  /** The keyword as retired now, or undefined when it is not an active one. */
  async retire(m: EntityManager, id: string, at: Date): Promise<KeywordRow | undefined> {
    const [row] = await m.query<KeywordRow[]>(
      ...sql`WITH retired AS (
           UPDATE keywords SET status = 'retired', retired_at = ${at}, version = nextval('keyword_version_seq')
            WHERE id = ${id} AND status = 'active' RETURNING ${KEYWORD_COLUMNS}
         ) SELECT * FROM retired`,
    );
    return row;
  }

  async find(m: EntityManager, id: string): Promise<KeywordRow | undefined> {
    const [row] = await m.query<KeywordRow[]>(
      ...sql`SELECT ${KEYWORD_COLUMNS} FROM keywords WHERE id = ${id}`,
    );
    return row;
  }
}
