import type { RoutedMarketplace, Router } from '../marketplaces/marketplace-directory';
import { domainCandidates } from '../marketplaces/url';
import { judgeReport, reportEvents, reportResults, ReportedLink, withPriors } from './takedown-report-rules';

const NOW = new Date('2026-12-01T10:00:00.000Z');
const SHOPEE: RoutedMarketplace = {
  marketplaceId: 'a0000000-0000-4000-8000-000000000001',
  code: 'shopee',
  agencyId: 'a0000000-0000-4000-8000-0000000000aa',
  takedownSlaHours: 24,
  urgentSlaHours: 12,
  requireStatementOfReasons: false,
};
const TOKOPEDIA: RoutedMarketplace = {
  marketplaceId: 'a0000000-0000-4000-8000-000000000002',
  code: 'tokopedia',
  agencyId: 'a0000000-0000-4000-8000-0000000000bb',
  takedownSlaHours: 48,
  urgentSlaHours: 12,
  requireStatementOfReasons: false,
};
const DOMAINS = new Map([
  ['shopee.co.id', SHOPEE],
  ['tokopedia.com', TOKOPEDIA],
]);
const router: Router = {
  route: (host) =>
    domainCandidates(host)
      .map((d) => DOMAINS.get(d))
      .find(Boolean) ?? null,
  byId: new Map([SHOPEE, TOKOPEDIA].map((m) => [m.marketplaceId, m])),
};
let counter = 0;
const newId = () => `id-${++counter}`;
const item = (url: string, extra: Record<string, unknown> = {}) => ({
  url,
  takenDownAt: '2026-11-30T08:00:00Z',
  listing: { title: 't' },
  ...extra,
});

const S1 = 'https://shopee.co.id/a-i.1.2';
const S1_AGAIN = 'https://shopee.co.id/product/1/2';
const S2 = 'https://shopee.co.id/b-i.1.3';
const T1 = 'https://www.tokopedia.com/toko/kemeja-1a2b3c';

describe('judgeReport', () => {
  beforeEach(() => (counter = 0));

  it.each([
    ['an own listing', [item(S1)], [[0, '1.2']], []],
    ['a URL that is not one', [item('not-a-url')], [], [[0, 'invalid_url']]],
    ['a URL of no marketplace', [item('https://example.org/x')], [], [[0, 'unroutable']]],
    ['another marketplace’s domain', [item(T1)], [], [[0, 'not_own_domain']]],
    [
      'the same listing twice, kept first',
      [item(S1), item(S1_AGAIN)],
      [[0, '1.2']],
      [[1, 'duplicate_in_report']],
    ],
    [
      'the same listing twice at different times is still one report’s repeat',
      [item(S1), item(S1_AGAIN, { takenDownAt: '2026-11-29T08:00:00Z' })],
      [[0, '1.2']],
      [[1, 'duplicate_in_report']],
    ],
    [
      'a malformed item, not counted as its listing',
      [item(S1, { listing: { price: -1 } }), item(S1_AGAIN)],
      [[1, '1.2']],
      [[0, 'listing.price must be a number from 0 to 1e15']],
    ],
    [
      'candidates in lock order',
      [item(S2), item(S1)],
      [
        [1, '1.2'],
        [0, '1.3'],
      ],
      [],
    ],
  ])('%s', (_, items, candidates, refused) => {
    const judged = judgeReport(items, router, [SHOPEE.marketplaceId], NOW, newId);
    expect(judged.candidates.map((c) => [c.index, c.listingKey])).toEqual(candidates);
    expect([...judged.refused.values()].map((r) => [r.index, r.error])).toEqual(refused);
    for (const r of judged.refused.values()) expect(r.ok).toBe(false);
  });

  it('keeps what the item said, with its marketplace’s agency', () => {
    const [c] = judgeReport(
      [item(S1_AGAIN, { reason: 'r', category: 'c' })],
      router,
      [SHOPEE.marketplaceId],
      NOW,
      newId,
    ).candidates;
    expect(c).toEqual({
      index: 0,
      id: 'id-1',
      url: S1_AGAIN,
      canonicalUrl: expect.any(String),
      listingKey: '1.2',
      marketplaceId: SHOPEE.marketplaceId,
      marketplaceAgencyId: SHOPEE.agencyId,
      takenDownAt: new Date('2026-11-30T08:00:00Z'),
      reason: 'r',
      category: 'c',
      listing: { title: 't' },
      decision: null,
      priorLinkIds: [],
    });
  });

  const DECISION = {
    visibility: 'removed',
    account: 'warned',
    ground: 'illegal',
    automatedDetection: true,
    automatedDecision: 'partial',
  };

  it('keeps a statement of reasons, and refuses a malformed one as the item’s error', () => {
    const judged = judgeReport(
      [item(S1, { decision: DECISION }), item(S2, { decision: { ...DECISION, account: 'banned' } })],
      router,
      [SHOPEE.marketplaceId],
      NOW,
      newId,
    );
    expect(judged.candidates.map((c) => c.decision)).toEqual([DECISION]);
    expect(judged.refused.get(1)?.error).toMatch(/^decision.account must be one of/);
  });

  it('refuses a takedown without a statement of reasons where the marketplace requires one', () => {
    const strict = { ...SHOPEE, requireStatementOfReasons: true };
    const strictRouter: Router = { route: () => strict, byId: new Map([[strict.marketplaceId, strict]]) };
    const judged = judgeReport(
      [item(S1), item(S2, { decision: DECISION })],
      strictRouter,
      [SHOPEE.marketplaceId],
      NOW,
      newId,
    );
    expect(judged.candidates.map((c) => c.index)).toEqual([1]);
    expect(judged.refused.get(0)?.error).toBe(
      'decision is required: the marketplace gives a statement of reasons with each takedown',
    );
  });
});

