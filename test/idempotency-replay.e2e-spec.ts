import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import sharp from 'sharp';
import type request from 'supertest';
import { createTestApp, Party, TestApp } from './support/app';
import { batch, Campaign, setUpCampaign, shopeeUrl, submitBatch, tokopediaUrl } from './support/campaign';

/** Every writing route, sent twice with one Idempotency-Key: the second answer is the first, byte for byte. */

/**
 * The bytes of an answer. Every writing route answers JSON (or nothing), which supertest keeps as the raw text beside
 * the parsed body, so the contract check still sees the body while these tests compare what went over the wire.
 */
const wire = (res: request.Response): Buffer => Buffer.from(res.text ?? '', 'utf8');

/** Every table a request can write, each as a digest of its rows: an UPDATE shows as well as an INSERT. */
const WRITTEN_TABLES = [
  'agencies',
  'api_clients',
  'marketplaces',
  'marketplace_domains',
  'link_batches',
  'links',
  'keywords',
  'evidence_requests',
  'evidence_responses',
  'evidence_request_links',
  'takedown_reports',
  'listing_fingerprints',
  'listing_image_hashes',
  'relisting_signals',
  'relisting_groups',
  'relisting_group_members',
  'relisting_dismissals',
  'matching_jobs',
  'idempotency_keys',
  'audit_events',
  'audit_head',
  'audit_tree',
  'audit_merkle_nodes',
  'audit_checkpoints',
];

interface Write {
  party: Party;
  method: 'post' | 'patch' | 'delete';
  path: string;
  body?: object | string;
  contentType?: string;
  query?: Record<string, string>;
}

