/**
 * npx ts-node --transpile-only bench/audit-verify.ts — the speed of GET /v1/audit/verify's check (AuditService.verify,
 * without HTTP) on a log of BENCH_VERIFY_EVENTS events (default 250,000) with a signed checkpoint every 50,000, next to
 * the chain-only check it replaced (rows read, entry hashes and links recomputed, nothing else), timed in the same run.
 * DATABASE_URL: a fresh database is created on that server; unset: an embedded PostgreSQL in a temp folder.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Actor } from '../src/auth/actor';
import { AuditService } from '../src/audit/audit.service';
import type { AuditRecord } from '../src/audit/audit-events';
import { AuditWriter } from '../src/audit/audit.writer';
import { entryHash, ZERO_HASH } from '../src/audit/canonical';
import { CheckpointsService } from '../src/audit/checkpoints.service';
import { TransactionService } from '../src/database/transaction.service';
import { withScratchApp } from './scratch-app';

const EVENTS = Number(process.env.BENCH_VERIFY_EVENTS ?? 250_000);
const ROUNDS = Number(process.env.BENCH_VERIFY_ROUNDS ?? 3);
const BATCH = 10_000;
const CHECKPOINT_EVERY = 50_000;

/** The check before issue 10: each row's entry hash and chain link from its canonical text, in chunks of 5,000. */
async function chainOnly(dataSource: DataSource, headSeq: number): Promise<boolean> {
  let prev = ZERO_HASH;
  for (let next = 1; next <= headSeq;) {
    const rows = await dataSource.query<
      { seq: string; canonical: string; prev_hash: string; entry_hash: string }[]
    >(
      `SELECT seq::int8 AS seq, canonical, encode(prev_hash, 'hex') AS prev_hash, encode(entry_hash, 'hex') AS entry_hash
         FROM audit_events WHERE seq >= $1 AND seq <= $2 ORDER BY seq`,
      [next, Math.min(next + 4999, headSeq)],
    );
    for (const row of rows) {
      const entry = JSON.parse(row.canonical) as { seq: number; prev: string };
      if (
        Number(row.seq) !== next ||
        row.prev_hash !== prev ||
        entryHash(row.canonical).toString('hex') !== row.entry_hash ||
        entry.seq !== next ||
        entry.prev !== prev
      )
        return false;
      prev = row.entry_hash;
      next++;
    }
  }
  return true;
}

async function main(): Promise<void> {
  await withScratchApp('bench_verify', async (app) => {
    const tx = app.get(TransactionService);
    const writer = app.get(AuditWriter);
    const checkpoints = app.get(CheckpointsService);
    const dataSource = app.get(DataSource);
    const marketplace = randomUUID();
    const t0 = performance.now();
    for (let written = 0; written < EVENTS; written += BATCH) {
      // Acknowledgements as a marketplace writes them: every searchable column set, the party implied by the text.
      const actor: Actor = {
        clientId: randomUUID(),
        agencyId: marketplace,
        role: 'marketplace',
        requestId: randomUUID(),
      };
      const records: AuditRecord[] = Array.from({ length: Math.min(BATCH, EVENTS - written) }, (_, i) => ({
        action: 'link.taken_down',
        entityType: 'link',
        entityId: randomUUID(),
        partyAgencyId: marketplace,
        data: {
          from: 'acknowledged',
          status: 'taken_down',
          at: new Date().toISOString(),
          listing: {
            title: `Kemeja flanel bekas impor ${written + i}`,
            sellerRef: `seller-${(written + i) % 977}`,
          },
        },
      }));
      await tx.run((m) => writer.append(m, actor, records));
      if ((written + BATCH) % CHECKPOINT_EVERY === 0) await checkpoints.issueIfGrown();
    }
    await checkpoints.issueIfGrown();
    // As autovacuum does on a live log; without statistics both checks read each chunk through a sort.
    await dataSource.query('ANALYZE audit_events');
    console.log(
      `${EVENTS} events written and checkpointed in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    const audit = app.get(AuditService);
    const rates = { chainOnly: [] as number[], verify: [] as number[] };
    for (let round = 0; round < ROUNDS; round++) {
      let t = performance.now();
      if (!(await chainOnly(dataSource, EVENTS))) throw new Error('the chain-only check failed');
      rates.chainOnly.push(EVENTS / ((performance.now() - t) / 1000));
      t = performance.now();
      const result = await audit.verify({});
      if (!result.ok || result.checked !== EVENTS)
        throw new Error(`verify failed: ${JSON.stringify(result)}`);
      rates.verify.push(EVENTS / ((performance.now() - t) / 1000));
      console.log(
        `round ${round + 1}: chain only ${rates.chainOnly[round].toFixed(0)} events/s, verify ${rates.verify[round].toFixed(0)} events/s`,
      );
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    console.log(
      `median: chain only ${median(rates.chainOnly).toFixed(0)} events/s, verify ${median(rates.verify).toFixed(0)} events/s, ` +
        `verify takes ${(median(rates.chainOnly) / median(rates.verify)).toFixed(2)}× as long`,
    );
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
