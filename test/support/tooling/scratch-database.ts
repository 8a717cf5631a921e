import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startEmbeddedPostgres } from '../../../src/database/embedded-postgres';
import { adminQuery, withDatabase } from './postgres';

export interface ScratchDatabase {
  /** The new, empty database (no migrations run). */
  url: string;
  /** A temporary folder for the run, removed afterwards. */
  tmp: string;
}

/**
 * Runs `work` on a fresh database: on DATABASE_URL's server if set, else on an embedded PostgreSQL in a temporary
 * folder. The database is dropped afterwards unless `keep` (honoured only on DATABASE_URL's server).
 */
export async function withScratchDatabase<T>(
  prefix: string,
  work: (db: ScratchDatabase) => Promise<T>,
  { keep = false } = {},
): Promise<T> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), `takedown-${prefix}-`));
  let serverUrl = process.env.DATABASE_URL;
  let stopEmbedded: (() => Promise<void>) | null = null;
  try {
    if (!serverUrl) {
      chmodSync(tmp, 0o711); // initdb may run as another user (postgres, when we are root) and must reach pg/
      const embedded = await startEmbeddedPostgres(path.join(tmp, 'pg'));
      serverUrl = embedded.url;
      const relocated = embedded.placement.relocatedData; // when postgres cannot enter os.tmpdir()
      stopEmbedded = async () => {
        await embedded.stop();
        if (relocated) rmSync(relocated, { recursive: true, force: true });
      };
    }
    const name = `${prefix}_${randomBytes(5).toString('hex')}`;
    const url = withDatabase(serverUrl, name);
    await adminQuery(serverUrl, `CREATE DATABASE ${name}`);
    try {
      return await work({ url, tmp });
    } finally {
      if (keep && !stopEmbedded) console.log(`kept database ${url}`);
      else await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  } finally {
    await stopEmbedded?.();
    rmSync(tmp, { recursive: true, force: true });
  }
}