describe('Idempotency-Key replays on every writing route', () => {
  let t: TestApp;
  let c: Campaign;
  let n = 0;

  beforeAll(async () => {
    t = await createTestApp({ IDEMPOTENCY_PURGE_INTERVAL_SECONDS: '0' });
    c = await setUpCampaign(t);
  });
  afterAll(() => t.close());

  const state = async (): Promise<Record<string, string>> => {
    const [row] = await t.db.query<Record<string, string>[]>(
      `SELECT ${WRITTEN_TABLES.map(
        (table) =>
          `(SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM ${table} x) AS ${table}`,
      ).join(', ')}`,
    );
    return row;
  };

  const send = (w: Write, key: string) => {
    let req = t.http[w.method](w.path).set(w.party.auth).set('Idempotency-Key', key);
    if (w.query) req = req.query(w.query);
    if (w.contentType) req = req.set('Content-Type', w.contentType);
    return (w.body === undefined ? req : req.send(w.body)).buffer(true);
  };

  const newAgency = async (type = 'police') =>
    (
      await t.http
        .post('/v1/agencies')
        .set(t.operator.auth)
        .send({ code: `replay-${++n}`, name: `Replay ${n}`, type })
        .expect(201)
    ).body as { id: string };
  const newLinks = async (count = 1) =>
    submitBatch(
      t,
      c,
      Array.from({ length: count }, () => shopeeUrl()),
    );
  const newKeyword = async () =>
    (
      await t.http
        .post('/v1/keywords')
        .set(c.ministry.auth)
        .send({ term: `bal replay ${++n}` })
        .expect(201)
    ).body as { id: string };
  const newEvidenceRequest = async () => {
    const { links } = await newLinks();
    return (
      await t.http
        .post('/v1/evidence-requests')
        .set(c.police.auth)
        .send({
          caseNumber: `LP/${++n}`,
          legalBasis: 'KUHAP Pasal 7',
          purpose: 'penyidikan',
          scope: { linkIds: [links[0].id] },
        })
        .expect(201)
    ).body as { id: string };
  };

  /** A Shopee takedown and a Tokopedia listing of the same photo: one relisting group of two. */
  const newGroup = async () => {
    const hash = (++n).toString(16).padStart(16, 'c');
    const [shopee, tokopedia] = [
      (await submitBatch(t, c, [shopeeUrl()])).links[0].id,
      (await submitBatch(t, c, [tokopediaUrl()])).links[0].id,
    ];
    const listing = { imageHashes: [{ algorithm: 'phash', hash }] };
    const ack = (party: Party, linkId: string, status: string) =>
      t.http
        .post('/v1/links/acknowledgements')
        .set(party.auth)
        .send({ items: [{ linkId, status, listing }] })
        .expect(200);
    await ack(c.shopee, shopee, 'taken_down');
    await ack(c.tokopedia, tokopedia, 'acknowledged');
    await t.matched();
    const groups = (await t.http.get('/v1/relisting-groups').set(c.ministry.auth).expect(200)).body as {
      items: { id: string; links: { linkId: string }[] }[];
    };
    const group = groups.items.find((g) => g.links.some((l) => l.linkId === tokopedia))!;
    return { id: group.id, linkId: tokopedia };
  };

  // The token endpoint (POST /v1/auth/token) is not here: an OAuth client-credentials exchange carries no actor to
  // key on, and a token is never replayed. GET …/export is a read.
  const cases: [string, number, () => Write | Promise<Write>][] = [
    [
      'POST /v1/agencies',
      201,
      () => ({
        party: t.operator,
        method: 'post',
        path: '/v1/agencies',
        body: { code: `replay-new-${++n}`, name: 'New', type: 'association' },
      }),
    ],
    [
      'PATCH /v1/agencies/:id',
      200,
      async () => ({
        party: t.operator,
        method: 'patch',
        path: `/v1/agencies/${(await newAgency()).id}`,
        body: { name: 'Renamed', status: 'suspended' },
      }),
    ],
    [
      'POST /v1/agencies/:id/clients',
      201,
      async () => ({
        party: t.operator,
        method: 'post',
        path: `/v1/agencies/${(await newAgency()).id}/clients`,
        body: { name: 'second client' },
      }),
    ],
    [
      'DELETE /v1/agencies/:id/clients/:clientId',
      204,
      async () => {
        const party = await t.party('police');
        return {
          party: t.operator,
          method: 'delete',
          path: `/v1/agencies/${party.agencyId}/clients/${party.clientId}`,
        };
      },
    ],
    [
      'POST /v1/marketplaces',
      201,
      async () => ({
        party: t.operator,
        method: 'post',
        path: '/v1/marketplaces',
        body: {
          agencyId: (await newAgency('marketplace')).id,
          code: `lapak-${++n}`,
          name: 'Lapak',
          domains: [`lapak-${n}.example`],
          takedownSlaHours: 12,
        },
      }),
    ],
    [
      'PATCH /v1/marketplaces/:id',
      200,
      async () => {
        const agency = await newAgency('marketplace');
        const created = await t.http
          .post('/v1/marketplaces')
          .set(t.operator.auth)
          .send({ agencyId: agency.id, code: `pasar-${++n}`, name: 'Pasar', domains: [`pasar-${n}.example`] })
          .expect(201);
        return {
          party: t.operator,
          method: 'patch',
          path: `/v1/marketplaces/${created.body.id}`,
          body: {
            name: 'Pasar Baru',
            takedownSlaHours: 36,
            domains: [`pasar-${n}.example`, `m.pasar-${n}.example`],
          },
        };
      },
    ],
    [
      'POST /v1/link-batches (JSON)',
      201,
      () => ({
        party: c.ministry,
        method: 'post',
        path: '/v1/link-batches',
        body: batch([shopeeUrl(), shopeeUrl(), 'not-a-url']),
      }),
    ],
    [
      'POST /v1/link-batches (CSV)',
      201,
      () => ({
        party: c.ministry,
        method: 'post',
        path: '/v1/link-batches',
        query: { reference: `CSV/${++n}`, legalBasis: 'Permendag 40/2022' },
        contentType: 'text/csv',
        body: `url,note,keywords\n${shopeeUrl()},"seen twice",bal\n`,
      }),
    ],
    [
      'POST /v1/link-batches/:id/cancel',
      200,
      async () => ({
        party: c.ministry,
        method: 'post',
        path: `/v1/link-batches/${(await newLinks(2)).batchId}/cancel`,
        body: { reason: 'filed in error' },
      }),
    ],
    [
      'POST /v1/links/acknowledgements',
      200,
      async () => {
        const { links } = await newLinks(2);
        return {
          party: c.shopee,
          method: 'post',
          path: '/v1/links/acknowledgements',
          body: {
            items: [
              { linkId: links[0].id, status: 'acknowledged' },
              { linkId: links[1].id, status: 'taken_down', listing: { sellerRef: `toko-${++n}` } },
            ],
          },
        };
      },
    ],
    [
      'POST /v1/observations',
      200,
      async () => {
        const { links } = await newLinks(1);
        return {
          party: c.ministry,
          method: 'post',
          path: '/v1/observations',
          body: {
            items: [
              { linkId: links[0].id, observedAt: new Date().toISOString(), result: 'online' },
              { linkId: links[0].id, observedAt: new Date().toISOString(), result: 'gone' },
            ],
          },
        };
      },
    ],
    [
      'POST /v1/links/:id/withdraw',
      200,
      async () => ({
        party: c.ministry,
        method: 'post',
        path: `/v1/links/${(await newLinks()).links[0].id}/withdraw`,
        body: { reason: 'court order lifted' },
      }),
    ],
    [
      'POST /v1/links/:id/clarifications',
      201,
      async () => ({
        party: c.shopee,
        method: 'post',
        path: `/v1/links/${(await newLinks()).links[0].id}/clarifications`,
        body: { question: 'Which part of the notice applies to this listing?' },
      }),
    ],
    [
      'POST /v1/clarifications/:id/answer',
      200,
      async () => {
        const asked = await t.http
          .post(`/v1/links/${(await newLinks()).links[0].id}/clarifications`)
          .set(c.shopee.auth)
          .send({ question: 'Is the whole shop meant?' })
          .expect(201);
        return {
          party: c.ministry,
          method: 'post',
          path: `/v1/clarifications/${asked.body.id}/answer`,
          body: { answer: 'Only this listing.' },
        };
      },
    ],
    [
      'POST /v1/links/:id/objections',
      201,
      async () => ({
        party: c.shopee,
        method: 'post',
        path: `/v1/links/${(await newLinks()).links[0].id}/objections`,
        body: { ground: 'not_illegal', detail: 'New garments with tags.' },
      }),
    ],
    [
      'POST /v1/objections/:id/decision',
      200,
      async () => {
        const filed = await t.http
          .post(`/v1/links/${(await newLinks()).links[0].id}/objections`)
          .set(c.shopee.auth)
          .send({ ground: 'other', detail: 'The seller is the brand.' })
          .expect(201);
        return {
          party: c.ministry,
          method: 'post',
          path: `/v1/objections/${filed.body.id}/decision`,
          body: { outcome: 'upheld', note: 'Authorised.' },
        };
      },
    ],
    [
      'POST /v1/keywords',
      201,
      () => ({
        party: c.ministry,
        method: 'post',
        path: '/v1/keywords',
        body: { term: `Pre Optimized ${++n}`, note: 'code word' },
      }),
    ],
    [
      'DELETE /v1/keywords/:id',
      200,
      async () => ({ party: c.ministry, method: 'delete', path: `/v1/keywords/${(await newKeyword()).id}` }),
    ],
    [
      'POST /v1/evidence-requests',
      201,
      async () => ({
        party: c.police,
        method: 'post',
        path: '/v1/evidence-requests',
        body: {
          caseNumber: `LP/B/${++n}/2026`,
          legalBasis: 'KUHAP Pasal 7',
          purpose: 'penyidikan',
          scope: { linkIds: (await newLinks(2)).links.map((l) => l.id) },
        },
      }),
    ],
    [
      'POST /v1/evidence-requests/:id/responses',
      201,
      async () => ({
        party: c.shopee,
        method: 'post',
        path: `/v1/evidence-requests/${(await newEvidenceRequest()).id}/responses`,
        body: { decision: 'decline', reason: 'no court order attached' },
      }),
    ],
    [
      'POST /v1/evidence-requests/:id/close',
      200,
      async () => ({
        party: c.police,
        method: 'post',
        path: `/v1/evidence-requests/${(await newEvidenceRequest()).id}/close`,
      }),
    ],
    [
      'POST /v1/takedown-reports',
      200,
      () => ({
        party: c.shopee,
        method: 'post',
        path: '/v1/takedown-reports',
        body: {
          items: [
            {
              url: shopeeUrl(),
              takenDownAt: new Date(Date.now() - 3_600_000).toISOString(),
              listing: { sellerRef: `toko-${++n}` },
            },
            { url: 'https://example.org/x', takenDownAt: new Date().toISOString(), listing: {} },
          ],
        },
      }),
    ],
    [
      'POST /v1/fingerprints',
      200,
      async () => ({
        party: c.shopee,
        method: 'post',
        path: '/v1/fingerprints',
        contentType: 'image/png',
        body: await sharp({ create: { width: 32, height: 24, channels: 3, background: '#a03' } })
          .png()
          .toBuffer(),
      }),
    ],
    [
      'POST /v1/screenings',
      200,
      () => ({
        party: c.shopee,
        method: 'post',
        path: '/v1/screenings',
        body: { items: [{ ref: 'r', title: `karung bekas ${++n}` }] },
      }),
    ],
    [
      'POST /v1/relisting-groups/:id/members/:linkId/dismiss',
      200,
      async () => {
        const group = await newGroup();
        return {
          party: c.ministry,
          method: 'post',
          path: `/v1/relisting-groups/${group.id}/members/${group.linkId}/dismiss`,
          body: { reason: 'different goods' },
        };
      },
    ],
  ];

  it('covers every writing route the controllers declare', () => {
    const declared: string[] = [];
    for (const module of t.app.get(ModulesContainer).values()) {
      for (const { metatype } of module.controllers.values()) {
        const controller = metatype as new () => Record<string, unknown>;
        const base = Reflect.getMetadata(PATH_METADATA, controller) as string;
        for (const name of Object.getOwnPropertyNames(controller.prototype)) {
          const handler = controller.prototype[name] as object;
          const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
          if (method === undefined || [RequestMethod.GET, RequestMethod.HEAD].includes(method)) continue;
          const path = [base, Reflect.getMetadata(PATH_METADATA, handler) as string]
            .filter((p) => p && p !== '/')
            .join('/');
          declared.push(`${RequestMethod[method]} /${path}`);
        }
      }
    }
    const tested = cases.map(([name]) => name.replace(/ \(.*\)$/, ''));
    expect([...new Set(declared)].sort()).toEqual([...new Set([...tested, 'POST /v1/auth/token'])].sort());
  });

  it.each(cases)(
    '%s: the replay is the first answer, byte for byte, and writes nothing',
    async (_, status, prepare) => {
      const write = await prepare();
      const key = `replay-${++n}`;
      const first = await send(write, key);
      expect(first.status).toBe(status);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      // Matching on arrival finishes the first answer's work after its commit.
      await t.matched();
      const before = await state();

      const again = await send(write, key);
      await t.matched();
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.status).toBe(first.status);
      expect(again.headers['content-type']).toBe(first.headers['content-type']);
      expect(again.headers['content-length']).toBe(first.headers['content-length']);
      expect(wire(again).equals(wire(first))).toBe(true);
      expect(await state()).toEqual(before);
      expect(wire(first).length > 0).toBe(status !== 204);
    },
  );

  it('answers the replay of a withdrawal with the withdrawn link, not an empty body', async () => {
    const write = await cases.find(([name]) => name === 'POST /v1/links/:id/withdraw')![2]();
    const first = await send(write, 'withdraw-once');
    const again = await send(write, 'withdraw-once');
    expect(JSON.parse(wire(again).toString())).toEqual(
      expect.objectContaining({ status: 'withdrawn', statusReason: 'court order lifted' }),
    );
    expect(wire(again).equals(wire(first))).toBe(true);
  });

  it("replays an issued client's secret exactly, while no column of the stored record shows the secret or the key", async () => {
    const agency = await newAgency();
    const key = 'issue-client-7f3a';
    const write: Write = {
      party: t.operator,
      method: 'post',
      path: `/v1/agencies/${agency.id}/clients`,
      body: { name: 'rotated' },
    };
    const first = await send(write, key);
    const again = await send(write, key);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(wire(again).equals(wire(first))).toBe(true);
    const { clientSecret, clientId } = JSON.parse(wire(first).toString()) as {
      clientSecret: string;
      clientId: string;
    };
    expect(clientSecret.length).toBeGreaterThanOrEqual(24);
    // The issued client works: the replayed secret is the one that was stored as a hash.
    await t.token(clientId, clientSecret);

    const rows = await t.db.query<{ row: string }[]>('SELECT t::text AS row FROM idempotency_keys t');
    expect(rows.length).toBeGreaterThan(0);
    const text = rows.map((r) => r.row).join('\n');
    for (const secretish of [clientSecret, key]) {
      expect(text).not.toContain(secretish);
      expect(text).not.toContain(Buffer.from(secretish).toString('hex'));
      expect(text).not.toContain(Buffer.from(secretish).toString('base64'));
    }
    expect(text).not.toContain(t.operator.clientId);
  });
});
