/**
 * npm run test:fuzz — hostile input against every route of openapi/openapi.json, with valid tokens of every role.
 * Every answer must be < 500; every refusal an RFC 9457 problem that leaks no stack or SQL and changes nothing
 * (row counts and the audit head unchanged). FUZZ_CASES sets the cases per route (default 1,000; CI runs fewer).
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Response } from 'supertest';
import { createTestApp, Party, TestApp } from '../support/app';
import { Campaign, setUpCampaign, shopeeUrl, submitBatch, tokopediaUrl } from '../support/campaign';

const OAUTH_ERRORS = [
  'invalid_request',
  'invalid_client',
  'unsupported_grant_type',
  'invalid_scope',
  'temporarily_unavailable',
];

const CASES = Number(process.env.FUZZ_CASES ?? 1000);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;

type Schema = {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  enum?: unknown[];
  format?: string;
};
interface Operation {
  method: 'get' | 'post' | 'patch' | 'delete';
  path: string;
  params: { name: string; in: string; schema?: Schema }[];
  body?: { json?: Schema; csv: boolean };
}

const spec = JSON.parse(
  readFileSync(path.join(__dirname, '..', '..', 'openapi', 'openapi.json'), 'utf8'),
) as {
  paths: Record<
    string,
    Record<
      string,
      { parameters?: Operation['params']; requestBody?: { content: Record<string, { schema: Schema }> } }
    >
  >;
  components: { schemas: Record<string, Schema> };
};
const operations: Operation[] = Object.entries(spec.paths).flatMap(([p, ops]) =>
  Object.entries(ops).map(([method, op]) => ({
    method: method as Operation['method'],
    path: p,
    params: op.parameters ?? [],
    body: op.requestBody && {
      json: op.requestBody.content['application/json']?.schema,
      csv: 'text/csv' in op.requestBody.content,
    },
  })),
);

const resolve = (s: Schema): Schema =>
  s.$ref ? resolve(spec.components.schemas[s.$ref.split('/').pop()!]) : s;

/**
 * Percent-encodes the UTF-8 bytes of any string (lone surrogates become U+FFFD, as a client's encoder would), and
 * passes through the raw escapes that are themselves the hostile input.
 */
const RAW_ESCAPES = ['%FF', '%E0%A4%A', '%C0%AF', '%', '%2e%2e%2f', '%00'];
const enc = (s: string) =>
  RAW_ESCAPES.includes(s)
    ? s
    : [...Buffer.from(s, 'utf8')]
        .map((b) =>
          /[A-Za-z0-9\-_.~]/.test(String.fromCharCode(b))
            ? String.fromCharCode(b)
            : `%${b.toString(16).padStart(2, '0').toUpperCase()}`,
        )
        .join('');

/** Strings that have broken parsers, validators and SQL before. */
const CLASSICS = [
  '',
  ' ',
  '__proto__',
  'constructor',
  'prototype',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\u202e\u0041',
  '💥'.repeat(50),
  "'; DROP TABLE links; --",
  '" OR 1=1 --',
  '%00',
  '%',
  '../../../../etc/passwd',
  '${7*7}{{7*7}}',
  '9'.repeat(400),
  '-1',
  '0',
  '1e400',
  'NaN',
  'Infinity',
  'null',
  'true',
  '[]',
  '{}',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '2026-02-30T25:61:61Z',
  '9999-12-31T23:59:59.999Z',
  '-000001-01-01T00:00:00Z',
  'javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'https://user:secret@shopee.co.id/Kemeja-i.1.2',
  'http://[::1]/x',
  'https://[2001:db8::1]:8443/product/1/2',
  'https://xn--80ak6aa92e.com/x',
  'https://шопи.рф/товар',
  'https://shopee.co.id\u3002evil.com/x-i.1.2',
  'https://SHOPEE.CO.ID/%E2%80%AE-i.1.2',
  'https://shopee.co.id/' + 'a'.repeat(3000),
  'http://127.0.0.1:5432/',
  'file:///etc/passwd',
  'A'.repeat(70_000),
];

