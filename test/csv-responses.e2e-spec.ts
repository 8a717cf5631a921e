import { parse } from 'csv-parse/sync';
import type { Response } from 'supertest';
import { createTestApp, TestApp } from './support/app';
import { Campaign, setUpCampaign, shopeeUrl, submitBatch } from './support/campaign';
import { expectProblem } from './support/problem';

type Json = Record<string, unknown>;

const LINK_COLUMNS = [
  'id',
  'source',
  'batchId',
  'reportId',
  'notifierAgencyId',
  'coNotifierAgencyIds',
  'marketplaceId',
  'url',
  'canonicalUrl',
  'listingKey',
  'status',
  'statusReason',
  'priority',
  'dueAt',
  'overdue',
  'clockPausedAt',
  'relisted',
  'priorLinkIds',
  'note',
  'keywords',
  'listing.title',
  'listing.description',
  'listing.sellerRef',
  'listing.sellerName',
  'listing.price',
  'listing.currency',
  'listing.screenshotSha256',
  'listing.imageHashes',
  'decision.visibility',
  'decision.account',
  'decision.ground',
  'decision.legalGround',
  'decision.automatedDetection',
  'decision.automatedDecision',
  'decision.sellerNotifiedAt',
  'relistingSignals',
  'repeatSeller.sellerRef',
  'repeatSeller.priorTakedowns',
  'createdAt',
  'updatedAt',
  'resolvedAt',
  'reappeared',
  'lastObservation.id',
  'lastObservation.observedAt',
  'lastObservation.result',
  'lastObservation.finalUrl',
];

const STATS_COLUMNS = [
  'from',
  'to',
  'marketplaceId',
  'code',
  'name',
  'received',
  'byStatus.pending',
  'byStatus.acknowledged',
  'byStatus.taken_down',
  'byStatus.not_found',
  'byStatus.rejected',
  'byStatus.withdrawn',
  'byStatus.reinstated',
  'overdue',
  'relisted',
  'medianHoursToTakedown',
  'p90HoursToTakedown',
  'observed',
  'stayedDown',
  'stayDownRate',
  'reappeared',
  'accountActions.none',
  'accountActions.warned',
  'accountActions.suspended',
  'accountActions.terminated',
  'ministry.received',
  'ministry.byStatus.pending',
  'ministry.byStatus.acknowledged',
  'ministry.byStatus.taken_down',
  'ministry.byStatus.not_found',
  'ministry.byStatus.rejected',
  'ministry.byStatus.withdrawn',
  'ministry.byStatus.reinstated',
  'ministry.relisted',
  'ministry.overdue',
  'ministry.medianHoursToTakedown',
  'ministry.p90HoursToTakedown',
  'marketplace.received',
  'marketplace.byStatus.pending',
  'marketplace.byStatus.acknowledged',
  'marketplace.byStatus.taken_down',
  'marketplace.byStatus.not_found',
  'marketplace.byStatus.rejected',
  'marketplace.byStatus.withdrawn',
  'marketplace.byStatus.reinstated',
  'marketplace.relisted',
];

/**
 * What the API documents a JSON value becomes in a CSV cell: empty for null or absent, arrays joined with `;`, a
 * leading = + - @ tab or CR neutralised with an apostrophe.
 */
