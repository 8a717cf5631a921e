import { readReportItem } from './takedown-report-items';

const NOW = new Date('2026-12-01T10:00:00.000Z');
const URL = 'https://shopee.co.id/a-i.1.2';
const LISTING = { title: 'Bal pakaian bekas', sellerRef: 'toko-1' };
const DECISION = {
  visibility: 'disabled',
  account: 'terminated',
  ground: 'terms_of_service',
  automatedDetection: false,
  automatedDecision: 'none',
};
const item = (extra: Record<string, unknown> = {}) => ({
  url: URL,
  takenDownAt: '2026-11-30T08:00:00Z',
  listing: LISTING,
  ...extra,
});

describe('readReportItem', () => {
  it.each([
    [
      'the required fields',
      item(),
      {
        url: URL,
        takenDownAt: new Date('2026-11-30T08:00:00Z'),
        reason: null,
        category: null,
        listing: LISTING,
        decision: null,
      },
    ],
    [
      'a reason and a category',
      item({ reason: 'banned goods', category: 'used-clothing' }),
      {
        url: URL,
        takenDownAt: new Date('2026-11-30T08:00:00Z'),
        reason: 'banned goods',
        category: 'used-clothing',
        listing: LISTING,
        decision: null,
      },
    ],
    [
      'takenDownAt a little ahead of our clock (skew)',
      item({ takenDownAt: '2026-12-01T10:00:04Z' }),
      expect.objectContaining({ takenDownAt: new Date('2026-12-01T10:00:04Z') }),
    ],
    [
      'takenDownAt with an offset',
      item({ takenDownAt: '2026-11-30T15:00:00+07:00' }),
      expect.objectContaining({ takenDownAt: new Date('2026-11-30T08:00:00Z') }),
    ],
    ['a statement of reasons', item({ decision: DECISION }), expect.objectContaining({ decision: DECISION })],
    [
      'a statement of reasons missing its ground',
      item({ decision: { ...DECISION, ground: undefined } }),
      'decision.ground is required',
    ],
    ['not an object', 'x', 'item must be an object'],
    ['null', null, 'item must be an object'],
    ['an array', [item()], 'item must be an object'],
    ['an unknown property', item({ linkId: 'x' }), 'property linkId is not allowed'],
    ['no url', item({ url: undefined }), 'url must be a string of 1-8192 characters'],
    ['an empty url', item({ url: '' }), 'url must be a string of 1-8192 characters'],
    ['a url too long', item({ url: 'x'.repeat(8193) }), 'url must be a string of 1-8192 characters'],
    ['a url with NUL', item({ url: `${URL}\u0000` }), 'url must not contain the NUL character (U+0000)'],
    ['no takenDownAt', item({ takenDownAt: undefined }), 'takenDownAt must be an RFC 3339 timestamp'],
    ['a date without time', item({ takenDownAt: '2026-11-30' }), 'takenDownAt must be an RFC 3339 timestamp'],
    ['a number', item({ takenDownAt: 1764489600000 }), 'takenDownAt must be an RFC 3339 timestamp'],
    [
      'an impossible date',
      item({ takenDownAt: '2026-13-40T00:00:00Z' }),
      'takenDownAt must be an RFC 3339 timestamp',
    ],
    ['in the future', item({ takenDownAt: '2026-12-01T10:00:06Z' }), 'takenDownAt must not be in the future'],
    [
      'before 2000',
      item({ takenDownAt: '1999-12-31T23:59:59Z' }),
      'takenDownAt must not be before 2000-01-01T00:00:00.000Z',
    ],
    ['an empty reason', item({ reason: '' }), 'reason must be a string of 1-1000 characters'],
    ['a long reason', item({ reason: 'r'.repeat(1001) }), 'reason must be a string of 1-1000 characters'],
    [
      'a reason with a lone surrogate',
      item({ reason: 'a\ud800b' }),
      'reason must be well-formed Unicode (a lone surrogate is not)',
    ],
    ['a long category', item({ category: 'c'.repeat(101) }), 'category must be a string of 1-100 characters'],
    ['a category not a string', item({ category: 3 }), 'category must be a string of 1-100 characters'],
    ['no listing', item({ listing: undefined }), 'listing is required'],
    ['a listing not an object', item({ listing: 'x' }), 'listing must be an object'],
    [
      'a malformed image hash',
      item({ listing: { imageHashes: [{ algorithm: 'phash', hash: 'ABC' }] } }),
      'listing.imageHashes[0].hash must be 16 lower-case hex characters for phash',
    ],
    [
      'an unknown algorithm',
      item({ listing: { imageHashes: [{ algorithm: 'md5', hash: '00' }] } }),
      'listing.imageHashes[0].algorithm must be one of phash, pdq',
    ],
    [
      'a title with NUL',
      item({ listing: { title: 'a\u0000' } }),
      'listing.title must not contain the NUL character (U+0000)',
    ],
  ])('%s', (_, raw, expected) => expect(readReportItem(raw, NOW)).toEqual(expected));
});
