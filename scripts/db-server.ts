import * as path from 'node:path';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres';

// scripts/migration.ts reads these from here; their one definition is the shared tooling.
export { adminQuery, withDatabase } from '../test/support/tooling';

/** The server the scripts talk to: DATABASE_URL, else the project's embedded PostgreSQL in .data/. */
export async function databaseServer(): Promise<{ url: string; stop: () => Promise<void> }> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, stop: () => Promise.resolve() };
  const embedded = await startEmbeddedPostgres(path.resolve(process.env.DATA_DIR ?? '.data'));
  return { url: embedded.url, stop: () => embedded.stop() };
}
