import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { migrate } from '../../src/database/migrate';
import { STATE_ENV, TestDatabaseState } from './database';
import { adminQuery, withDatabase } from './tooling';

declare global {
  var __TAKEDOWN_EMBEDDED_STOP__: (() => Promise<void>) | undefined;
}

/**
 * One PostgreSQL for the whole run: DATABASE_URL if set, else an embedded server in a temporary folder.
 * The real migrations build a template database that every test file copies.
 */
export default async function globalSetup(): Promise<void> {
  let serverUrl = process.env.DATABASE_URL;
  let dataDir: string | null = null;
  if (!serverUrl) {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'takedown-test-'));
    // As root from a folder postgres cannot enter, the cluster lives under /var/lib/takedown-exchange instead.
    const embedded = await startEmbeddedPostgres(dataDir);
    const relocated = embedded.placement.relocatedData;
    globalThis.__TAKEDOWN_EMBEDDED_STOP__ = async () => {
      await embedded.stop();
      if (relocated) rmSync(relocated, { recursive: true, force: true });
    };
    serverUrl = embedded.url;
  }
  const template = `tx_template_${randomBytes(6).toString('hex')}`;
  await adminQuery(serverUrl, `CREATE DATABASE ${template}`);
  await migrate(withDatabase(serverUrl, template));
  const state: TestDatabaseState = { serverUrl, template, dataDir };
  process.env[STATE_ENV] = JSON.stringify(state);
}
