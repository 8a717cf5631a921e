import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { AgenciesService } from '../agencies/agencies.service';
import { SYSTEM_ACTOR } from '../auth/actor';
import { generateClientSecret, hashSecret } from '../auth/secrets';
import { APP_CONFIG, AppConfig } from '../config/config';
import { MarketplacesService } from '../marketplaces/marketplaces.service';
import { DEMO_AGENCIES, DEMO_MARKETPLACES } from './demo-seed';
import { TransactionService } from '../database/transaction.service';

export interface Credentials {
  agencyId: string;
  agencyCode: string;
  clientId: string;
  clientSecret: string;
}

/** First start: an exchange with no operator gets one, so somebody can register everyone else. */
@Injectable()
export class BootstrapService {
  private readonly logger = new Logger('Bootstrap');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tx: TransactionService,
    private readonly agencies: AgenciesService,
    private readonly marketplaces: MarketplacesService,
  ) {}

  async ensureOperator(): Promise<Credentials | null> {
    const configured = this.config.operatorClientId !== null;
    const clientId = this.config.operatorClientId ?? randomUUID();
    const secret = this.config.operatorClientSecret ?? generateClientSecret();
    const secretHash = await hashSecret(secret);
    const created = await this.tx.run(async (m) => {
      // One bootstrap at a time, even with several instances starting together.
      await m.query('SELECT pg_advisory_xact_lock(7240001)');
      const existing = await m.query<unknown[]>(
        configured
          ? 'SELECT 1 FROM api_clients WHERE id = $1'
          : `SELECT 1 FROM agencies WHERE type = 'operator' LIMIT 1`,
        configured ? [clientId] : [],
      );
      if (existing.length > 0) return null;
      let agency = (
        await m.query<
          {
            id: string;
            code: string;
          }[]
        >(`SELECT id, code FROM agencies WHERE code = 'operator'`)
      )[0];
      if (!agency)
        agency = await this.agencies.createIn(m, SYSTEM_ACTOR, {
          code: 'operator',
          name: 'Exchange operator',
          type: 'operator',
        });
      await this.agencies.createClientIn(
        m,
        SYSTEM_ACTOR,
        agency.id,
        'operator (first start)',
        secretHash,
        clientId,
      );
      return { agencyId: agency.id, agencyCode: agency.code, clientId, clientSecret: secret };
    });
    if (created && !configured) {
      const file = this.writeCredentials('operator-credentials.json', created);
      this.logger.log(`Created the operator client; its credentials are in ${file}`);
    }
    return created;
  }

  /** Demo agencies, each with one client; credentials go to DATA_DIR/demo-credentials.json. Runs once. */
  async seedDemo(): Promise<Record<string, Credentials> | null> {
    if (!this.config.seedDemo) return null;
    const prepared = await Promise.all(
      DEMO_AGENCIES.map(async (a) => {
        const secret = generateClientSecret();
        return { ...a, secret, secretHash: await hashSecret(secret), clientId: randomUUID() };
      }),
    );
    const seeded = await this.tx.run(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock(7240002)');
      const existing = await m.query<unknown[]>('SELECT 1 FROM agencies WHERE code = $1', [
        DEMO_AGENCIES[0].code,
      ]);
      if (existing.length > 0) return null;
      const out: Record<string, Credentials> = {};
      for (const a of prepared) {
        const agency = await this.agencies.createIn(m, SYSTEM_ACTOR, {
          code: a.code,
          name: a.name,
          type: a.type,
        });
        await this.agencies.createClientIn(
          m,
          SYSTEM_ACTOR,
          agency.id,
          `${a.code} demo client`,
          a.secretHash,
          a.clientId,
        );
        out[a.code] = {
          agencyId: agency.id,
          agencyCode: a.code,
          clientId: a.clientId,
          clientSecret: a.secret,
        };
      }
      for (const mk of DEMO_MARKETPLACES) {
        await this.marketplaces.createIn(m, SYSTEM_ACTOR, { agencyId: out[mk.code].agencyId, ...mk });
      }
      return out;
    });
    if (seeded) {
      const file = this.writeCredentials('demo-credentials.json', seeded);
      this.logger.log(`Seeded the demo agencies; their credentials are in ${file}`);
    }
    return seeded;
  }

  writeCredentials(name: string, content: unknown): string {
    mkdirSync(this.config.dataDir, { recursive: true });
    const file = path.join(this.config.dataDir, name);
    writeFileSync(file, JSON.stringify(content, null, 2) + '\n', { mode: 0o600 });
    return file;
  }
}
