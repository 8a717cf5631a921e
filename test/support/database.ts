import { randomBytes } from 'node:crypto';
import { adminQuery, withDatabase } from './tooling';

export const STATE_ENV = 'TAKEDOWN_TEST_DB';

export interface TestDatabaseState {
  serverUrl: string;
  template: string;
  dataDir: string | null;
}

export function readState(): TestDatabaseState {
  const raw = process.env[STATE_ENV];
  if (!raw) throw new Error('the e2e global setup did not run');
  return JSON.parse(raw) as TestDatabaseState;
}

/** Each test file gets its own database, copied from the migrated template in milliseconds. */
export async function createTestDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const state = readState();
  const name = `tx_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(state.serverUrl, `CREATE DATABASE ${name} TEMPLATE ${state.template}`);
  return {
    url: withDatabase(state.serverUrl, name),
    drop: () => adminQuery(state.serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}
