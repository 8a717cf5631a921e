import { QueryRunner } from 'typeorm';
import type { Sql } from '../database/sql';

/** Rows per cursor fetch: small chunks die young in V8's heap (5,000 was slower and peaked 100 MB higher). */
const CHUNK = 1000;

let cursors = 0;

/** A server-side cursor inside the runner's transaction, fetched CHUNK rows at a time. */
export async function* cursor<T>(runner: QueryRunner, [text, params]: Sql): AsyncGenerator<T[]> {
  const name = `export_${++cursors}`;
  await runner.query(`DECLARE ${name} NO SCROLL CURSOR FOR ${text}`, params);
  const fetch = () => {
    const rows = runner.query(`FETCH ${CHUNK} FROM ${name}`) as Promise<T[]>;
    rows.catch(() => undefined); // awaited below; this only keeps a failure from being reported as unhandled
    return rows;
  };
  // One chunk ahead: PostgreSQL reads the next rows while this process turns the current ones into lines.
  let next = fetch();
  try {
    for (;;) {
      const rows = await next;
      if (rows.length === 0) return;
      next = fetch();
      yield rows;
    }
  } finally {
    await next.catch(() => undefined);
    // After a failed statement the transaction is aborted and the cursor gone with it; ROLLBACK follows.
    await runner.query(`CLOSE ${name}`).catch(() => undefined);
  }
}

/** Rows of one query on the snapshot's connection (QueryRunner.query is untyped). */
export async function select<T>(runner: QueryRunner, [text, params]: Sql): Promise<T> {
  return (await runner.query(text, params)) as T;
}
