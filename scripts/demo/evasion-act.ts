/**
 * The 2023 campaign's hardest part, told through the API: a bale taken down on Shopee comes back on Tokopedia under a
 * new shop, with "preloved" for "bekas" and a recompressed photo; Tokopedia's screening catches the upload, the
 * ministry's patrol finds it live anyway and the two links are grouped; then a marketplace reports its own takedowns.
 */
import type { Json } from '../../test/support/tooling';
import { call, Demo, fingerprint, matchedLink, say, step } from './client';
import { garmentPhoto, recompressed } from './garment-photo';

const FIRST_REFERENCE = 'PKTN/2026/12/0019';
const PATROL_REFERENCE = 'PKTN/2026/12/0023';
const LEGAL_BASIS = 'Permendag No. 18/2021 jo. No. 40/2022 (barang dilarang impor: pakaian bekas)';
const SHOWN = 5;

/** The parts of the answers this act prints (the OpenAPI document has them in full). */
interface ShownMatch {
  signal: 'image' | 'title' | 'seller' | 'keyword';
  linkId?: string;
  marketplaceId?: string;
  algorithm?: string;
  distance?: number;
  similarity?: number;
  term?: string;
  batchReference?: string | null;
}
interface GroupLink {
  linkId: string | null;
  marketplaceId: string;
  sellerRef: string | null;
  status: string;
  batchReference: string | null;
}
interface RelistingGroup {
  id: string;
  size: number;
  links: GroupLink[];
}
interface SourceStats {
  received: number;
  byStatus: Record<string, number>;
}

/** A one-link ministry batch; the link's id as its marketplace sees it. */
async function ministryLink(d: Demo, reference: string, url: string, code: string): Promise<string> {
  const batch = await call(d.t.kemendag, 'POST', '/v1/link-batches', {
    reference,
    legalBasis: LEGAL_BASIS,
    category: 'used-clothing',
    links: [{ url }],
  });
  const page = await call(d.t[code], 'GET', `/v1/links?batchId=${batch.id}`);
  return (page.items as Json[])[0].id as string;
}

async function takeDown(d: Demo, code: string, linkId: string, listing: Json): Promise<void> {
  const ack = await call(d.t[code], 'POST', '/v1/links/acknowledgements', {
    items: [{ linkId, status: 'taken_down', listing }],
  });
  const [result] = ack.results as Json[];
  if (!result.ok) throw new Error(`${code} could not take down ${linkId}: ${result.error}`);
}

/** A match's measure: Hamming distance for an image, trigram similarity for a title, the term for a keyword. */
function measureOf(x: ShownMatch): string {
  if (x.signal === 'image') return `${x.algorithm} distance ${x.distance} bits`;
  if (x.signal === 'title') return `similarity ${x.similarity}`;
  return x.signal === 'keyword' ? `watchlist term "${x.term}"` : 'same seller';
}

/**
 * Matches as the marketplace sees them, one line per signal, measure and what it may know: of another marketplace's
 * link the batch reference only, of its own the link. Alike matches (the demo run more than once) share a line.
 */
function matchLines(matches: ShownMatch[], codes: Map<string, string>): string[] {
  const alike = new Map<string, ShownMatch[]>();
  for (const x of matches) {
    const key = [x.signal, measureOf(x), x.linkId ? 'own' : 'foreign', x.batchReference].join('|');
    alike.set(key, [...(alike.get(key) ?? []), x]);
  }
  return [...alike.values()].map((same) => {
    const x = same[0];
    const more = same.length > 1 ? ` (and ${same.length - 1} more like it)` : '';
    const where =
      x.signal === 'keyword'
        ? ''
        : x.linkId
          ? `its own link ${x.linkId} (${codes.get(x.marketplaceId ?? '')})`
          : `batch ${x.batchReference ?? '(a marketplace’s own report)'}; another marketplace’s link, not shown`;
    return `    ${x.signal.padEnd(8)} ${measureOf(x).padEnd(26)} ${where}${more}`.trimEnd();
  });
}

/**
 * Tokopedia's screening of the upload. "Weeks later" is a moment here, and the takedown's fingerprint is kept just
 * after its commit (matching on arrival): the screening is asked again until the photo's match is there.
 */
