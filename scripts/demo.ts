/**
 * npm run demo — drives a running exchange (npm start) through a takedown campaign and prints each step.
 * Uses the demo agencies seeded on first start (DATA_DIR/demo-credentials.json, DATA_DIR defaulting to .data).
 * The exchange is at BASE_URL, else http://127.0.0.1:$PORT (PORT defaulting to 3000); DEMO_URL is BASE_URL's old name.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Creds, Json } from '../test/support/tooling';
import { BASE, call, DATA_DIR, Demo, DemoLink, say, step, token } from './demo/client';
import { coNotifyAct } from './demo/co-notify-act';
import { dueProcessAct } from './demo/due-process-act';
import { evasionAct } from './demo/evasion-act';
import { stayDownAct } from './demo/stay-down-act';

let seed = 20231107;
const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const pick = <T>(items: T[]): T => items[Math.floor(rand() * items.length)];

const ITEMS = [
  'Kemeja-Flanel',
  'Jaket-Denim',
  'Hoodie',
  'Celana-Cargo',
  'Sweater-Rajut',
  'Kaos-Band',
  'Blazer-Wanita',
  'Rok-Plisket',
];
const SPIN = [
  'Bekas-Impor',
  'Preloved-Korea',
  'Second-Branded',
  'Thrift-Jepang',
  'Bal-Import',
  'Pre-Optimized',
];
const SHOPS = ['tokothrift', 'gudangbekas', 'preloved_id', 'balimport88', 'thriftkorea', 'jaketjadul'];

function listingUrl(market: string, n: number, slugSeed = ''): string {
  const slug = `${pick(ITEMS)}-${pick(SPIN)}${slugSeed}`;
  switch (market) {
    case 'shopee':
      return `https://shopee.co.id/${slug}-i.${100000 + (n % 97)}.${2300000000 + n}?sp_atk=${n.toString(36)}&xptdk=${(n * 7).toString(36)}`;
    case 'tokopedia':
      return `https://www.tokopedia.com/${SHOPS[n % SHOPS.length]}/${slug.toLowerCase()}-${((n * 2654435761) % 0xffffff).toString(16)}?extParam=ivf%3Dfalse&src=topads`;
    case 'lazada':
      return `https://www.lazada.co.id/products/${slug.toLowerCase()}-i${160000000 + n}-s${181000000 + n}.html?spm=a2o4j.searchlist.list.${n % 40}`;
    default:
      return `https://shop.tiktok.com/view/product/${1729384756102000000n + BigInt(n)}?region=ID&locale=id-ID`;
  }
}

async function signIn(): Promise<Record<string, string>> {
  const creds = JSON.parse(readFileSync(path.join(DATA_DIR, 'demo-credentials.json'), 'utf8')) as Record<
    string,
    Creds
  >;
  const operator = JSON.parse(
    readFileSync(path.join(DATA_DIR, 'operator-credentials.json'), 'utf8'),
  ) as Creds;
  const t: Record<string, string> = {};
  for (const [code, c] of Object.entries(creds)) t[code] = await token(c);
  t.operator = await token(operator);
  return t;
}

async function thePartiesAct(d: Demo): Promise<void> {
  step(1, 'The parties');
  const marketplaces = (await call(d.t.kemendag, 'GET', '/v1/marketplaces')).items as Json[];
  for (const m of marketplaces) d.codes.set(m.id as string, m.code as string);
  for (const m of marketplaces)
    say(
      `  ${m.code.padEnd(10)} ${m.name.padEnd(14)} domains ${m.domains.join(', ').padEnd(30)} SLA ${m.takedownSlaHours} h, urgent ${m.urgentSlaHours} h`,
    );
  say('  + Kementerian Perdagangan (ministry), idEA (association), Bareskrim Polri (police)');
}

async function patrolBatchAct(d: Demo): Promise<void> {
  step(2, 'The ministry submits a batch of links found by its patrol');
  const links: { url: string }[] = [];
  d.n = Math.floor(rand() * 1e6);
  for (let i = 0; i < 3000; i++) links.push({ url: listingUrl(d.markets[i % 4], ++d.n) });
  for (let i = 0; i < 25; i++)
    links.push({
      url: links[i * 7].url.replace('https://www.', 'https://m.').replace('https://shopee', 'https://SHOPEE'),
    }); // same listing, other form
  links.push(
    { url: 'https://shopee.co.id' + '/x'.repeat(1100) },
    { url: 'htp//broken link' },
    { url: 'https://olx.co.id/item/kemeja-123' },
    { url: 'javascript:alert(1)' },
  );
  const first = await call(d.t.kemendag, 'POST', '/v1/link-batches', {
    reference: 'PKTN/2026/11/0042',
    legalBasis: 'Permendag No. 18/2021 jo. No. 40/2022 (barang dilarang impor: pakaian bekas)',
    category: 'used-clothing',
    links,
  });
  say(`  batch ${first.id}: ${links.length} links submitted`);
  say(
    `  accepted ${first.counts.accepted}, duplicates ${first.counts.duplicate}, rejected ${first.counts.rejected}`,
  );
  for (const m of first.byMarketplace) say(`    → ${m.code.padEnd(10)} ${m.accepted} links`);
  const reasons = new Map<string, number>();
  for (const r of first.rejected) reasons.set(r.reason, (reasons.get(r.reason) ?? 0) + 1);
  say(`  rejected by reason: ${[...reasons].map(([r, c]) => `${r} ${c}`).join(', ')}`);
}

async function pendingLinks(token: string): Promise<DemoLink[]> {
  const mine: DemoLink[] = [];
  let cursor: string | null = null;
  do {
    const page = await call(
      token,
      'GET',
      `/v1/links?status=pending&limit=1000${cursor ? `&cursor=${cursor}` : ''}`,
    );
    mine.push(...(page.items as DemoLink[]));
    cursor = page.nextCursor as string | null;
  } while (cursor);
  return mine;
}

/** One marketplace's verdict on each link: mostly taken down, some not found or rejected, a few left open. */
function judgeLinks(d: Demo, code: string, mine: DemoLink[]) {
  const outcome = { taken_down: 0, not_found: 0, rejected: 0, pending: 0 };
  const items: Json[] = [];
  d.takenDown[code] = [];
  for (const l of mine) {
    const r = rand();
    const sellerRef = pick(d.sellers[code]);
    if (r < 0.9) {
      items.push({
        linkId: l.id,
        status: 'taken_down',
        listing: {
          title: 'Kemeja flanel bekas impor',
          sellerRef,
          price: 35000 + Math.floor(rand() * 90000),
          currency: 'IDR',
        },
      });
      outcome.taken_down++;
      d.takenDown[code].push(l);
    } else if (r < 0.94) {
      items.push({ linkId: l.id, status: 'not_found' });
      outcome.not_found++;
    } else if (r < 0.97) {
      const reason = pick([
        'listing sells new stock with import papers',
        'not clothing',
        'already removed by seller before notice',
      ]);
      items.push({ linkId: l.id, status: 'rejected', reason });
      outcome.rejected++;
    } else {
      outcome.pending++;
      d.stillOpen.push(l);
    }
  }
  return { outcome, items };
}

