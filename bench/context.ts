import { readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { ApiProcess, COUNT_MATCHING_JOBS, freePort, untilMatchingJobsDone } from '../test/support/tooling';

export const RUNS = Number(process.env.BENCH_RUNS ?? 3);
export const LOAD_SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 20);
/** BENCH_LINKS shrinks the intake, acknowledgement, polling and export cases for a quick run (default 40,000). */
export const LINKS = Number(process.env.BENCH_LINKS ?? 40_000);
export const AUDIT_TARGET = Number(process.env.BENCH_AUDIT_EVENTS ?? 1_000_000);
export const PROOFS = 1000;

export interface Marketplace {
  id: string;
  code: string;
}

/** What every scenario works with: the API process, a raw connection, tokens and the demo marketplaces. */
export interface BenchContext {
  api: ApiProcess;
  pg: Client;
  dbUrl: string;
  tmp: string;
  dataDir: string;
  creds: Record<string, { clientId: string; clientSecret: string }>;
  marketplaces: Marketplace[];
  codes: string[];
  mkIds: string[];
  byId: Map<string, string>;
  /** Fresh tokens for every demo party, by code. */
  tokens(): Promise<Record<string, string>>;
  /** A call that must succeed: any refusal stops the bench, with what was refused. */
  call(token: string, method: string, url: string, body?: string): Promise<any>;
  machine: string;
  postgres: string;
}

export async function openBench(dbUrl: string, tmp: string): Promise<BenchContext> {
  const dataDir = path.join(tmp, 'data');
  // BENCH_API_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", profiles the API process.
  const nodeArgs = (process.env.BENCH_API_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const api = new ApiProcess(
    {
      DATABASE_URL: dbUrl,
      RATE_LIMIT_PER_MINUTE: '10000000',
      TOKEN_RATE_LIMIT_PER_MINUTE: '10000',
      LOG_LEVEL: 'warn',
      CHECKPOINT_INTERVAL_SECONDS: '60',
    },
    await freePort(),
    dataDir,
    nodeArgs,
  );
  const call = async (token: string, method: string, url: string, body?: string) => {
    const res = await api.call(token, method, url, body);
    if (res.status >= 400)
      throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
    return res.body;
  };
  const pg = new Client({ connectionString: dbUrl });
  await api.start();
  await pg.connect();
  const postgres = (await pg.query('SHOW server_version')).rows[0].server_version as string;
  const creds = JSON.parse(readFileSync(path.join(dataDir, 'demo-credentials.json'), 'utf8')) as Record<
    string,
    { clientId: string; clientSecret: string }
  >;
  const tokens = async () =>
    Object.fromEntries(
      await Promise.all(Object.entries(creds).map(async ([k, c]) => [k, await api.token(c)] as const)),
    );
  const marketplaces = (await call((await tokens()).kemendag, 'GET', '/v1/marketplaces'))
    .items as Marketplace[];
  return {
    api,
    pg,
    dbUrl,
    tmp,
    dataDir,
    creds,
    marketplaces,
    codes: marketplaces.map((m) => m.code),
    mkIds: marketplaces.map((m) => m.id),
    byId: new Map(marketplaces.map((m) => [m.id, m.code])),
    tokens,
    call,
    machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.cpus()[0]?.model}`,
    postgres,
  };
}

export async function closeBench(ctx: BenchContext | undefined): Promise<void> {
  await ctx?.pg.end().catch(() => undefined);
  await ctx?.api.stop();
}

let counter = Math.floor(Math.random() * 1e9);
/** Distinct listing URLs with tracking parameters, spread over the marketplaces named by `codes`. */
export function generateLinks(n: number, codes: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const k = ++counter;
    switch (codes[i % codes.length]) {
      case 'shopee':
        out.push(
          `https://shopee.co.id/Kemeja-Flanel-Bekas-Impor-i.${100000 + (k % 5000)}.${k}?sp_atk=x${k}&xptdk=y`,
        );
        break;
      case 'tokopedia':
        out.push(
          `https://www.tokopedia.com/toko${k % 700}/jaket-denim-preloved-${k}?extParam=ivf%3Dfalse&src=topads`,
        );
        break;
      case 'lazada':
        out.push(
          `https://www.lazada.co.id/products/hoodie-bekas-i${k}-s${k + 7}.html?spm=a2o4j.searchlist.list.1`,
        );
        break;
      default:
        out.push(
          `https://shop.tiktok.com/view/product/${1729384756102000000n + BigInt(k)}?region=ID&locale=id-ID`,
        );
    }
  }
  return out;
}

/** A link batch's JSON body, serialised before any clock starts; `evidence[i]`, if given, is link i's listing. */
export const batchBody = (reference: string, urls: string[], evidence?: object[]) =>
  JSON.stringify({
    reference,
    legalBasis: 'bench',
    links: urls.map((url, i) => (evidence ? { url, listing: evidence[i] } : { url })),
  });

/** Milliseconds from now until matching on arrival has done every queued job (it runs after each commit). */
export function untilMatched(ctx: BenchContext, timeoutMs = 600_000): Promise<number> {
  return untilMatchingJobsDone(
    async () => (await ctx.pg.query<{ n: number }>(COUNT_MATCHING_JOBS)).rows[0].n,
    timeoutMs,
  );
}
