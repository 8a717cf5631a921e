import { AppError } from '../errors/app-error';
import type { RoutedMarketplace, Router } from '../marketplaces/marketplace-directory';
import { domainCandidates } from '../marketplaces/url';
import type { BatchMetaDto } from './dto/link-batch.dto';
import {
  attachPriors,
  byListing,
  Candidate,
  checkDueAt,
  duplicatesOf,
  intakeEvents,
  intakeResult,
  judgeLinks,
  listingOf,
  nothingAccepted,
} from './intake-rules';
import type { SubmittedLink } from './submitted-links';

const NOW = new Date('2026-12-01T00:00:00.000Z');
const SHOPEE: RoutedMarketplace = {
  marketplaceId: 'bbbbbbbb-0000-0000-0000-000000000000',
  code: 'shopee',
  agencyId: 'agency-s',
  takedownSlaHours: 48,
  urgentSlaHours: 12,
  requireStatementOfReasons: false,
};
const TOKOPEDIA: RoutedMarketplace = {
  marketplaceId: 'aaaaaaaa-0000-0000-0000-000000000000',
  code: 'tokopedia',
  agencyId: 'agency-t',
  takedownSlaHours: 24,
  urgentSlaHours: 4,
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
const META: BatchMetaDto = { reference: 'R/1', legalBasis: 'Permendag 40/2022' };
const link = (url: string, extra: Partial<SubmittedLink> = {}): SubmittedLink => ({
  url,
  note: null,
  keywords: [],
  listing: null,
  priority: null,
  ...extra,
});
let counter = 0;
const newId = () => `id-${++counter}`;

const S1 = 'https://shopee.co.id/a-i.1.2';
const S1_AGAIN = 'https://shopee.co.id/product/1/2';
const S2 = 'https://shopee.co.id/b-i.1.3';
const T1 = 'https://www.tokopedia.com/toko/kemeja-1a2b3c';

describe('judgeLinks', () => {
  beforeEach(() => (counter = 0));

  it.each([
    ['a link that routes', [S1], [[0, 'shopee', '1.2']], []],
    ['a URL that is not one', ['not-a-url'], [], [[0, 'invalid_url']]],
    ['an unknown marketplace', ['https://example.org/x'], [], [[0, 'unknown_marketplace']]],
    [
      'the same listing twice, kept first',
      [S1, S1_AGAIN],
      [[0, 'shopee', '1.2']],
      [[1, 'duplicate_in_batch']],
    ],
    [
      'candidates in lock order, rejections in submission order',
      [S2, 'nope', S1, T1, S1],
      [
        [3, 'tokopedia'],
        [2, 'shopee', '1.2'],
        [0, 'shopee', '1.3'],
      ],
      [
        [1, 'invalid_url'],
        [4, 'duplicate_in_batch'],
      ],
    ],
  ])('%s', (_, urls, candidates, rejected) => {
    const judged = judgeLinks(
      urls.map((u) => link(u)),
      router,
      META,
      NOW,
      newId,
    );
    expect(
      judged.candidates.map((c) => [
        c.index,
        c.marketplace.code,
        ...(c.marketplace === SHOPEE ? [c.listingKey] : []),
      ]),
    ).toEqual(candidates);
    expect(judged.rejected.map((r) => [r.index, r.reason])).toEqual(rejected);
  });

  it.each([
    [
      'the marketplace SLA without a batch due time',
      {},
      [S1, T1],
      ['2026-12-02T00:00:00.000Z', '2026-12-03T00:00:00.000Z'],
    ],
    [
      "the marketplace's urgent SLA in an urgent batch",
      { priority: 'urgent' as const },
      [S1, T1],
      ['2026-12-01T04:00:00.000Z', '2026-12-01T12:00:00.000Z'],
    ],
    [
      'the batch due time when given',
      { dueAt: '2027-01-01T00:00:00Z' },
      [S1, T1],
      ['2027-01-01T00:00:00Z', '2027-01-01T00:00:00Z'],
    ],
    [
      'the batch due time over an urgent priority',
      { dueAt: '2027-01-01T00:00:00Z', priority: 'urgent' as const },
      [S1, T1],
      ['2027-01-01T00:00:00Z', '2027-01-01T00:00:00Z'],
    ],
  ])('sets due times from %s', (_, meta, urls, due) => {
    const { candidates } = judgeLinks(
      urls.map((u) => link(u)),
      router,
      { ...META, ...meta },
      NOW,
      newId,
    );
    expect(candidates.map((c) => c.dueAt)).toEqual(due);
  });

  it("takes a link's own priority over the batch's, and its SLA with it", () => {
    const { candidates } = judgeLinks(
      [link(S1, { priority: 'normal' }), link(S2), link(T1, { priority: 'urgent' })],
      router,
      { ...META, priority: 'urgent' },
      NOW,
      newId,
    );
    expect(candidates.map((c) => [c.url, c.priority, c.dueAt])).toEqual([
      [T1, 'urgent', '2026-12-01T04:00:00.000Z'],
      [S1, 'normal', '2026-12-03T00:00:00.000Z'],
      [S2, 'urgent', '2026-12-01T12:00:00.000Z'],
    ]);
  });

  it('makes every link normal when neither the batch nor the link names a priority', () => {
    const { candidates } = judgeLinks([link(S1), link(T1)], router, META, NOW, newId);
    expect(candidates.map((c) => c.priority)).toEqual(['normal', 'normal']);
  });

  it('keeps the note, keywords and URL as submitted', () => {
    const [c] = judgeLinks(
      [link(S1_AGAIN, { note: 'n', keywords: ['bal'] })],
      router,
      META,
      NOW,
      newId,
    ).candidates;
    expect(c).toEqual(
      expect.objectContaining({
        id: 'id-1',
        url: S1_AGAIN,
        note: 'n',
        keywords: ['bal'],
        marketplaceId: SHOPEE.marketplaceId,
      }),
    );
  });

  it('keeps the listing evidence sent with a link', () => {
    const [c] = judgeLinks(
      [link(S1, { listing: { title: 'Bal', sellerRef: 's1' } })],
      router,
      META,
      NOW,
      newId,
    ).candidates;
    expect(c.listing).toEqual({ title: 'Bal', sellerRef: 's1' });
  });

  it('rejects a link whose listing is malformed, saying why, before it counts as its listing', () => {
    const judged = judgeLinks(
      [link(S1, { listing: 'listing.price must be a number from 0 to 1e15' }), link(S1_AGAIN)],
      router,
      META,
      NOW,
      newId,
    );
    expect(judged.rejected).toEqual([
      {
        index: 0,
        url: S1,
        reason: 'invalid_listing',
        detail: 'listing.price must be a number from 0 to 1e15',
      },
    ]);
    expect(judged.candidates.map((c) => c.index)).toEqual([1]);
  });
});

describe('byListing', () => {
  const c = (marketplaceId: string, listingKey: string) => ({ marketplaceId, listingKey }) as Candidate;
  it.each([
    ['by marketplace first', c('a', 'z'), c('b', 'a'), -1],
    ['then by listing key', c('a', 'b'), c('a', 'a'), 1],
    ['by code unit, not locale', c('a', 'B'), c('a', 'a'), -1],
    ['equal', c('a', 'a'), c('a', 'a'), 0],
  ])('%s', (_, a, b, expected) => expect(Math.sign(byListing(a, b))).toBe(expected));
});

describe('checkDueAt', () => {
  const refusal = (dueAt: string | undefined): string | null => {
    try {
      checkDueAt({ ...META, dueAt }, NOW);
      return null;
    } catch (error) {
      return (error as AppError).code;
    }
  };
  it.each([
    ['no due time', undefined, null],
    ['a future due time', '2026-12-01T00:00:01Z', null],
    ['now', '2026-12-01T00:00:00Z', 'VALIDATION_FAILED'],
    ['a past due time', '2020-01-01T00:00:00Z', 'VALIDATION_FAILED'],
  ])('%s', (_, dueAt, expected) => expect(refusal(dueAt)).toBe(expected));
});

describe('outcomes', () => {
  const judged = () =>
    judgeLinks(
      [S2, S1, T1, 'nope'].map((u) => link(u)),
      router,
      META,
      NOW,
      newId,
    );

  it('attaches the taken-down links of each listing', () => {
    const { candidates } = judged();
    const prior = new Map([[listingOf(candidates[1]), ['old-1', 'old-2']]]);
    expect(attachPriors(candidates, prior).map((c) => c.priorLinkIds)).toEqual([[], ['old-1', 'old-2'], []]);
  });

  it('names the open link each refused candidate duplicates, in submission order, and which it co-notifies', () => {
    const { candidates } = judged();
    const open = new Map(candidates.map((c) => [listingOf(c), `open-${c.index}`]));
    expect(duplicatesOf(candidates, open, new Set(['open-1']))).toEqual([
      { index: 0, url: S2, existingLinkId: 'open-0', coNotified: false },
      { index: 1, url: S1, existingLinkId: 'open-1', coNotified: true },
      { index: 2, url: T1, existingLinkId: 'open-2', coNotified: false },
    ]);
  });

  it('refuses a batch with nothing accepted, one error per link in numeric order', () => {
    const rejected = [2, 10].map((index) => ({ index, url: 'x', reason: 'invalid_url' as const }));
    const error = nothingAccepted(rejected, [{ index: 9, url: 'y', existingLinkId: 'L', coNotified: false }]);
    expect(error.status).toBe(422);
    expect(error.code).toBe('NO_LINK_ACCEPTED');
    expect(error.errors).toEqual([
      { path: 'links[2]', message: 'invalid_url' },
      { path: 'links[9]', message: 'duplicate of open link L' },
      { path: 'links[10]', message: 'invalid_url' },
    ]);
  });

  it('builds the result and the events of an accepted batch', () => {
    const { candidates, rejected } = judged();
    const [relistedOne, ...rest] = attachPriors(candidates, new Map([[listingOf(candidates[0]), ['old']]]));
    const accepted = [relistedOne, rest[1]];
    const duplicates = duplicatesOf([rest[0]], new Map([[listingOf(rest[0]), 'open']]));
    const result = intakeResult({
      batchId: 'B',
      meta: META,
      now: NOW,
      accepted,
      rejected,
      duplicates,
      ignoredColumns: ['seller'],
    });
    expect(result).toEqual({
      id: 'B',
      reference: 'R/1',
      status: 'open',
      priority: 'normal',
      createdAt: NOW.toISOString(),
      counts: { accepted: 2, duplicate: 1, rejected: 1, relisted: 1, coNotified: 0 },
      byMarketplace: [
        { marketplaceId: SHOPEE.marketplaceId, code: 'shopee', accepted: 1 },
        { marketplaceId: TOKOPEDIA.marketplaceId, code: 'tokopedia', accepted: 1 },
      ],
      rejected: [{ index: 3, url: 'nope', reason: 'invalid_url' }],
      duplicates: [{ index: 1, url: S1, existingLinkId: 'open', coNotified: false }],
      relisted: [{ index: 2, url: T1, linkId: relistedOne.id, priorLinkIds: ['old'] }],
      ignoredColumns: ['seller'],
    });
    const events = intakeEvents('B', META, result.counts, accepted);
    expect(events.map((e) => [e.action, e.entityId, e.partyAgencyId])).toEqual([
      ['link_batch.created', 'B', undefined],
      ['link.created', relistedOne.id, 'agency-t'],
      ['link.created', rest[1].id, 'agency-s'],
    ]);
    expect(events[1].data).toEqual(
      expect.objectContaining({ relisted: true, priorLinkIds: ['old'], batchId: 'B' }),
    );
  });
});