async function marketplacesReportAct(d: Demo): Promise<void> {
  step(3, 'Each marketplace polls its pending links and reports back');
  for (const code of d.markets) {
    d.sellers[code] = Array.from({ length: 40 }, (_, i) => `${code}-seller-${1000 + i}`);
    const mine = await pendingLinks(d.t[code]);
    await call(d.t[code], 'POST', '/v1/links/acknowledgements', {
      items: mine.map((l) => ({ linkId: l.id, status: 'acknowledged' })),
    });
    const { outcome, items } = judgeLinks(d, code, mine);
    for (let i = 0; i < items.length; i += 1000)
      await call(d.t[code], 'POST', '/v1/links/acknowledgements', { items: items.slice(i, i + 1000) });
    say(
      `  ${code.padEnd(10)} ${mine.length} received → taken down ${outcome.taken_down}, not found ${outcome.not_found}, rejected ${outcome.rejected}, still acknowledged ${outcome.pending}`,
    );
  }
}

async function relistingAct(d: Demo): Promise<Json> {
  step(4, 'Sellers relist: a month later the patrol finds listings again under new names');
  const again: { url: string }[] = [];
  for (const code of d.markets)
    for (const l of d.takenDown[code].slice(0, 30))
      again.push({
        url: l.url.replace(
          /(Bekas-Impor|Preloved-Korea|Second-Branded|Thrift-Jepang|Bal-Import|Pre-Optimized)/i,
          'Premium-Original-Baru',
        ),
      });
  for (let i = 0; i < 200; i++) again.push({ url: listingUrl(d.markets[i % 4], ++d.n) });
  for (const l of d.stillOpen.slice(0, 12)) again.push({ url: l.url }); // still being handled: duplicates
  const second = await call(d.t.kemendag, 'POST', '/v1/link-batches', {
    reference: 'PKTN/2026/12/0007',
    legalBasis: 'Permendag No. 18/2021 jo. No. 40/2022',
    links: again,
  });
  say(
    `  batch ${second.id}: accepted ${second.counts.accepted}, of which relisted ${second.counts.relisted}; ${second.counts.duplicate} duplicates of links still open`,
  );
  say(
    '  (Shopee, Lazada and TikTok key a listing by its ids, so a new title is still the same listing; Tokopedia keys it by shop and slug.)',
  );
  const example = second.relisted[0] as Json;
  if (example)
    say(
      `  e.g. ${example.url.slice(0, 90)}…\n       is listing ${example.linkId}, taken down before as ${example.priorLinkIds.join(', ')}`,
    );
  return second;
}

