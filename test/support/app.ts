import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AgenciesService } from '../../src/agencies/agencies.service';
import { createApp } from '../../src/app.factory';
import { Role, SYSTEM_ACTOR } from '../../src/auth/actor';
import { BootstrapService, Credentials } from '../../src/bootstrap/bootstrap.service';
import { createLogger } from '../../src/common/logger';
import { AppConfig, loadConfig } from '../../src/config/config';
import { MatchingWorker } from '../../src/matching/matching-worker.service';
import { checkedHttp } from './contract';
import { createTestDatabase } from './database';

export interface Party extends Credentials {
  role: Role;
  token: string;
  auth: { Authorization: string };
}

export interface TestApp {
  app: INestApplication;
  /** supertest on the app; every response is checked against the OpenAPI document (./contract.ts). */
  http: ReturnType<typeof request>;
  db: DataSource;
  config: AppConfig;
  operator: Party;
  /** A new agency of the given type with one API client and a fresh token. */
  party(role: Role, code?: string): Promise<Party>;
  token(clientId: string, clientSecret: string): Promise<string>;
  /** Audit events so far, once matching on arrival has done what was committed before the call. */
  auditCount(): Promise<number>;
  /** Returns once matching on arrival has done every job committed so far (it runs after the request's commit). */
  matched(): Promise<void>;
  close(): Promise<void>;
}

let counter = 0;

/** The real application on its own copy of the migrated database; nothing of the system is mocked. */
export interface TestAppOptions {
  /** Receives what would be logged, at trace level. */
  logTo?: { write(line: string): void };
  /** Given the new database's URL (as its owner), returns the URL the app connects with. */
  connectAs?: (ownerUrl: string) => Promise<string>;
}

export async function createTestApp(
  env: Record<string, string> = {},
  { logTo, connectAs }: TestAppOptions = {},
): Promise<TestApp> {
  const database = await createTestDatabase();
  const url = connectAs ? await connectAs(database.url) : database.url;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'takedown-app-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    DATABASE_URL: url,
    RATE_LIMIT_PER_MINUTE: '100000',
    TOKEN_RATE_LIMIT_PER_MINUTE: '100000',
    UNAUTHENTICATED_RATE_LIMIT_PER_MINUTE: '100000',
    SEED_DEMO: 'false',
    CHECKPOINT_INTERVAL_SECONDS: '0',
    IDEMPOTENCY_PURGE_INTERVAL_SECONDS: '0',
    ...env,
  });
  const app = await createApp(
    config,
    url,
    logTo
      ? createLogger('trace', logTo)
      : createLogger(process.env.TEST_LOG_LEVEL === 'error' ? 'error' : 'silent'),
  );
  const http = checkedHttp(app);
  const db = app.get(DataSource);

  const token = async (clientId: string, clientSecret: string): Promise<string> => {
    const res = await http
      .post('/v1/auth/token')
      .send({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret });
    if (res.status !== 200)
      throw new Error(`token request failed: ${res.status} ${JSON.stringify(res.body)}`);
    return (res.body as { access_token: string }).access_token;
  };
  const toParty = async (role: Role, creds: Credentials): Promise<Party> => {
    const t = await token(creds.clientId, creds.clientSecret);
    return { ...creds, role, token: t, auth: { Authorization: `Bearer ${t}` } };
  };

  const operatorCreds = await app.get(BootstrapService).ensureOperator();
  if (!operatorCreds) throw new Error('bootstrap created no operator');
  const operator = await toParty('operator', operatorCreds);

  return {
    app,
    http,
    db,
    config,
    operator,
    token,
    async party(role: Role, code = `${role}-${++counter}-${Date.now().toString(36)}`) {
      const agencies = app.get(AgenciesService);
      const agency = await agencies.create(SYSTEM_ACTOR, { code, name: `Test ${role} ${code}`, type: role });
      const client = await agencies.createClient(SYSTEM_ACTOR, agency.id, { name: `${code} client` });
      return toParty(role, {
        agencyId: agency.id,
        agencyCode: agency.code,
        clientId: client.clientId,
        clientSecret: client.clientSecret,
      });
    },
    async auditCount() {
      // Matching on arrival appends its events after the request's commit: counted once it has caught up.
      await app.get(MatchingWorker).drain();
      const [row] = await db.query<{ n: number }[]>('SELECT count(*)::int AS n FROM audit_events');
      return row.n;
    },
    matched: () => app.get(MatchingWorker).drain(),
    async close() {
      await app.close();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