async function screenUntilMatched(d: Demo, item: Json): Promise<ShownMatch[]> {
  for (const until = Date.now() + 30_000; ;) {
    const screened = await call(d.t.tokopedia, 'POST', '/v1/screenings', { items: [item] });
    const matches = (screened.results as Json[])[0].matches as ShownMatch[];
    if (matches.some((x) => x.signal === 'image')) return matches;
    if (Date.now() > until) throw new Error('the screening found no image match within 30 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function catchTheRelisting(d: Demo, tag: string): Promise<void> {
  const photo = await garmentPhoto();
  const item = Date.now();
  const original = {
    url: `https://shopee.co.id/Karung-Baju-Bekas-Import-Korea-100kg-i.${41270000 + (item % 9973)}.${item}`,
    title: 'Karung baju bekas import Korea 100kg',
    sellerRef: `balkorea_${tag}`,
    sellerName: 'Bal Korea Bandung',
  };
  const shopeeLink = await ministryLink(d, FIRST_REFERENCE, original.url, 'shopee');
  const [shopeeHash] = await fingerprint(d.t.shopee, photo); // Shopee has no hasher of its own
  await takeDown(d, 'shopee', shopeeLink, {
    title: original.title,
    sellerRef: original.sellerRef,
    sellerName: original.sellerName,
    price: 1850000,
    currency: 'IDR',
    imageHashes: [shopeeHash],
  });
  say(`  shopee takes down "${original.title}" (shop ${original.sellerRef}, batch ${FIRST_REFERENCE})`);
  say(`    its photo hashed by POST /v1/fingerprints: phash ${shopeeHash.hash}`);

  const copy = await recompressed(photo);
  const relist = {
    url: `https://www.tokopedia.com/prelovedkorea${tag}/karung-b4ju-preloved-import-korea-100kg`,
    title: 'KARUNG B4JU PRELOVED import Korea 100kg',
    sellerRef: `prelovedkorea${tag}`,
    sellerName: 'Preloved Korea Murah',
  };
  const [copyHash] = await fingerprint(d.t.tokopedia, copy);
  say(`  weeks later on tokopedia, a new shop ${relist.sellerRef} uploads "${relist.title}"`);
  say(`    with the photo at 480 px, JPEG quality 40 (${copy.length} bytes): phash ${copyHash.hash}`);
  const matches = await screenUntilMatched(d, { ref: `upload-${tag}`, ...relist, imageHashes: [copyHash] });
  say(`  tokopedia screens the upload before it goes live (POST /v1/screenings): ${matches.length} matches`);
  for (const line of matchLines(matches, d.codes)) say(line);
  say('    (titles are compared folded: karung → bal, b4ju → baju, preloved and pre-optimized → bekas)');

  const tokopediaLink = await ministryLink(d, PATROL_REFERENCE, relist.url, 'tokopedia');
  await takeDown(d, 'tokopedia', tokopediaLink, {
    title: relist.title,
    sellerRef: relist.sellerRef,
    sellerName: relist.sellerName,
    price: 1750000,
    currency: 'IDR',
    imageHashes: [copyHash],
  });
  say(`  it went live anyway; the patrol finds it (batch ${PATROL_REFERENCE}) and tokopedia takes it down`);
  await printGroup(d, tokopediaLink);
}

/** The group the relisted link joined, as the ministry sees it: every link, its marketplace and seller. */
async function printGroup(d: Demo, linkId: string): Promise<void> {
  const seen = await matchedLink(d, linkId);
  const signals = (seen.relistingSignals as ShownMatch[]).map((s) =>
    s.signal === 'image'
      ? `image (${s.distance} bits)`
      : s.signal === 'title'
        ? `title (${s.similarity})`
        : s.signal === 'keyword'
          ? `keyword "${s.term}"`
          : 'seller',
  );
  say(`  its link carries relistingSignals: ${[...new Set(signals)].join(', ')}`);
  const tokopediaId = [...d.codes].find(([, code]) => code === 'tokopedia')![0];
  const groups = await call(
    d.t.kemendag,
    'GET',
    `/v1/relisting-groups?marketplaceId=${tokopediaId}&limit=20`,
  );
  const listed = (groups.items as RelistingGroup[]).find((g) => g.links.some((l) => l.linkId === linkId));
  if (!listed) throw new Error(`no relisting group holds link ${linkId}`);
  const group = (await call(d.t.kemendag, 'GET', `/v1/relisting-groups/${listed.id}`)) as RelistingGroup;
  say(`  the ministry sees relisting group ${group.id}, ${group.size} links:`);
  const earlier = group.links.length - SHOWN;
  if (earlier > 0) say(`    … ${earlier} earlier`);
  for (const l of group.links.slice(-SHOWN))
    say(
      `    ${(d.codes.get(l.marketplaceId) ?? '?').padEnd(10)} ${l.status.padEnd(11)} seller ${String(l.sellerRef).padEnd(24)} batch ${l.batchReference}${l.linkId === linkId ? '  ← this one' : ''}`,
    );
}

/** Lazada's own takedowns, found by its own search, reported to the exchange; then its statistics by source. */
async function ownTakedowns(d: Demo, tag: string): Promise<void> {
  const base = 170000000 + (Date.now() % 1e7) * 10;
  const items = [
    ['Bal Pakaian Bekas Jepang 50kg', 'baljepang'],
    ['Sweater Rajut Pre-Optimized Korea', 'thriftkorea'],
    ['Jaket Denim Thrift Import Grade A', 'jaketjadul'],
  ].map(([title, shop], i) => ({
    url: `https://www.lazada.co.id/products/${title.toLowerCase().replace(/ /g, '-')}-i${base + i}-s${base + i + 5}.html`,
    takenDownAt: new Date(Date.now() - (i + 1) * 3_600_000).toISOString(),
    reason: 'Permendag 40/2022: used clothing, import prohibited',
    category: 'used-clothing',
    listing: { title, sellerRef: `${shop}_${tag}`, price: 95000 + i * 40000, currency: 'IDR' },
  }));
  const report = await call(d.t.lazada, 'POST', '/v1/takedown-reports', { items });
  const results = report.results as Json[];
  const ok = results.filter((r) => r.ok).length;
  const refused = results.find((r) => !r.ok);
  say(
    `  lazada reports ${items.length} listings it took down on its own (POST /v1/takedown-reports): report ${report.reportId}, ${ok} links with source marketplace`,
  );
  if (refused) say(`    item ${refused.index} refused: ${refused.error}`);
  const stats = await call(d.t.idea, 'GET', '/v1/stats/takedowns');
  const lazada = (stats.marketplaces as Json[]).find((m) => m.code === 'lazada')!;
  const { ministry, marketplace } = lazada.bySource as { ministry: SourceStats; marketplace: SourceStats };
  say(
    `  its statistics by source: ministry ${ministry.received} received, ${ministry.byStatus.taken_down} taken down; own reports ${marketplace.received} received, ${marketplace.byStatus.taken_down} taken down`,
  );
}

export async function evasionAct(d: Demo, n: number): Promise<void> {
  step(n, 'Evasion: new shop, new marketplace, new words, recompressed photo');
  const tag = Date.now().toString(36).slice(-5); // fresh listings and shops on every run
  await catchTheRelisting(d, tag);
  await ownTakedowns(d, tag);
}
