import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';
import { createTestApp, TestApp } from './app';

export const APP_ROLE = 'takedown_app_test';
export const APP_ROLE_PASSWORD = 'app-role-test-password';
const SCRIPT = path.join(__dirname, '..', '..', 'scripts', 'sql', 'app-role.sql');

/** Runs scripts/sql/app-role.sql as psql would with -v app_role=…: the two variables it uses, then its statements. */
export async function applyAppRoleScript(ownerUrl: string): Promise<void> {
  const owner = new Client({ connectionString: ownerUrl });
  await owner.connect();
  try {
    const database = new URL(ownerUrl).pathname.slice(1);
    const sql = readFileSync(SCRIPT, 'utf8')
      .split('\n')
      .filter((line) => !line.startsWith('\\'))
      .join('\n')
      .replaceAll(':"app_role"', `"${APP_ROLE}"`)
      .replaceAll(':"DBNAME"', `"${database}"`);
    await owner.query(
      `DO $$ BEGIN
         IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
           CREATE ROLE ${APP_ROLE} LOGIN PASSWORD '${APP_ROLE_PASSWORD}';
         END IF;
       END $$`,
    );
    await owner.query(sql);
  } finally {
    await owner.end();
  }
}

/**
 * createTestApp's `connectAs` for the least-privilege role: applies the script to the new database, tells `onOwner`
 * the owner's URL (for what the role may not do), and connects the app as the role.
 */
export function asAppRole(onOwner: (ownerUrl: string) => void = () => undefined) {
  return async (ownerUrl: string): Promise<string> => {
    onOwner(ownerUrl);
    await applyAppRoleScript(ownerUrl);
    const u = new URL(ownerUrl);
    u.username = APP_ROLE;
    u.password = APP_ROLE_PASSWORD;
    return u.toString();
  };
}

/**
 * A test app connected as the least-privilege role (what it may write is what scripts/sql/app-role.sql grants), and
 * `owner`, a client connected as the database's owner: the attacker with more than the app's grants, or the test's
 * own look behind the API. End `owner` before closing the app.
 */
export async function createAppRoleApp(
  env: Record<string, string> = {},
): Promise<{ t: TestApp; owner: Client }> {
  let ownerUrl = '';
  const t = await createTestApp(env, { connectAs: asAppRole((url) => (ownerUrl = url)) });
  const owner = new Client({ connectionString: ownerUrl });
  await owner.connect();
  return { t, owner };
}
