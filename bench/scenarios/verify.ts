import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { baselineVerify } from '../evidence';
import { fmt, now, stats } from '../measure';
import { Scenario } from '../scenario';

interface VerifyRun {
  ok: boolean;
  checked: number;
  rate: number;
}

/** Full verification of the whole log by the operator; baseline: SELECT of every row and its SHA-256. */
export function verifyScenario(): Scenario<VerifyRun, number> {
  let token = '';
  return {
    name: 'verify',
    async setup(ctx) {
      token = await ctx.api.token(
        JSON.parse(readFileSync(path.join(ctx.dataDir, 'operator-credentials.json'), 'utf8')),
      );
    },
    async run(ctx) {
      const v1 = now();
      const verify = (await ctx.call(token, 'GET', '/v1/audit/verify')) as { ok: boolean; checked: number };
      const ms = now() - v1;
      if (!verify.ok) throw new Error('the audit chain did not verify');
      return { ...verify, rate: verify.checked / (ms / 1000) };
    },
    async baseline(ctx) {
      const base = await baselineVerify(ctx.pg);
      return base.checked / (base.ms / 1000);
    },
    describe: (run, api, base) =>
      `verify run ${run + 1}: ${api.checked} events in ${fmt(api.checked / api.rate, 1)} s = ${fmt(api.rate, 0)} events/s; SELECT + SHA-256 baseline ${fmt(base, 0)} events/s`,
    result(api, base) {
      const last = api[api.length - 1];
      const s = {
        eventsPerSecond: stats(api.map((r) => r.rate)),
        baselineEventsPerSecond: stats(base),
        auditVerified: last.ok,
        auditEvents: last.checked,
      };
      return {
        summary: s,
        rows: [
          {
            label: 'verify the whole log',
            text: `${fmt(s.eventsPerSecond.median, 0).padStart(9)} events/s (${fmt(s.eventsPerSecond.min, 0)}–${fmt(s.eventsPerSecond.max, 0)})  baseline ${fmt(s.baselineEventsPerSecond.median, 0)} events/s  ratio ${fmt(s.baselineEventsPerSecond.median / s.eventsPerSecond.median)}×`,
          },
        ],
      };
    },
  };
}