const hostileString = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...CLASSICS, ...RAW_ESCAPES) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.uuid() },
  { weight: 1, arbitrary: fc.webUrl() },
  { weight: 1, arbitrary: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()) },
);
const hostileNumber = fc.oneof(
  fc.integer(),
  fc.constantFrom(0, -1, 1, 2 ** 31, 2 ** 53 + 1, -(2 ** 63), 1e308, -1e308, 0.5, Number.MIN_VALUE),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);
/** What an HTTP client can put in a header at all: visible ASCII, sometimes long or empty. */
const headerValue = fc.oneof(
  fc.stringMatching(/^[\x21-\x7e]{1,64}$/),
  fc.constantFrom(
    '',
    ' ',
    'k'.repeat(300),
    'k'.repeat(10_000),
    '__proto__',
    '00000000-0000-0000-0000-000000000000',
  ),
);
const anyJson = fc.anything({
  maxDepth: 3,
  withNullPrototype: false,
  values: [hostileString, hostileNumber, fc.boolean(), fc.constant(null)],
});

/** Values shaped after the schema most of the time, so a case gets past the first check; sometimes anything at all. */
function valueOf(schema: Schema, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(schema);
  let shaped: fc.Arbitrary<unknown>;
  if (s.enum) shaped = fc.oneof(fc.constantFrom(...s.enum), hostileString);
  else if (s.type === 'string') shaped = hostileString;
  else if (s.type === 'number' || s.type === 'integer') shaped = hostileNumber;
  else if (s.type === 'boolean') shaped = fc.boolean();
  else if (s.type === 'array' && s.items && depth < 4)
    shaped = fc.array(valueOf(s.items, depth + 1), { maxLength: 4 });
  else if (s.properties && depth < 4) {
    const props = Object.fromEntries(
      Object.entries(s.properties).map(([k, v]) => [k, valueOf(v, depth + 1)]),
    );
    shaped = fc.record(props, { requiredKeys: [] });
  } else shaped = anyJson;
  return fc.oneof({ weight: 6, arbitrary: shaped }, { weight: 1, arbitrary: anyJson });
}

/** Objects that smuggle keys the DTOs do not declare. */
const withSmuggledKeys = (body: fc.Arbitrary<unknown>) =>
  fc
    .tuple(body, fc.constantFrom('__proto__', 'constructor', 'id', 'status', 'role', 'seq'), anyJson)
    .map(([b, key, value]) => {
      if (typeof b !== 'object' || b === null || Array.isArray(b)) return b;
      // Through JSON text, so "__proto__" becomes an own key the way a hostile client's body would carry it.
      const rest = JSON.stringify(b).slice(1);
      const smuggled = `${JSON.stringify(key)}:${JSON.stringify(value) ?? 'null'}`;
      return JSON.parse(`{${smuggled}${rest === '}' ? '' : ','}${rest}`) as unknown;
    });

const csvText = fc
  .tuple(
    fc.array(
      fc.array(
        fc.oneof(hostileString, fc.constantFrom('"', '""', '"a"b"', 'a,b', '\r\n', '\n"', 'url', 'note')),
        { maxLength: 4 },
      ),
      { maxLength: 6 },
    ),
    fc.constantFrom('\n', '\r\n', '\r'),
  )
  .map(([rows, eol]) => rows.map((r) => r.join(',')).join(eol));