describe('withPriors', () => {
  beforeEach(() => (counter = 0));

  it('keeps only the inserted candidates, in lock order, each with its priors', () => {
    const S3 = 'https://shopee.co.id/c-i.1.4';
    const items = [item(S3), item(S2), item(S1)];
    const { candidates } = judgeReport(items, router, [SHOPEE.marketplaceId], NOW, newId);
    const [first, second, third] = candidates;
    expect(third.url).toBe(S3);
    const accepted = withPriors(
      candidates,
      new Map([
        [second.id, ['P1', 'P2']],
        [first.id, []],
      ]),
    );
    expect(accepted.map((l) => [l.url, l.priorLinkIds])).toEqual([
      [S1, []],
      [S2, ['P1', 'P2']],
    ]);
  });
});

describe('reportResults and reportEvents', () => {
  const accepted: ReportedLink[] = [
    {
      ...judgeReport([item(S1)], router, [SHOPEE.marketplaceId], NOW, () => 'L1').candidates[0],
      index: 1,
      priorLinkIds: ['P1'],
    },
  ];

  it('answers every item in order, the relisted ones with their priors', () => {
    const refused = new Map([[0, { index: 0, ok: false, error: 'unroutable' }]]);
    expect(reportResults(2, refused, accepted)).toEqual([
      { index: 0, ok: false, error: 'unroutable' },
      { index: 1, ok: true, linkId: 'L1', relisted: true, priorLinkIds: ['P1'] },
    ]);
  });

  it('writes the report’s event first, then one link.created per link', () => {
    const events = reportEvents('R1', SHOPEE.agencyId, 2, accepted);
    expect(events.map((e) => [e.action, e.entityId])).toEqual([
      ['takedown_report.filed', 'R1'],
      ['link.created', 'L1'],
    ]);
    expect(events[0].data).toEqual({ counts: { items: 2, accepted: 1, refused: 1, relisted: 1 } });
    expect(events[1].data).toEqual(
      expect.objectContaining({ source: 'marketplace', reportId: 'R1', batchId: null, status: 'taken_down' }),
    );
  });
});