function documentedCell(value: unknown): string {
  let text: string;
  if (value === null || value === undefined) text = '';
  else if (Array.isArray(value)) text = value.join(';');
  else if (typeof value === 'string') text = value;
  else if (typeof value === 'number' || typeof value === 'boolean') text = String(value);
  else text = JSON.stringify(value);
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

const at = (row: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((node, key) => (node as Json | undefined)?.[key], row);

/** A JSON row as the documented CSV row, column by column. */
const asCsvRow = (row: unknown, columns: string[]) => columns.map((c) => documentedCell(at(row, c)));

/** The CSV of a response, parsed by a parser that is not ours: header row and rows. */
function csvOf(res: Response): { header: string[]; rows: string[][] } {
  expect(res.headers['content-type']).toMatch(/^text\/csv; ?charset=utf-8/);
  // A byte-order mark, so a spreadsheet opens the answer as UTF-8 rather than its locale's code page.
  expect(res.text.startsWith('\ufeff')).toBe(true);
  const records: string[][] = parse(res.text, { bom: true });
  const [header, ...rows] = records;
  return { header, rows };
}

describe('CSV answers for link lists and statistics (Accept: text/csv)', () => {
  let t: TestApp;
  let c: Campaign;
  let batchId: string;
  let ids: string[];

  beforeAll(async () => {
    t = await createTestApp();
    c = await setUpCampaign(t);
    const submitted = await submitBatch(t, c, [
      { url: shopeeUrl('Biasa') },
      { url: shopeeUrl('Rumus'), note: '=HYPERLINK("https://evil.example","klik")', keywords: ['+bekas'] },
      { url: shopeeUrl('Kutip'), note: 'kemeja, "flanel"\nbaris dua', keywords: ['pre-optimized', 'bal'] },
      { url: shopeeUrl('Penjual-A') },
      { url: shopeeUrl('Penjual-B'), note: '-5% diskon' },
    ]);
    batchId = submitted.batchId;
    ids = submitted.links.map((l) => l.id);
    // A reported listing (nested fields), a takedown of the same seller (so the other is a repeat seller), a rejection.
    await t.http
      .post('/v1/links/acknowledgements')
      .set(c.shopee.auth)
      .send({
        items: [
          {
            linkId: ids[3],
            status: 'taken_down',
            listing: {
              title: 'Kemeja flanel bekas',
              sellerRef: 'seller-77',
              price: 125000.5,
              currency: 'IDR',
            },
          },
          {
            linkId: ids[4],
            status: 'acknowledged',
            listing: { sellerRef: 'seller-77', sellerName: '@toko' },
          },
          { linkId: ids[0], status: 'rejected', reason: 'new stock, invoice attached' },
        ],
      })
      .expect(200);
  });
  afterAll(() => t.close());

  const links = (query: string, accept?: string) => {
    const req = t.http.get(`/v1/links?${query}`).set(c.ministry.auth);
    return accept === undefined ? req : req.set('Accept', accept);
  };

  it('gives a page of links as CSV that parses back to the rows of the JSON page', async () => {
    const json = (await links(`batchId=${batchId}&limit=1000`).expect(200)).body as { items: Json[] };
    expect(json.items).toHaveLength(5);
    // The data covers the nested and the neutralised cells.
    expect(json.items.some((l) => (l.repeatSeller as Json | undefined)?.priorTakedowns === 1)).toBe(true);

    const res = await links(`batchId=${batchId}&limit=1000`, 'text/csv').expect(200);
    const { header, rows } = csvOf(res);
    expect(header).toEqual(LINK_COLUMNS);
    expect(rows).toEqual(json.items.map((l) => asCsvRow(l, LINK_COLUMNS)));
    expect(res.headers.link).toBeUndefined();
    expect(res.headers.vary).toMatch(/accept/i);
  });

  it('gives an empty page as its header row alone', async () => {
    const res = await links('batchId=6f9619ff-8b86-4011-b42d-00cf4fc964ff', 'text/csv').expect(200);
    expect(res.text).toBe('\ufeff' + LINK_COLUMNS.join(',') + '\r\n');
    expect(res.headers.link).toBeUndefined();
  });

  it('neutralises cells a spreadsheet would run as formulas, and keeps quotes, commas and newlines', async () => {
    const { rows } = csvOf(await links(`batchId=${batchId}&limit=1000`, 'text/csv').expect(200));
    const byId = new Map(rows.map((r) => [r[0], r]));
    const cell = (id: string, column: string) => byId.get(id)?.[LINK_COLUMNS.indexOf(column)];
    expect(cell(ids[1], 'note')).toBe(`'=HYPERLINK("https://evil.example","klik")`);
    expect(cell(ids[1], 'keywords')).toBe(`'+bekas`);
    expect(cell(ids[2], 'note')).toBe('kemeja, "flanel"\nbaris dua');
    expect(cell(ids[2], 'keywords')).toBe('pre-optimized;bal');
    expect(cell(ids[4], 'note')).toBe(`'-5% diskon`);
    expect(cell(ids[4], 'listing.sellerName')).toBe(`'@toko`);
    expect(cell(ids[3], 'listing.price')).toBe('125000.5');
    expect(cell(ids[4], 'repeatSeller.priorTakedowns')).toBe('1');
    expect(cell(ids[0], 'statusReason')).toBe('new stock, invoice attached');
  });

  it('pages CSV with a Link header to the next page, ending with no Link, the same rows as JSON pages', async () => {
    const json: Json[] = [];
    for (let cursor: string | null = '', pages = 0; cursor !== null && pages < 10; pages++) {
      const q = `batchId=${batchId}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const body = (await links(q).expect(200)).body as { items: Json[]; nextCursor: string | null };
      json.push(...body.items);
      cursor = body.nextCursor;
    }
    expect(json).toHaveLength(5);

    const rows: string[][] = [];
    const urls: string[] = [];
    const linkHeaders: (string | undefined)[] = [];
    let url: string | undefined = `/v1/links?batchId=${batchId}&limit=2`;
    while (url && urls.length < 10) {
      urls.push(url);
      const res = await t.http.get(url).set(c.ministry.auth).set('Accept', 'text/csv').expect(200);
      const page = csvOf(res);
      expect(page.header).toEqual(LINK_COLUMNS);
      rows.push(...page.rows);
      const link = res.headers.link as string | undefined;
      linkHeaders.push(link);
      url = link?.match(/^<([^>]+)>; rel="next"$/)?.[1];
    }
    expect(linkHeaders).toEqual([
      expect.stringMatching(/^<\/v1\/links\?[^>]+>; rel="next"$/),
      expect.stringMatching(/^<\/v1\/links\?[^>]+>; rel="next"$/),
      undefined,
    ]);
    expect(urls).toHaveLength(3);
    // The next page's URL is this request's, with the cursor added: the filter and the limit travel with it.
    for (const next of urls.slice(1)) {
      const params = new URL(next, 'http://x').searchParams;
      expect({ batchId: params.get('batchId'), limit: params.get('limit') }).toEqual({ batchId, limit: '2' });
      expect(params.get('cursor')).toEqual(expect.any(String));
    }
    expect(rows).toEqual(json.map((l) => asCsvRow(l, LINK_COLUMNS)));
  });

  it('answers JSON by default, and follows the preference the Accept header states', async () => {
    const isJson = (res: Response) => expect(res.headers['content-type']).toMatch(/^application\/json/);
    const isCsv = (res: Response) => expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const q = `batchId=${batchId}&limit=1`;
    isJson(await links(q).expect(200));
    isJson(await links(q, '*/*').expect(200));
    isJson(await links(q, 'application/json').expect(200));
    isJson(await links(q, 'text/csv;q=0.5, application/json').expect(200));
    isCsv(await links(q, 'text/csv, application/json;q=0.5').expect(200));
    isCsv(await links(q, 'text/*').expect(200));
    // Equal q-values: the one listed first; a wildcard counts less than a named type of the same q.
    isCsv(await links(q, 'text/csv, application/json').expect(200));
    isJson(await links(q, 'application/json, text/csv').expect(200));
    isCsv(await links(q, '*/*, text/csv').expect(200));
    isJson(await links(q, 'text/csv;q=0.9, */*').expect(200));
    // A marketplace gets its own links as CSV too.
    const own = csvOf(
      await t.http
        .get(`/v1/links?batchId=${batchId}`)
        .set(c.shopee.auth)
        .set('Accept', 'text/csv')
        .expect(200),
    );
    expect(own.rows).toHaveLength(5);
  });

  it('answers 406 with a problem document when Accept allows neither JSON nor CSV', async () => {
    for (const accept of ['application/xml', 'text/html', 'application/json;q=0, text/csv;q=0']) {
      const problem = expectProblem(await links(`batchId=${batchId}`, accept), 406);
      expect(problem.detail).toMatch(/application\/json or text\/csv/);
      expectProblem(await t.http.get('/v1/stats/takedowns').set(c.ministry.auth).set('Accept', accept), 406);
    }
  });

  it('gives the statistics as CSV, one row per marketplace with the period, the same figures as JSON', async () => {
    const renamed = await t.party('marketplace');
    await t.http
      .post('/v1/marketplaces')
      .set(t.operator.auth)
      .send({
        agencyId: renamed.agencyId,
        code: 'formula-mart',
        name: '=1+2',
        domains: ['formula-mart.example'],
        takedownSlaHours: 24,
      })
      .expect(201);
    const from = '2020-01-01T00:00:00.000Z';
    const json = (await t.http.get(`/v1/stats/takedowns?from=${from}`).set(c.ministry.auth).expect(200))
      .body as { from: string; to: null; marketplaces: Json[] };
    const shopee = json.marketplaces.find((m) => m.code === 'shopee');
    expect(shopee).toEqual(expect.objectContaining({ received: 5 }));

    const res = await t.http
      .get(`/v1/stats/takedowns?from=${from}`)
      .set(c.ministry.auth)
      .set('Accept', 'text/csv')
      .expect(200);
    const { header, rows } = csvOf(res);
    expect(header).toEqual(STATS_COLUMNS);
    expect(rows).toEqual(
      json.marketplaces.map((m) =>
        asCsvRow({ from: json.from, to: json.to, ...m, ...(m.bySource as Json) }, STATS_COLUMNS),
      ),
    );
    const row = (code: string) => rows.find((r) => r[STATS_COLUMNS.indexOf('code')] === code);
    expect(row('shopee')?.slice(0, 2)).toEqual([from, '']);
    expect(row('shopee')?.[STATS_COLUMNS.indexOf('byStatus.taken_down')]).toBe('1');
    expect(row('shopee')?.[STATS_COLUMNS.indexOf('medianHoursToTakedown')]).toMatch(/^\d+(\.\d+)?$/);
    expect(row('tokopedia')?.[STATS_COLUMNS.indexOf('medianHoursToTakedown')]).toBe('');
    expect(row('formula-mart')?.[STATS_COLUMNS.indexOf('name')]).toBe(`'=1+2`);
    expect(res.headers.link).toBeUndefined();

    // A marketplace's CSV has its own row only.
    const own = csvOf(
      await t.http.get('/v1/stats/takedowns').set(c.shopee.auth).set('Accept', 'text/csv').expect(200),
    );
    expect(own.rows.map((r) => r[STATS_COLUMNS.indexOf('code')])).toEqual(['shopee']);
  });
});
