import { readAcknowledgement } from './acknowledgement-items';

const STATEMENT = {
  visibility: 'removed',
  account: 'warned',
  ground: 'illegal',
  automatedDetection: false,
  automatedDecision: 'none',
};

const ID = '0B6F2C1E-6A4B-4C59-9A55-0C4F4B7F1A01';
const ok = { linkId: ID, status: 'acknowledged' };

const refusals: [string, unknown, string][] = [
  ['a non-object', 'x', 'item must be an object'],
  ['null', null, 'item must be an object'],
  ['an array', [], 'item must be an object'],
  ['an unknown property', { ...ok, extra: 1 }, 'property extra is not allowed'],
  [
    'a long unknown property, cut to 50',
    { ...ok, ['k'.repeat(80)]: 1 },
    `property ${'k'.repeat(50)} is not allowed`,
  ],
  ['a missing linkId', { status: 'acknowledged' }, 'linkId must be a UUID'],
  ['a linkId that is not a UUID', { ...ok, linkId: 'abc' }, 'linkId must be a UUID'],
  [
    'an unknown status',
    { ...ok, status: 'pending' },
    'status must be one of acknowledged, taken_down, not_found, rejected',
  ],
  ['an at without a zone', { ...ok, at: '2026-03-01T10:00:00' }, 'at must be an RFC 3339 timestamp'],
  ['an at that is a number', { ...ok, at: 1 }, 'at must be an RFC 3339 timestamp'],
  [
    'an at on a date that cannot parse',
    { ...ok, at: '2026-13-45T10:00:00Z' },
    'at must be an RFC 3339 timestamp',
  ],
  ['an empty reason', { ...ok, reason: '' }, 'reason must be a string of 1-1000 characters'],
  ['a reason too long', { ...ok, reason: 'r'.repeat(1001) }, 'reason must be a string of 1-1000 characters'],
  ['a reason with NUL', { ...ok, reason: 'a\u0000b' }, 'reason must not contain the NUL character (U+0000)'],
  [
    'a reason with a lone surrogate',
    { ...ok, reason: 'a\ud800' },
    'reason must be well-formed Unicode (a lone surrogate is not)',
  ],
  [
    'a rejection without a reason',
    { ...ok, status: 'rejected' },
    'reason is required when status is rejected',
  ],
  ['a listing that is not an object', { ...ok, listing: 'x' }, 'listing must be an object'],
  ['a listing that is an array', { ...ok, listing: [] }, 'listing must be an object'],
  ['an unknown listing property', { ...ok, listing: { color: 'red' } }, 'listing.color is not allowed'],
  [
    'an empty seller ref',
    { ...ok, listing: { sellerRef: '' } },
    'listing.sellerRef must be a string of 1-200 characters',
  ],
  ['a negative price', { ...ok, listing: { price: -1 } }, 'listing.price must be a number from 0 to 1e15'],
  [
    'a currency not in ISO form',
    { ...ok, listing: { currency: 'idr' } },
    'listing.currency must be an ISO 4217 code',
  ],
  [
    'a screenshot hash not hex',
    { ...ok, listing: { screenshotSha256: 'z'.repeat(64) } },
    'listing.screenshotSha256 must be 64 lower-case hex characters',
  ],
  [
    'a phash one character short',
    { ...ok, listing: { imageHashes: [{ algorithm: 'phash', hash: 'a'.repeat(15) }] } },
    'listing.imageHashes[0].hash must be 16 lower-case hex characters for phash',
  ],
  [
    'a pdq hash in upper case',
    { ...ok, listing: { imageHashes: [{ algorithm: 'pdq', hash: 'A'.repeat(64) }] } },
    'listing.imageHashes[0].hash must be 64 lower-case hex characters for pdq',
  ],
  [
    'an unknown hash algorithm',
    { ...ok, listing: { imageHashes: [{ algorithm: 'dhash', hash: 'a'.repeat(16) }] } },
    'listing.imageHashes[0].algorithm must be one of phash, pdq',
  ],
  [
    'a hash with an unknown property',
    { ...ok, listing: { imageHashes: [{ algorithm: 'phash', hash: 'a'.repeat(16), size: 1 }] } },
    'listing.imageHashes[0].size is not allowed',
  ],
  [
    'image hashes that are not a list',
    { ...ok, listing: { imageHashes: 'a'.repeat(16) } },
    'listing.imageHashes must be a list of at most 20',
  ],
  [
    'a statement of reasons with a status other than taken_down',
    { ...ok, decision: STATEMENT },
    'decision is given with status taken_down only',
  ],
  [
    'a statement of reasons that is not an object',
    { ...ok, status: 'taken_down', decision: 'removed' },
    'decision must be an object',
  ],
  [
    'a statement of reasons without its account action',
    { ...ok, status: 'taken_down', decision: { ...STATEMENT, account: undefined } },
    'decision.account is required',
  ],
  [
    'an unknown visibility',
    { ...ok, status: 'taken_down', decision: { ...STATEMENT, visibility: 'hidden' } },
    'decision.visibility must be one of removed, disabled, demoted',
  ],
  [
    'automatedDetection that is not a boolean',
    { ...ok, status: 'taken_down', decision: { ...STATEMENT, automatedDetection: 'no' } },
    'decision.automatedDetection must be a boolean',
  ],
  [
    'a seller notification that is not a timestamp',
    { ...ok, status: 'taken_down', decision: { ...STATEMENT, sellerNotifiedAt: 'yesterday' } },
    'decision.sellerNotifiedAt must be an RFC 3339 timestamp',
  ],
  [
    'a statement of reasons with an unknown property',
    { ...ok, status: 'taken_down', decision: { ...STATEMENT, appeal: true } },
    'decision.appeal is not allowed',
  ],
  [
    'a listing title with NUL',
    { ...ok, listing: { title: '\u0000' } },
    'listing.title must not contain the NUL character (U+0000)',
  ],
];

describe('readAcknowledgement', () => {
  it.each(refusals)('refuses %s', (_, raw, message) => {
    expect(readAcknowledgement(raw)).toBe(message);
  });

  it('reads a minimal item, lower-casing the link id', () => {
    expect(readAcknowledgement(ok)).toEqual({
      linkId: ID.toLowerCase(),
      status: 'acknowledged',
      at: null,
      reason: null,
      listing: null,
      decision: null,
    });
  });

  it('reads at, reason and listing evidence', () => {
    const listing = {
      title: 'Bag',
      sellerRef: 's-1',
      sellerName: 'S',
      price: 0,
      currency: 'IDR',
      screenshotSha256: 'a'.repeat(64),
    };
    expect(
      readAcknowledgement({
        ...ok,
        status: 'rejected',
        at: '2026-03-01T10:00:00+07:00',
        reason: 'licensed',
        listing,
      }),
    ).toEqual({
      linkId: ID.toLowerCase(),
      status: 'rejected',
      at: new Date('2026-03-01T03:00:00.000Z'),
      reason: 'licensed',
      listing,
      decision: null,
    });
  });

  it('reads a statement of reasons with a takedown, its instant as UTC text', () => {
    const decision = {
      ...STATEMENT,
      legalGround: 'Permendag 40/2022',
      sellerNotifiedAt: '2026-03-01T10:00:00+07:00',
    };
    expect(readAcknowledgement({ ...ok, status: 'taken_down', decision })).toEqual(
      expect.objectContaining({ decision: { ...decision, sellerNotifiedAt: '2026-03-01T03:00:00.000Z' } }),
    );
  });
});
