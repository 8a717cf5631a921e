import { createHash } from 'node:crypto';
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'csv-parse/sync';
import { verifyEvidencePackage } from '../src/cli/evidence-verifier';
import { readZip } from '../src/cli/verify-evidence';
import { createTestApp, Party, TestApp } from './support/app';
import { Campaign, setUpCampaign, shopeeUrl, submitBatch, tokopediaUrl } from './support/campaign';
import { basicAuth } from './support/oauth';

/**
 * Many callers at once: 100 concurrent requests on each route of this session's work. Every answer must be one the
 * contract documents — a 2xx, or for the bounded export/verify queue a 503 "busy" with Retry-After — never another
 * 5xx, never a 503 from an exhausted database pool; and the state afterwards must be what the answers said.
 */
const N = 100;
const HEAVY_CONCURRENCY = 2;
const HEAVY_QUEUE = 8;

// Seller data a police officer will open in a spreadsheet.
const HYPERLINK = '=HYPERLINK("http://x","y")';
const PLUS = '+1-2';
const AT = '@SUM(1)';
const MINUS = '-2+3';
const TAB = '\t=1+1';
const BIDI_TITLE = 'Kemeja \u202Egpj.exe';
const NOTE = 'first line, with a comma\n=1+1 on the second line';

interface Answer {
  status: number;
  headers: Headers;
  body: Buffer;
}

interface Problem {
  type?: string;
}

/** Whether a cell would be taken as a formula by Excel or LibreOffice (after unquoting). */
const live = (cell: string) => /^[=+\-@\t\r]/.test(cell);

