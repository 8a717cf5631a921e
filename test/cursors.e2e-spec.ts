import { createTestApp, Party, TestApp } from './support/app';
import { Campaign, setUpCampaign, shopeeUrl, submitBatch } from './support/campaign';
import { expectProblem } from './support/problem';

/** What a cursor position holds; each kind has its own ways of being wrong. */
type Kind = 'text' | 'uuid' | 'timestamp' | 'integer';

const GOOD: Record<Kind, unknown> = {
  text: 'shopee',
  uuid: '6f9619ff-8b86-4011-b42d-00cf4fc964ff',
  timestamp: '2026-01-02T03:04:05.678Z',
  integer: 3,
};
const BAD: Record<Kind, [string, unknown][]> = {
  text: [
    ['a number', 7],
    ['null', null],
    ['an array', ['shopee']],
    ['text with NUL', 'sho\u0000pee'],
  ],
  uuid: [
    ['zzz', 'zzz'],
    ['a uuid without dashes', '6f9619ff8b864011b42d00cf4fc964ff'],
    ['a uuid and more', '6f9619ff-8b86-4011-b42d-00cf4fc964ff0'],
    ['a number', 7],
  ],
  timestamp: [
    ['zzz', 'zzz'],
    ['a date that does not exist', '2026-02-30T00:00:00.000Z'],
    ['an hour that does not exist', '2026-01-02T25:00:00.000Z'],
    ['year zero', '0000-01-01T00:00:00.000Z'],
    ['a bare date', '2026-01-02'],
    ['an epoch number', 1767322245678],
  ],
  integer: [
    ['a fraction', 1.5],
    ['beyond 2^53', 2 ** 60],
    ['1e400 (Infinity)', '1e400'],
    ['a numeric string', '5'],
  ],
};

const b64 = (text: string) => Buffer.from(text).toString('base64url');
const json = (value: unknown) => b64(JSON.stringify(value));

interface BadCursor {
  name: string;
  cursor: string;
  /** Only the value's format is wrong: a string where a string belongs, which an untyped decoder lets through. */
  formatOnly: boolean;
}

/** Every malformed cursor for a shape: not JSON, not an array, wrong arity, and each position wrong in each way. */
function badCursors(shape: Kind[]): BadCursor[] {
  const good = shape.map((k) => GOOD[k]);
  const whole = (name: string, cursor: string): BadCursor => ({ name, cursor, formatOnly: false });
  const cases = [
    whole('garbage', 'garbage!!'),
    whole('base64 of non-JSON', b64('not json {')),
    whole('base64 of an object', json({ id: GOOD.uuid })),
    whole('base64 of a string', json('shopee')),
    whole('base64 of null', json(null)),
    whole('an empty array', json([])),
    // For a one-position uuid or timestamp shape this is a format case: the arity and the type are right.
    {
      name: '["zzz"]',
      cursor: json(['zzz']),
      formatOnly: shape.length === 1 && !['text', 'integer'].includes(shape[0]),
    },
    whole('one position too many', json([...good, GOOD.uuid])),
  ];
  if (shape.length > 1) cases.push(whole('one position too few', json(good.slice(0, -1))));
  shape.forEach((kind, i) => {
    for (const [what, value] of BAD[kind]) {
      // '1e400' must reach JSON.parse as a bare number literal, which JSON.stringify cannot write.
      const text =
        value === '1e400'
          ? `[${good.map((g, j) => (j === i ? '1e400' : JSON.stringify(g))).join(',')}]`
          : JSON.stringify(good.map((g, j) => (j === i ? value : g)));
      cases.push({
        name: `position ${i} (${kind}) is ${what}`,
        cursor: b64(text),
        formatOnly: kind !== 'text' && kind !== 'integer' && typeof value === 'string',
      });
    }
  });
  return cases;
}

describe('cursors', () => {
  let t: TestApp;
  let c: Campaign;
  const parties: Record<string, () => Party> = {};
  let requestId: string;

  beforeAll(async () => {
    t = await createTestApp();
    c = await setUpCampaign(t);
    const { links } = await submitBatch(t, c, [shopeeUrl(), shopeeUrl()]);
    requestId = (
      await t.http
        .post('/v1/evidence-requests')
        .set(c.police.auth)
        .send({ caseNumber: 'LP/1', legalBasis: 'KUHAP', purpose: 'p', scope: { linkIds: [links[0].id] } })
        .expect(201)
    ).body.id as string;
    parties.operator = () => t.operator;
    parties.ministry = () => c.ministry;
    parties.police = () => c.police;
  });
  afterAll(() => t.close());

  interface Route {
    name: string;
    path: () => string;
    party: keyof typeof parties;
    shape: Kind[];
  }
  const routes: Route[] = [
    { name: 'GET /v1/agencies', path: () => '/v1/agencies', party: 'operator', shape: ['text', 'uuid'] },
    {
      name: 'GET /v1/agencies/{id}/clients',
      path: () => `/v1/agencies/${c.shopee.agencyId}/clients`,
      party: 'operator',
      shape: ['timestamp', 'uuid'],
    },
    {
      name: 'GET /v1/marketplaces',
      path: () => '/v1/marketplaces',
      party: 'operator',
      shape: ['text', 'uuid'],
    },
    {
      name: 'GET /v1/link-batches',
      path: () => '/v1/link-batches',
      party: 'ministry',
      shape: ['timestamp', 'uuid'],
    },
    { name: 'GET /v1/links', path: () => '/v1/links', party: 'ministry', shape: ['uuid'] },
    {
      name: 'GET /v1/links?updatedSince=',
      path: () => '/v1/links?updatedSince=2000-01-01T00:00:00Z',
      party: 'ministry',
      shape: ['timestamp', 'uuid'],
    },
    { name: 'GET /v1/audit-events', path: () => '/v1/audit-events', party: 'operator', shape: ['integer'] },
    {
      name: 'GET /v1/evidence-requests',
      path: () => '/v1/evidence-requests',
      party: 'police',
      shape: ['timestamp', 'uuid'],
    },
    {
      name: 'GET /v1/evidence-requests/{id}/links',
      path: () => `/v1/evidence-requests/${requestId}/links`,
      party: 'police',
      shape: ['uuid'],
    },
  ];

  const get = (route: Route, cursor: string) => {
    const path = route.path();
    return t.http
      .get(`${path}${path.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(cursor)}`)
      .set(parties[route.party]().auth);
  };

  describe.each(routes)('$name', (route) => {
    it('accepts a well-formed cursor', async () => {
      const res = await get(route, json(route.shape.map((k) => GOOD[k])));
      expect(res.status).toBe(200);
    });

    const cases = badCursors(route.shape);
    const refused = async ({ cursor }: BadCursor) =>
      expect(expectProblem(await get(route, cursor), 400)).toEqual(
        expect.objectContaining({ errors: [{ path: 'cursor', message: expect.any(String) }] }),
      );
    it.each(cases)('refuses a cursor that is $name with 400 naming cursor', (k) => refused(k));
  });
});