async function repeatSellersAct(d: Demo, second: Json): Promise<void> {
  step(5, 'Repeat sellers');
  const shopeeRelisted = second.relisted.find((r: Json) => r.url.includes('shopee')) as Json | undefined;
  if (!shopeeRelisted) return;
  await call(d.t.shopee, 'POST', '/v1/links/acknowledgements', {
    items: [
      { linkId: shopeeRelisted.linkId, status: 'acknowledged', listing: { sellerRef: d.sellers.shopee[0] } },
    ],
  });
  const seen = await call(d.t.kemendag, 'GET', `/v1/links/${shopeeRelisted.linkId}`);
  say(`  the ministry sees link ${seen.id} with repeatSeller ${JSON.stringify(seen.repeatSeller)}`);
}

async function watchlistAct(d: Demo): Promise<void> {
  step(6, 'The keyword watchlist');
  for (const [term, note] of [
    ['bal', 'bale of used clothes'],
    ['pre-optimized', 'replaces "used" in titles'],
    ['preloved impor', 'imported second-hand'],
    ['thrift bal', 'bale sold by weight'],
  ]) {
    await call(d.t.kemendag, 'POST', '/v1/keywords', { term, note }).catch((e: Error) =>
      say(`  (${term}: ${e.message.split(': ').pop()})`),
    );
  }
  const watch = await call(d.t.shopee, 'GET', '/v1/keywords');
  say(`  watchlist version ${watch.version}: ${watch.items.map((k: Json) => k.term).join(', ')}`);
}

async function statisticsAct(d: Demo): Promise<void> {
  step(11, 'Takedown statistics');
  const stats = await call(d.t.idea, 'GET', '/v1/stats/takedowns');
  say('  marketplace  received  taken_down  not_found  rejected  pending/ack  relisted  median h  p90 h');
  for (const s of stats.marketplaces as Json[]) {
    const b = s.byStatus as Json;
    say(
      `  ${s.code.padEnd(11)} ${String(s.received).padStart(9)} ${String(b.taken_down).padStart(11)} ${String(b.not_found).padStart(10)} ${String(b.rejected).padStart(9)} ${String(b.pending + b.acknowledged).padStart(12)} ${String(s.relisted).padStart(9)} ${String(s.medianHoursToTakedown ?? '-').padStart(9)} ${String(s.p90HoursToTakedown ?? '-').padStart(6)}`,
    );
  }
  say('  (the demo compresses a campaign into seconds, so hours to takedown are close to 0)');
}

async function auditTrailAct(d: Demo): Promise<boolean> {
  step(13, 'The operator verifies the audit trail');
  const verify = await call(d.t.operator, 'GET', '/v1/audit/verify');
  say(
    `  ${verify.ok ? 'chain verified' : `CHAIN BROKEN at seq ${verify.firstBadSeq}`}: ${verify.checked} events, head ${verify.headHash.slice(0, 16)}…`,
  );
  return verify.ok as boolean;
}

async function main(): Promise<void> {
  const d: Demo = {
    t: await signIn(),
    markets: ['shopee', 'tokopedia', 'lazada', 'tiktok'],
    codes: new Map(),
    n: 0,
    sellers: {},
    takenDown: {},
    stillOpen: [],
  };
  await thePartiesAct(d);
  await patrolBatchAct(d);
  await marketplacesReportAct(d);
  const second = await relistingAct(d);
  await repeatSellersAct(d, second);
  await watchlistAct(d);
  await evasionAct(d, 7);
  await stayDownAct(d, 8);
  await dueProcessAct(d, 9);
  await coNotifyAct(d, 10);
  await statisticsAct(d);
  step(12, 'The police ask for the evidence on the relisted sellers');
  const evidenceOk = await evidenceAct(d.t, second.relisted as Json[], d.sellers);
  const chainOk = await auditTrailAct(d);
  if (!chainOk || !evidenceOk) process.exitCode = 1;
}