describe('many callers at once', () => {
  let t: TestApp;
  let c: Campaign;
  let base: string;
  let requestId: string;
  let evidenceLinks: string[];
  let ackLinks: string[];
  let withdrawLink: string;
  let pkg: Buffer | undefined;
  let jwks: string;

  const call = async (
    method: string,
    url: string,
    headers: Record<string, string> = {},
    body?: string,
  ): Promise<Answer> => {
    const res = await fetch(base + url, { method, headers, body });
    return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
  };
  const json = <T>(a: Answer): T => JSON.parse(a.body.toString('utf8')) as T;
  const times = (n: number, f: (i: number) => Promise<Answer>) =>
    Promise.all(Array.from({ length: n }, (_, i) => f(i)));
  const auth = (p: Party) => p.auth;
  const events = async (action: string, entityId?: string) => {
    const [row] = await t.db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = $1 AND ($2::uuid IS NULL OR entity_id = $2::uuid)`,
      [action, entityId ?? null],
    );
    return row.n;
  };

  /** CONCURRENCY_REPORT=<file> appends, per test, how many answers of each status it got. */
  const tally = (answers: Answer[]) => {
    if (!process.env.CONCURRENCY_REPORT) return;
    const counts: Record<string, number> = {};
    for (const a of answers) {
      const key = `${a.status}${a.headers.get('idempotent-replayed') ? ' replayed' : ''}`;
      counts[key] = (counts[key] ?? 0) + 1;
    }
    appendFileSync(
      process.env.CONCURRENCY_REPORT,
      `${expect.getState().currentTestName ?? ''}: ${JSON.stringify(counts)}\n`,
    );
  };

  /**
   * Every answer is documented: 2xx (or `allowed` statuses), or — where `queued` — 503 busy with Retry-After. A 503
   * whose problem type is not `busy` is the database pool giving out, and fails like any other 5xx.
   */
  const expectDocumented = (answers: Answer[], { queued = false, allowed = [] as number[] } = {}) => {
    tally(answers);
    const odd = answers
      .filter((a) => {
        if (a.status >= 200 && a.status < 300) return false;
        if (allowed.includes(a.status)) return false;
        if (queued && a.status === 503) {
          const type = json<Problem>(a).type ?? '';
          return !(type.endsWith('/busy') && /^\d+$/.test(a.headers.get('retry-after') ?? ''));
        }
        return true;
      })
      .map((a) => `${a.status} ${a.body.toString('utf8').slice(0, 300)}`);
    expect(odd).toEqual([]);
  };

  beforeAll(async () => {
    t = await createTestApp({
      TOKEN_RATE_LIMIT_PER_MINUTE: '1000000',
      HEAVY_WORK_CONCURRENCY: String(HEAVY_CONCURRENCY),
      HEAVY_WORK_QUEUE: String(HEAVY_QUEUE),
    });
    c = await setUpCampaign(t);
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;

    const evidenceUrls = [shopeeUrl(), shopeeUrl(), shopeeUrl(), shopeeUrl(), shopeeUrl(), tokopediaUrl()];
    const ackUrls = Array.from({ length: N }, () => shopeeUrl('Jaket-Bekas'));
    const withdrawUrl = shopeeUrl('Celana-Bekas');
    const { links: listed } = await submitBatch(
      t,
      c,
      [...evidenceUrls, ...ackUrls, withdrawUrl].map((url) => ({ url, note: NOTE })),
      { reference: `PKTN/2026/CONC-${Date.now()}` },
    );
    const idOf = (u: string) => listed.find((l) => l.url === u)!.id;
    evidenceLinks = evidenceUrls.map(idOf);
    ackLinks = ackUrls.map(idOf);
    withdrawLink = idOf(withdrawUrl);

    await t.http
      .post('/v1/links/acknowledgements')
      .set(c.shopee.auth)
      .send({
        items: [
          {
            linkId: evidenceLinks[0],
            status: 'taken_down',
            listing: { sellerRef: HYPERLINK, title: BIDI_TITLE },
          },
          { linkId: evidenceLinks[1], status: 'taken_down', listing: { sellerRef: PLUS, sellerName: AT } },
          { linkId: evidenceLinks[2], status: 'taken_down', listing: { sellerRef: AT, title: NOTE } },
          { linkId: evidenceLinks[3], status: 'rejected', reason: NOTE, listing: { sellerRef: MINUS } },
          { linkId: evidenceLinks[4], status: 'taken_down', listing: { sellerRef: TAB, sellerName: NOTE } },
        ],
      })
      .expect(200)
      .expect((r) => {
        if (!r.body.results.every((x: { ok: boolean }) => x.ok))
          throw new Error(`acknowledgements refused: ${JSON.stringify(r.body)}`);
      });
    await t.http
      .post('/v1/links/acknowledgements')
      .set(c.tokopedia.auth)
      .send({
        items: [{ linkId: evidenceLinks[5], status: 'taken_down', listing: { sellerRef: 'toped-1' } }],
      })
      .expect(200);
    requestId = (
      await t.http
        .post('/v1/evidence-requests')
        .set(c.police.auth)
        .send({
          caseNumber: 'LP/B/100/XI/2026',
          legalBasis: 'KUHAP Pasal 7',
          purpose: 'penyidikan impor pakaian bekas',
          scope: { linkIds: evidenceLinks },
        })
        .expect(201)
    ).body.id as string;
    await t.http
      .post(`/v1/evidence-requests/${requestId}/responses`)
      .set(c.shopee.auth)
      .send({
        decision: 'fulfil',
        sellerRecords: [{ sellerRef: HYPERLINK, registeredName: '=1+1', notes: NOTE }],
      })
      .expect(201);
    await t.http
      .post(`/v1/evidence-requests/${requestId}/responses`)
      .set(c.tokopedia.auth)
      .send({ decision: 'fulfil', sellerRecords: [{ sellerRef: 'toped-1' }] })
      .expect(201)
      .expect((r) => {
        if (r.body.status !== 'ready') throw new Error(`request is ${r.body.status}, not ready`);
      });
    jwks = JSON.stringify((await t.http.get('/v1/audit/keys').set(c.police.auth).expect(200)).body);
  });
  afterAll(() => t?.close());

  it('GET /v1/evidence-requests/{id}/links: 100 police and 100 marketplace callers each see the same, right list', async () => {
    const [police, shopee] = await Promise.all([
      times(N, () => call('GET', `/v1/evidence-requests/${requestId}/links`, auth(c.police))),
      times(N, () => call('GET', `/v1/evidence-requests/${requestId}/links`, auth(c.shopee))),
    ]);
    expectDocumented([...police, ...shopee]);
    const ids = (a: Answer) =>
      json<{ items: { linkId: string }[] }>(a)
        .items.map((i) => i.linkId)
        .sort();
    for (const a of police) expect(ids(a)).toEqual([...evidenceLinks].sort());
    for (const a of shopee) expect(ids(a)).toEqual(evidenceLinks.slice(0, 5).sort());
    expect(new Set(police.map((a) => a.body.toString())).size).toBe(1);
  });

  it('HEAD /v1/evidence-requests/{id}/export: 100 at once all answer 200 and record nothing', async () => {
    const before = await t.auditCount();
    const answers = await times(N, () =>
      call('HEAD', `/v1/evidence-requests/${requestId}/export`, auth(c.police)),
    );
    expectDocumented(answers);
    for (const a of answers) {
      expect(a.status).toBe(200);
      expect(a.body.length).toBe(0);
    }
    expect(await t.auditCount()).toBe(before);
  });

  it('GET /v1/evidence-requests/{id}/export: each 200 carries its own verified package and exactly one event; the rest are 503 busy', async () => {
    const before = await events('evidence_request.exported', requestId);
    const answers = await times(N, () =>
      call('GET', `/v1/evidence-requests/${requestId}/export`, auth(c.police)),
    );
    expectDocumented(answers, { queued: true });
    const ok = answers.filter((a) => a.status === 200);
    // The queue takes at least what it can run and hold; everything past it is told to come back.
    expect(ok.length).toBeGreaterThanOrEqual(HEAVY_CONCURRENCY + HEAVY_QUEUE);
    for (const a of ok) {
      expect(a.headers.get('content-type')).toBe('application/zip');
      expect(a.headers.get('x-package-sha256')).toBe(createHash('sha256').update(a.body).digest('hex'));
    }
    expect(await events('evidence_request.exported', requestId)).toBe(before + ok.length);
    const recorded = (
      await t.db.query<{ canonical: string }[]>(
        `SELECT canonical FROM audit_events WHERE action = 'evidence_request.exported' AND entity_id = $1 ORDER BY seq`,
        [requestId],
      )
    )
      .slice(before)
      .map((e) => (JSON.parse(e.canonical) as { data: { sha256: string } }).data.sha256)
      .sort();
    expect(recorded).toEqual(ok.map((a) => a.headers.get('x-package-sha256')!).sort());
    pkg = ok[0].body;
    const dir = mkdtempSync(path.join(os.tmpdir(), 'conc-pkg-'));
    writeFileSync(path.join(dir, 'p.zip'), pkg);
    const report = verifyEvidencePackage(await readZip(path.join(dir, 'p.zip')), jwks);
    expect(report.lines.filter((l) => l.startsWith('✘'))).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it('links.csv opens in a spreadsheet as text: no cell a spreadsheet would evaluate, parsed properly or naively', async () => {
    expect(pkg).toBeDefined();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'conc-csv-'));
    writeFileSync(path.join(dir, 'p.zip'), pkg!);
    const csv = (await readZip(path.join(dir, 'p.zip'))).get('links.csv')!.toString('utf8');
    expect(csv.startsWith('\ufeff')).toBe(true); // read as UTF-8, not the locale's code page
    expect(csv).not.toMatch(/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/);

    // As a spreadsheet reads it (RFC 4180).
    const rows: string[][] = parse(csv, { bom: true, relax_column_count: false });
    const [header, ...body] = rows;
    expect(body).toHaveLength(evidenceLinks.length);
    const cells = body.flat();
    expect(cells.filter(live)).toEqual([]);
    const row = (id: string) => body.find((r) => r[header.indexOf('id')] === id)!;
    const col = (id: string, name: string) => row(id)[header.indexOf(name)];
    expect(col(evidenceLinks[0], 'sellerRef')).toBe(`'${HYPERLINK}`);
    expect(col(evidenceLinks[0], 'title')).toBe('Kemeja <U+202E>gpj.exe');
    expect(col(evidenceLinks[1], 'sellerRef')).toBe(`'${PLUS}`);
    expect(col(evidenceLinks[1], 'sellerName')).toBe(`'${AT}`);
    expect(col(evidenceLinks[2], 'sellerRef')).toBe(`'${AT}`);
    expect(col(evidenceLinks[2], 'title')).toBe(NOTE);
    expect(col(evidenceLinks[3], 'sellerRef')).toBe(`'${MINUS}`);
    expect(col(evidenceLinks[3], 'statusReason')).toBe(NOTE);
    expect(col(evidenceLinks[4], 'sellerRef')).toBe(`'${TAB}`);
    expect(col(evidenceLinks[4], 'sellerName')).toBe(NOTE);

    // As a naive reader splits it: on every newline and comma, quotes stripped. A multi-line cell then yields a
    // fragment of its second line as a cell of its own — which begins with whatever the seller wrote there.
    const naive = csv
      .split(/\r?\n/)
      .flatMap((line) => line.split(','))
      .map((cell) => cell.replace(/^"|"$/g, '').replace(/""/g, '"'));
    const naiveLive = naive.filter(live);
    if (process.env.CONCURRENCY_REPORT)
      appendFileSync(process.env.CONCURRENCY_REPORT, `naive live cells: ${JSON.stringify(naiveLive)}\n`);
    // Only fragments that begin after a newline inside a quoted cell: none of the cells themselves.
    expect(naiveLive.every((cell) => NOTE.split('\n')[1].startsWith(cell.replace(/"$/, '')))).toBe(true);
  });

  it('GET /verify-evidence.cjs: 100 at once all get the same bytes, the ones its .sha256 names', async () => {
    const [answers, sum] = await Promise.all([
      times(N, () => call('GET', '/verify-evidence.cjs')),
      call('GET', '/verify-evidence.cjs.sha256'),
    ]);
    expectDocumented([...answers, sum]);
    const sha = sum.body.toString('utf8').split(/\s+/)[0];
    for (const a of answers) expect(createHash('sha256').update(a.body).digest('hex')).toBe(sha);
  });

  it('GET /v1/audit/verify (operator): 100 at once answer ok or 503 busy, never another failure', async () => {
    const before = await t.auditCount();
    const answers = await times(N, () => call('GET', '/v1/audit/verify', auth(t.operator)));
    expectDocumented(answers, { queued: true });
    const ok = answers.filter((a) => a.status === 200);
    expect(ok.length).toBeGreaterThanOrEqual(HEAVY_CONCURRENCY + HEAVY_QUEUE);
    for (const a of ok) {
      expect(json(a)).toEqual(
        expect.objectContaining({
          ok: true,
          checked: before,
          headSeq: before,
          firstBadSeq: null,
          problem: null,
        }),
      );
    }
    expect(await t.auditCount()).toBe(before);
  });

  it('GET /v1/audit/checkpoints/latest: 100 at once tell one story', async () => {
    const answers = await times(N, () => call('GET', '/v1/audit/checkpoints/latest', auth(c.police)));
    expectDocumented(answers);
    const head = await t.auditCount();
    const seen = new Set(
      answers.map((a) => {
        const cp = json<{ treeSize: number; rootHash: string }>(a);
        return `${cp.treeSize} ${cp.rootHash}`;
      }),
    );
    expect(seen.size).toBe(1);
    expect(Number([...seen][0].split(' ')[0])).toBe(head);
  });

  it('POST /v1/link-batches: 100 batches of a second ministry co-notifying 100 open links, each link once', async () => {
    const { links: open } = await submitBatch(
      t,
      c,
      Array.from({ length: N }, () => shopeeUrl('Kemeja-Bekas')),
    );
    const second = await t.party('ministry');
    const before = await events('link.co_notified');
    const answers = await times(N, (i) =>
      call(
        'POST',
        '/v1/link-batches',
        { ...auth(second), 'Content-Type': 'application/json' },
        JSON.stringify({
          reference: `KUKM/CONC/${i}`,
          legalBasis: 'Permendag 40/2022',
          links: [{ url: open[i].url }],
        }),
      ),
    );
    expectDocumented(answers);
    answers.forEach((a, i) => {
      expect(a.status).toBe(201);
      expect(json<{ duplicates: unknown[] }>(a).duplicates).toEqual([
        { index: 0, url: open[i].url, existingLinkId: open[i].id, coNotified: true },
      ]);
    });
    expect(await events('link.co_notified')).toBe(before + N);
    const [row] = await t.db.query<{ n: number; links: number }[]>(
      `SELECT count(*)::int AS n, count(DISTINCT link_id)::int AS links FROM link_notifiers WHERE agency_id = $1`,
      [second.agencyId],
    );
    expect(row).toEqual({ n: N, links: N });
  });

  it('GET /v1/stats/notifiers: 100 at once answer the same figures', async () => {
    const answers = await times(N, () => call('GET', '/v1/stats/notifiers', auth(c.association)));
    expectDocumented(answers);
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(new Set(answers.map((a) => a.body.toString('utf8'))).size).toBe(1);
  });

  it('POST /v1/link-batches urgent, then GET /v1/links?priority=urgent: 100 of each at once, every urgent link listed', async () => {
    const urls = Array.from({ length: N }, () => tokopediaUrl('toko-urgent'));
    const sent = await times(N, (i) =>
      call(
        'POST',
        '/v1/link-batches',
        { ...auth(c.ministry), 'Content-Type': 'application/json' },
        JSON.stringify({
          reference: `URGENT/CONC/${i}`,
          legalBasis: 'Permendag 40/2022',
          priority: 'urgent',
          links: [{ url: urls[i] }],
        }),
      ),
    );
    expectDocumented(sent);
    expect(sent.every((a) => a.status === 201 && json<{ priority: string }>(a).priority === 'urgent')).toBe(
      true,
    );
    const listed = await times(N, () =>
      call(
        'GET',
        `/v1/links?priority=urgent&marketplaceId=${c.tokopedia.marketplaceId}&limit=1000`,
        auth(c.tokopedia),
      ),
    );
    expectDocumented(listed);
    expect(new Set(listed.map((a) => a.body.toString('utf8'))).size).toBe(1);
    const items = json<{ items: { url: string; priority: string }[] }>(listed[0]).items;
    expect(items.every((l) => l.priority === 'urgent')).toBe(true);
    expect(items.map((l) => l.url).sort()).toEqual(expect.arrayContaining([...urls].sort()));
  });

  it('POST /v1/links/acknowledgements: 100 callers each acknowledging a different link, each acknowledged once', async () => {
    const before = await t.auditCount();
    const answers = await times(N, (i) =>
      call(
        'POST',
        '/v1/links/acknowledgements',
        { ...auth(c.shopee), 'Content-Type': 'application/json' },
        JSON.stringify({ items: [{ linkId: ackLinks[i], status: 'acknowledged' }] }),
      ),
    );
    expectDocumented(answers);
    answers.forEach((a, i) =>
      expect(json(a)).toEqual({ results: [{ linkId: ackLinks[i], ok: true, status: 'acknowledged' }] }),
    );
    expect(await t.auditCount()).toBe(before + N);
    const perLink = await t.db.query<{ entity_id: string; n: number; status: string }[]>(
      `SELECT l.id AS entity_id, l.status,
              (SELECT count(*)::int FROM audit_events e WHERE e.entity_id = l.id AND e.action = 'link.acknowledged') AS n
         FROM links l WHERE l.id = ANY($1::uuid[])`,
      [ackLinks],
    );
    expect(perLink).toHaveLength(N);
    for (const l of perLink) expect({ n: l.n, status: l.status }).toEqual({ n: 1, status: 'acknowledged' });
  });

  it('POST /v1/links/{id}/withdraw: 100 identical requests with one Idempotency-Key make exactly one change', async () => {
    const before = await t.auditCount();
    const body = JSON.stringify({ reason: 'listing belongs to a licensed importer' });
    const answers = await times(N, () =>
      call(
        'POST',
        `/v1/links/${withdrawLink}/withdraw`,
        {
          ...auth(c.ministry),
          'Content-Type': 'application/json',
          'Idempotency-Key': `withdraw-${withdrawLink}`,
        },
        body,
      ),
    );
    expectDocumented(answers, { allowed: [409] });
    const first = answers.filter((a) => a.status === 200 && a.headers.get('idempotent-replayed') !== 'true');
    const replays = answers.filter(
      (a) => a.status === 200 && a.headers.get('idempotent-replayed') === 'true',
    );
    const inFlight = answers.filter((a) => a.status === 409);
    expect(first).toHaveLength(1);
    expect(first.length + replays.length + inFlight.length).toBe(N);
    for (const r of replays) expect(r.body.equals(first[0].body)).toBe(true);
    for (const r of inFlight) {
      expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(json<Problem>(r).type).toMatch(/idempotency|in-flight|conflict/i);
    }
    expect(json<{ status: string }>(first[0]).status).toBe('withdrawn');
    expect(await t.auditCount()).toBe(before + 1);
    expect(await events('link.withdrawn', withdrawLink)).toBe(1);
    // Once the first is done, the same request replays.
    const again = await call(
      'POST',
      `/v1/links/${withdrawLink}/withdraw`,
      {
        ...auth(c.ministry),
        'Content-Type': 'application/json',
        'Idempotency-Key': `withdraw-${withdrawLink}`,
      },
      body,
    );
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.equals(first[0].body)).toBe(true);
  });

  it('POST /v1/auth/token: 100 logins with client_secret_basic at once all get a token of the asked scope', async () => {
    const answers = await times(N, () =>
      call(
        'POST',
        '/v1/auth/token',
        {
          Authorization: basicAuth(c.police.clientId, c.police.clientSecret),
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        'grant_type=client_credentials&scope=police',
      ),
    );
    expectDocumented(answers);
    const tokens = answers.map((a) => json<{ access_token: string; scope: string }>(a));
    expect(new Set(tokens.map((tok) => tok.scope))).toEqual(new Set(['police']));
    expect(new Set(tokens.map((tok) => tok.access_token)).size).toBe(N);
  });

  it('GET /.well-known/oauth-authorization-server: 100 at once get the same metadata', async () => {
    const answers = await times(N, () => call('GET', '/.well-known/oauth-authorization-server'));
    expectDocumented(answers);
    expect(new Set(answers.map((a) => a.body.toString('utf8'))).size).toBe(1);
  });

  it('GET /v1/links and /v1/stats/takedowns as text/csv: 100 at once get the same CSV', async () => {
    for (const url of ['/v1/links?limit=1000', '/v1/stats/takedowns']) {
      const answers = await times(N, () => call('GET', url, { ...auth(c.ministry), Accept: 'text/csv' }));
      expectDocumented(answers);
      expect(answers.every((a) => /^text\/csv/.test(a.headers.get('content-type') ?? ''))).toBe(true);
      expect(new Set(answers.map((a) => a.body.toString('utf8'))).size).toBe(1);
    }
  });

  it('POST /v1/auth/token: 100 logins with client_secret_post at once all get a token', async () => {
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: c.police.clientId,
      client_secret: c.police.clientSecret,
    }).toString();
    const answers = await times(N, () =>
      call('POST', '/v1/auth/token', { 'Content-Type': 'application/x-www-form-urlencoded' }, form),
    );
    expectDocumented(answers);
    const tokens = answers.map((a) => json<{ access_token: string; token_type: string }>(a));
    for (const tok of tokens) expect(tok.token_type).toBe('Bearer');
    expect(new Set(tokens.map((tok) => tok.access_token)).size).toBe(N);
    const use = await call('GET', `/v1/evidence-requests/${requestId}`, {
      Authorization: `Bearer ${tokens[N - 1].access_token}`,
    });
    expect(use.status).toBe(200);
  });
});
