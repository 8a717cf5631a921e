import { DataSource } from 'typeorm';
import { CounterStore } from './shared-rate-limiter';

/** Counters in the rate_limit_counters table (an UNLOGGED table the migrations create): one statement per sync. */
export class PostgresCounterStore implements CounterStore {
  constructor(private readonly dataSource: DataSource) {}

  async add(window: number, counts: Map<string, number>): Promise<Map<string, number>> {
    const rows = await this.dataSource.query<{ key: string; hits: number }[]>(
      `INSERT INTO rate_limit_counters (key, "window", hits)
       SELECT k, $1, n FROM unnest($2::text[], $3::int4[]) AS t(k, n)
       ON CONFLICT (key, "window") DO UPDATE SET hits = rate_limit_counters.hits + excluded.hits
       RETURNING key, hits`,
      [window, [...counts.keys()], [...counts.values()]],
    );
    return new Map(rows.map((r) => [r.key, Number(r.hits)]));
  }

  async read(window: number, keys: string[]): Promise<Map<string, number>> {
    const rows = await this.dataSource.query<{ key: string; hits: number }[]>(
      'SELECT key, hits FROM rate_limit_counters WHERE "window" = $1 AND key = ANY($2::text[])',
      [window, keys],
    );
    return new Map(rows.map((r) => [r.key, Number(r.hits)]));
  }

  async prune(window: number): Promise<void> {
    await this.dataSource.query('DELETE FROM rate_limit_counters WHERE "window" < $1', [window]);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