/** A marketplace's answer to the request: TikTok declines, the others hand over their seller's record. */
function evidenceAnswer(code: string, sellers: Record<string, string[]>): Json {
  return code === 'tiktok'
    ? { decision: 'decline', reason: 'listings were removed before the notice; no seller data retained' }
    : {
        decision: 'fulfil',
        sellerRecords: [
          {
            sellerRef: code === 'shopee' ? sellers.shopee[0] : `${code}-seller-1000`,
            registeredName: `CV ${code === 'shopee' ? 'Bal Jaya' : 'Thrift Nusantara'}`,
            contact: '+62 812 5550 0417',
            address: 'Jl. Pasar Senen Blok III No. 12, Jakarta Pusat',
            notes: 'registered seller since 2021; bank account on file',
          },
        ],
      };
}

/** The package downloaded into the data folder and checked by the offline verifier against the published key. */
async function downloadAndVerify(police: string, filed: Json): Promise<boolean> {
  const res = await fetch(`${BASE}/v1/evidence-requests/${filed.id}/export`, {
    headers: { Authorization: `Bearer ${police}` },
  });
  if (!res.ok) throw new Error(`export → ${res.status}: ${await res.text()}`);
  const zip = path.join(DATA_DIR, 'evidence', `${filed.caseNumber.replace(/[^A-Za-z0-9]+/g, '-')}.zip`);
  mkdirSync(path.dirname(zip), { recursive: true });
  writeFileSync(zip, Buffer.from(await res.arrayBuffer()));
  const keyFile = path.join(DATA_DIR, 'evidence', 'audit-keys.json');
  writeFileSync(keyFile, JSON.stringify(await call(police, 'GET', '/v1/audit/keys'), null, 2));
  say(
    `  package saved to ${path.relative(process.cwd(), zip)} (SHA-256 ${res.headers.get('x-package-sha256')})`,
  );
  say(
    `  $ npm run verify-evidence -- ${path.relative(process.cwd(), zip)} --key ${path.relative(process.cwd(), keyFile)}`,
  );
  const verifier = spawnSync(
    process.execPath,
    [
      '-r',
      'ts-node/register/transpile-only',
      path.join(__dirname, '../src/cli/verify-evidence.ts'),
      zip,
      '--key',
      keyFile,
    ],
    { encoding: 'utf8' },
  );
  say(
    verifier.stdout
      .trimEnd()
      .split('\n')
      .map((l) => `  ${l}`)
      .join('\n'),
  );
  if (verifier.stderr) say(verifier.stderr);
  return verifier.status === 0;
}

/**
 * The police file a request for the relisted listings and the repeat seller, every addressed marketplace answers,
 * and the package is downloaded into the data folder and checked by the offline verifier against the published key.
 */
async function evidenceAct(
  t: Record<string, string>,
  relisted: Json[],
  sellers: Record<string, string[]>,
): Promise<boolean> {
  const filed = await call(t['polri-siber'], 'POST', '/v1/evidence-requests', {
    caseNumber: 'LP/B/0417/XII/2026/SPKT/BARESKRIM',
    legalBasis: 'UU No. 7/2014 tentang Perdagangan, Pasal 47 jo. Pasal 111; KUHAP Pasal 7',
    purpose: 'Penyidikan perdagangan pakaian bekas impor oleh penjual berulang',
    scope: { urls: relisted.map((r) => r.url as string), sellerRefs: [sellers.shopee[0]] },
  });
  say(
    `  case ${filed.caseNumber}: ${filed.linkCount} links, addressed to ${filed.marketplaces.length} marketplaces (status ${filed.status})`,
  );
  const byId = new Map(
    ((await call(t.kemendag, 'GET', '/v1/marketplaces')).items as Json[]).map((m) => [m.id, m.code]),
  );
  for (const part of filed.marketplaces as Json[]) {
    const code = byId.get(part.marketplaceId) as string;
    const mine = await call(t[code], 'GET', `/v1/evidence-requests/${filed.id}`);
    const answer = evidenceAnswer(code, sellers);
    const answered = await call(t[code], 'POST', `/v1/evidence-requests/${filed.id}/responses`, answer);
    say(
      `  ${code.padEnd(10)} sees its ${mine.linkCount} links and answers ${answer.decision} → request ${answered.status}`,
    );
  }

  const verified = await downloadAndVerify(t['polri-siber'], filed);
  await call(t['polri-siber'], 'POST', `/v1/evidence-requests/${filed.id}/close`);
  say('  the police close the request; its audit events stay in the trail');
  return verified;
}

main().catch((error: unknown) => {
  console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
  console.error(
    `Is the exchange running at ${BASE}? Start it with npm start, or point BASE_URL (or PORT) at the one running.`,
  );
  process.exit(1);
});