describe('hostile input on every route', () => {
  let t: TestApp;
  let c: Campaign;
  let parties: Party[];
  let ids: string[];

  beforeAll(async () => {
    t = await createTestApp();
    c = await setUpCampaign(t);
    parties = [t.operator, c.ministry, c.association, c.police, c.shopee, c.tokopedia];
    const { batchId, links } = await submitBatch(t, c, [shopeeUrl(), shopeeUrl(), tokopediaUrl()]);
    await t.http
      .post('/v1/links/acknowledgements')
      .set(c.shopee.auth)
      .send({
        items: [{ linkId: links[0].id, status: 'taken_down', listing: { sellerRef: 'fuzz-seller' } }],
      })
      .expect(200);
    const keyword = await t.http
      .post('/v1/keywords')
      .set(c.ministry.auth)
      .send({ term: 'bal fuzz' })
      .expect(201);
    const request = await t.http
      .post('/v1/evidence-requests')
      .set(c.police.auth)
      .send({
        caseNumber: 'FUZZ/1',
        legalBasis: 'fuzz',
        purpose: 'fuzz',
        scope: { batchIds: [batchId] },
      })
      .expect(201);
    ids = [
      batchId,
      ...links.map((l) => l.id),
      keyword.body.id,
      request.body.id,
      c.shopee.marketplaceId,
      c.shopee.agencyId,
      c.police.agencyId,
      '1',
      '2',
    ].filter(Boolean);
  });
  afterAll(() => t.close());

  const snapshot = async () =>
    (
      await t.db.query<{ s: string }[]>(
        `SELECT concat_ws(',', (SELECT next_seq FROM audit_head), (SELECT count(*) FROM agencies), (SELECT count(*) FROM api_clients),
                (SELECT count(*) FROM marketplaces), (SELECT count(*) FROM marketplace_domains), (SELECT count(*) FROM link_batches),
                (SELECT count(*) FROM links), (SELECT count(*) FROM keywords), (SELECT count(*) FROM evidence_requests),
                (SELECT count(*) FROM evidence_responses)) AS s`,
      )
    )[0].s;

  const judge = async (res: Response, before: string, what: string) => {
    if (res.status >= 500) throw new Error(`${what} → ${res.status}: ${res.text?.slice(0, 300)}`);
    if (res.status < 400) return;
    const type = String(res.headers['content-type'] ?? '');
    // A HEAD answer has no body by HTTP's rules: its refusal is a problem by its media type, and changes nothing.
    if (what.startsWith('HEAD ')) {
      if (!type.startsWith('application/problem+json'))
        throw new Error(`${what} → ${res.status} is not a problem: ${type}`);
      const after = await snapshot();
      if (after !== before) throw new Error(`${what} → ${res.status} changed state: ${before} → ${after}`);
      return;
    }
    const body = res.body as Record<string, unknown>;
    // The token endpoint answers as RFC 6749 §5.2 says OAuth libraries read: application/json with `error`, beside
    // the problem members.
    // A 431 comes from Node's HTTP parser, before there is a request to route: a problem document like elsewhere.
    const oauth = what.includes(' /v1/auth/token') && res.status !== 431;
    if (oauth && !OAUTH_ERRORS.includes(String(body.error)))
      throw new Error(`${what} → ${res.status} is not an OAuth error: ${type} ${res.text.slice(0, 200)}`);
    if (
      !type.startsWith(oauth ? 'application/json' : 'application/problem+json') ||
      body.status !== res.status ||
      typeof body.title !== 'string'
    )
      throw new Error(`${what} → ${res.status} is not a problem document: ${type} ${res.text.slice(0, 200)}`);
    if (/at .*\.(ts|js):\d+|QueryFailedError|SELECT |INSERT |UPDATE |TypeError|ReferenceError/.test(res.text))
      throw new Error(`${what} → ${res.status} leaks internals: ${res.text.slice(0, 300)}`);
    const after = await snapshot();
    if (after !== before) throw new Error(`${what} → ${res.status} changed state: ${before} → ${after}`);
  };

  const send = (
    op: Operation,
    url: string,
    party: Party | null,
    body: unknown,
    kind: string,
    key?: string,
  ) => {
    let req = t.http[op.method](url);
    if (party) req = req.set(party.auth);
    if (key !== undefined) req = req.set('Idempotency-Key', key);
    if (body === undefined) return req;
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    if (kind === 'csv') return req.set('Content-Type', 'text/csv').send(text);
    if (kind === 'raw') return req.set('Content-Type', 'application/json').send(text);
    if (kind === 'text') return req.set('Content-Type', 'text/plain').send(text);
    return req.set('Content-Type', 'application/json').send(JSON.stringify(body) ?? 'null');
  };

  it.each(operations.map((op) => [`${op.method.toUpperCase()} ${op.path}`, op] as const))(
    '%s',
    async (_name, op) => {
      let cases = 0;
      const pathParams = op.params.filter((p) => p.in === 'path');
      const queryParams = op.params.filter((p) => p.in === 'query').map((p) => p.name);
      const segment = fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom(...ids) },
        { weight: 2, arbitrary: hostileString },
        { weight: 1, arbitrary: fc.uuid() },
      );
      const query = fc.array(
        fc.tuple(
          fc.oneof(
            { weight: 4, arbitrary: fc.constantFrom(...queryParams, 'limit') },
            { weight: 1, arbitrary: hostileString },
          ),
          fc.oneof(hostileString, hostileNumber.map(String)),
        ),
        { maxLength: 5 },
      );
      const body = op.body
        ? fc.oneof(
            {
              weight: 6,
              arbitrary: fc.tuple(
                fc.constant('json'),
                op.body.json ? withSmuggledKeys(valueOf(op.body.json)) : anyJson,
              ),
            },
            {
              weight: 2,
              arbitrary: fc.tuple(fc.constant('json'), op.body.json ? valueOf(op.body.json) : anyJson),
            },
            { weight: op.body.csv ? 3 : 0, arbitrary: fc.tuple(fc.constant('csv'), csvText) },
            {
              weight: 1,
              arbitrary: fc.tuple(
                fc.constant('raw'),
                fc.constantFrom(
                  '{',
                  '{"a":',
                  '[1,]',
                  '\u0000',
                  '{"a":1}{"b":2}',
                  'nul',
                  '"\\ud800"',
                  '{"__proto__":{"x":1}}',
                  '1e999999',
                  '['.repeat(5000),
                ),
              ),
            },
            { weight: 1, arbitrary: fc.tuple(fc.constant('text'), hostileString) },
          )
        : fc.constant(['none', undefined] as const);
      await fc.assert(
        fc.asyncProperty(
          fc.option(fc.nat({ max: parties.length - 1 }), { freq: 12 }),
          fc.array(segment, { minLength: pathParams.length, maxLength: pathParams.length }),
          query,
          body,
          fc.option(headerValue, { freq: 4 }),
          async (who, segments, q, [kind, payload], key) => {
            const party = who === null ? null : parties[who];
            cases++;
            let url = op.path;
            pathParams.forEach((p, i) => (url = url.replace(`{${p.name}}`, enc(segments[i]))));
            if (q.length > 0) url += '?' + q.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&');
            const before = await snapshot();
            const res = await send(
              op,
              url,
              party,
              kind === 'none' ? undefined : payload,
              kind,
              key ?? undefined,
            );
            await judge(
              res,
              before,
              `${op.method.toUpperCase()} ${url.slice(0, 200)} as ${party?.role ?? 'nobody'} (${kind})`,
            );
          },
        ),
        { numRuns: CASES, seed: SEED, endOnFailure: true },
      );
      expect(cases).toBe(CASES);
    },
  );

  it('refuses the heavy classics on every route with a body', async () => {
    const heavy: [string, string][] = [
      ['deeply nested JSON', '['.repeat(200_000) + ']'.repeat(200_000)],
      ['a 10 MB string', JSON.stringify({ term: 'x'.repeat(10 * 2 ** 20) })],
      ['prototype keys', '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}'],
      ['a huge number', '{"takedownSlaHours":1e999999,"limit":123456789012345678901234567890}'],
      ['lone surrogates', '{"term":"\\ud800\\udbff","note":"\\udc00"}'],
      ['NUL bytes', '{"term":"a\\u0000b","name":"\\u0000"}'],
    ];
    for (const op of operations.filter((o) => o.body)) {
      for (const [what, text] of heavy) {
        for (const party of parties) {
          const url = op.path.replace(/\{[^}]+\}/g, ids[0]);
          const before = await snapshot();
          const res = await send(op, url, party, text, 'raw');
          await judge(res, before, `${op.method.toUpperCase()} ${url} as ${party.role}: ${what}`);
        }
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    }
  });
});
