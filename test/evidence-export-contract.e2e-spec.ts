import type { OpenAPIObject } from '@nestjs/swagger';
import type request from 'supertest';
import { openApiDocument } from '../src/openapi/document';
import { createTestApp, TestApp } from './support/app';
import { Campaign, setUpCampaign, shopeeUrl, submitBatch } from './support/campaign';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON document walked by key
type Json = Record<string, any>;

const EXPORT = '/v1/evidence-requests/{id}/export';

/**
 * What the response check of every e2e request (test/support/contract.ts) does not look at for the evidence export:
 * the headers the document promises beside the ZIP, and the HEAD check, which that check does not cover.
 */
describe('the evidence export as the OpenAPI document declares it', () => {
  let t: TestApp;
  let c: Campaign;
  let document: OpenAPIObject;
  let ready: string;
  let pending: string;

  const file = async (sellerRef: string) =>
    (
      await t.http
        .post('/v1/evidence-requests')
        .set(c.police.auth)
        .send({ caseNumber: 'LP/9', legalBasis: 'KUHAP', purpose: 'p', scope: { sellerRefs: [sellerRef] } })
        .expect(201)
    ).body.id as string;

  beforeAll(async () => {
    t = await createTestApp();
    c = await setUpCampaign(t);
    document = openApiDocument(t.app);
    const links = (await submitBatch(t, c, [shopeeUrl(), shopeeUrl()])).links;
    await t.http
      .post('/v1/links/acknowledgements')
      .set(c.shopee.auth)
      .send({
        items: [
          { linkId: links[0].id, status: 'taken_down', listing: { sellerRef: 'toko-a' } },
          { linkId: links[1].id, status: 'taken_down', listing: { sellerRef: 'toko-b' } },
        ],
      })
      .expect(200);
    ready = await file('toko-a');
    await t.http
      .post(`/v1/evidence-requests/${ready}/responses`)
      .set(c.shopee.auth)
      .send({ decision: 'fulfil', sellerRecords: [{ sellerRef: 'toko-a', registeredName: 'CV A' }] })
      .expect(201);
    pending = await file('toko-b');
  });
  afterAll(() => t.close());

  const operation = (method: string): Json => (document.paths[EXPORT] as Json)[method] as Json;
  const resolve = (node: Json): Json =>
    node.$ref
      ? resolve(
          (node.$ref as string)
            .slice(2)
            .split('/')
            .reduce<Json>((n, k) => n[k] as Json, document as Json),
        )
      : node;

  it('sends every header it declares for the package, each matching its schema', async () => {
    const res = await t.http
      .get(`/v1/evidence-requests/${ready}/export`)
      .set(c.police.auth)
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (chunk: Buffer) => chunks.push(chunk));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const declared = Object.entries(operation('get').responses['200'].headers as Json);
    expect(declared.map(([name]) => name)).toEqual(
      expect.arrayContaining(['Content-Disposition', 'Content-Length', 'X-Package-Sha256']),
    );
    const mismatches = declared.flatMap(([name, header]) => {
      const value = res.headers[name.toLowerCase()] as string | undefined;
      const schema = resolve(header as Json).schema as Json;
      if (value === undefined) return [`${name}: not sent`];
      if (schema.type === 'integer' && !/^\d+$/.test(value)) return [`${name}: ${value} is not an integer`];
      if (schema.pattern && !new RegExp(schema.pattern as string).test(value))
        return [`${name}: ${value} does not match ${schema.pattern}`];
      return [];
    });
    expect(mismatches).toEqual([]);
    expect(Number(res.headers['content-length'])).toBe((res.body as Buffer).length);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="evidence-${ready}.zip"`);
  });

  it('answers HEAD only with the statuses and media types declared for it', async () => {
    const expired = await file('toko-a');
    await t.db.query(`UPDATE evidence_requests SET expires_at = now() - interval '1 second' WHERE id = $1`, [
      expired,
    ]);
    const head = (id: string) => t.http.head(`/v1/evidence-requests/${id}/export`).set(c.police.auth);
    const answers: [request.Response, number][] = [
      [await head(ready), 200],
      [await head(pending), 409],
      [await head(expired), 410],
      [await head(c.police.agencyId), 404],
    ];
    const responses = operation('head').responses as Json;
    expect(answers.map(([res]) => res.status)).toEqual(answers.map(([, status]) => status));
    const mismatches = answers.flatMap(([res, status]) => {
      const declared = responses[String(status)] as Json | undefined;
      const type = String(res.headers['content-type']).split(';')[0];
      if (!declared) return [`${status}: not declared`];
      if (!Object.keys(resolve(declared).content as Json).includes(type))
        return [`${status}: ${type} not declared`];
      return res.text ? [`${status}: a body`] : [];
    });
    expect(mismatches).toEqual([]);
  });
});
