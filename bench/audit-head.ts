/**
 * npm run bench:audit-head — the ceiling of the audit head: how many state-changing transactions a second the single
 * locked head row lets through on this machine. Each worker runs the real AuditWriter in its own transaction (the
 * same code every service uses, without HTTP or validation) appending one event, with 1 to 16 workers.
 * DATABASE_URL: a fresh database is created on that server; unset: an embedded PostgreSQL in a temp folder.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { SYSTEM_ACTOR } from '../src/auth/actor';
import { keywordAdded } from '../src/audit/audit-events';
import { AuditWriter } from '../src/audit/audit.writer';
import { AuditService } from '../src/audit/audit.service';
import { TransactionService } from '../src/database/transaction.service';
import { withScratchApp } from './scratch-app';

const SECONDS = Number(process.env.BENCH_HEAD_SECONDS ?? 10);
const WORKERS = [1, 2, 4, 8, 16];

async function main(): Promise<void> {
  await withScratchApp('bench_head', async (app) => {
    const tx = app.get(TransactionService);
    const audit = app.get(AuditWriter);
    console.log(`audit head ceiling: one event per transaction, ${SECONDS} s per step`);
    console.log('workers  transactions/s  p50 ms  p99 ms');
    for (const workers of WORKERS) {
      const latencies: number[] = [];
      const until = performance.now() + SECONDS * 1000;
      await Promise.all(
        Array.from({ length: workers }, async () => {
          while (performance.now() < until) {
            const t0 = performance.now();
            await tx.run((m) =>
              audit.record(m, SYSTEM_ACTOR, keywordAdded(randomUUID(), 'audit head ceiling', null)),
            );
            latencies.push(performance.now() - t0);
          }
        }),
      );
      latencies.sort((a, b) => a - b);
      const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
      console.log(
        `${String(workers).padStart(7)}  ${(latencies.length / SECONDS).toFixed(0).padStart(14)}  ${at(0.5).toFixed(1).padStart(6)}  ${at(0.99).toFixed(1).padStart(6)}`,
      );
    }
    const verify = await app.get(AuditService).verify({});
    console.log(`chain after the run: ${verify.ok ? 'verified' : 'BROKEN'} (${verify.checked} events)`);
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
