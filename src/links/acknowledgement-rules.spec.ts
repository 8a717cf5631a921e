import type { AuditRecord } from '../audit/audit-events';
import type { AcknowledgementItem } from './acknowledgement-items';
import { judgeAcknowledgement, Judgement, LockedLink } from './acknowledgement-rules';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const ID = '0b6f2c1e-6a4b-4c59-9a55-0c4f4b7f1a01';
const PARTY = '7d1e5c2a-1b3c-4d5e-8f90-a1b2c3d4e5f6';

const link = (over: Partial<LockedLink> = {}): LockedLink => ({
  id: ID,
  marketplace_id: '00000000-0000-4000-8000-0000000000aa',
  status: 'pending',
  created_at: new Date('2026-03-01T00:00:00.000Z'),
  listing: null,
  seller_ref: null,
  status_reason: null,
  resolved_at: null,
  decision: null,
  requires_statement: false,
  ...over,
});

const item = (over: Partial<AcknowledgementItem> = {}): AcknowledgementItem => ({
  linkId: ID,
  status: 'acknowledged',
  at: null,
  reason: null,
  listing: null,
  decision: null,
  ...over,
});

const refused = (status: LockedLink['status'] | null, error: string): Judgement => ({
  result: { linkId: ID, ok: false, status, error },
});

const reported = (
  changed: LockedLink,
  data: Record<string, unknown>,
  action = `link.${changed.status}`,
): Judgement => ({
  result: { linkId: ID, ok: true, status: changed.status },
  change: {
    link: changed,
    event: { action, entityType: 'link', entityId: ID, partyAgencyId: PARTY, data } as AuditRecord,
  },
});

const listing = { title: 'Fake bag', sellerRef: 'seller-9', price: 10, currency: 'IDR' };

const cases: [string, LockedLink | undefined, AcknowledgementItem, Judgement][] = [
  [
    'refuses an unknown link, or one of another marketplace (not locked for the caller)',
    undefined,
    item(),
    refused(null, 'not_found'),
  ],
  [
    'refuses an at more than five seconds ahead of the clock',
    link(),
    item({ at: new Date(NOW.getTime() + 5_001) }),
    refused('pending', 'at must not be in the future'),
  ],
  [
    'accepts an at within the clock skew',
    link(),
    item({ at: new Date(NOW.getTime() + 5_000) }),
    reported(link({ status: 'acknowledged' }), {
      from: 'pending',
      status: 'acknowledged',
      at: new Date(NOW.getTime() + 5_000).toISOString(),
    }),
  ],
  [
    'refuses an at before the link was created',
    link(),
    item({ at: new Date('2026-02-28T23:59:59.999Z') }),
    refused('pending', 'at must not be before the link was created'),
  ],
  [
    'answers ok and changes nothing when the status is already the one reported',
    link({ status: 'acknowledged' }),
    item({ status: 'acknowledged' }),
    { result: { linkId: ID, ok: true, status: 'acknowledged' } },
  ],
  [
    'answers ok for a repeated final status, even with evidence',
    link({ status: 'taken_down' }),
    item({ status: 'taken_down', listing }),
    { result: { linkId: ID, ok: true, status: 'taken_down' } },
  ],
  [
    'refuses leaving a final status',
    link({ status: 'taken_down' }),
    item({ status: 'rejected', reason: 'no' }),
    refused('taken_down', 'invalid_transition'),
  ],
  [
    'refuses acknowledging a withdrawn link',
    link({ status: 'withdrawn' }),
    item({ status: 'acknowledged' }),
    refused('withdrawn', 'invalid_transition'),
  ],
  [
    'refuses acknowledging a link already reported not found',
    link({ status: 'not_found' }),
    item({ status: 'acknowledged' }),
    refused('not_found', 'invalid_transition'),
  ],
  [
    'acknowledging keeps the link open: no resolved_at, at defaults to now',
    link(),
    item(),
    reported(link({ status: 'acknowledged' }), {
      from: 'pending',
      status: 'acknowledged',
      at: NOW.toISOString(),
    }),
  ],
  [
    'a final status sets resolved_at to the reported at',
    link({ status: 'acknowledged' }),
    item({ status: 'taken_down', at: new Date('2026-03-01T10:00:00.000Z') }),
    reported(link({ status: 'taken_down', resolved_at: new Date('2026-03-01T10:00:00.000Z') }), {
      from: 'acknowledged',
      status: 'taken_down',
      at: '2026-03-01T10:00:00.000Z',
    }),
  ],
  [
    'a reason replaces the status reason and travels in the event',
    link({ status_reason: 'old' }),
    item({ status: 'rejected', reason: 'not infringing' }),
    reported(link({ status: 'rejected', status_reason: 'not infringing', resolved_at: NOW }), {
      from: 'pending',
      status: 'rejected',
      at: NOW.toISOString(),
      reason: 'not infringing',
    }),
  ],
  [
    'no reason keeps the earlier status reason',
    link({ status: 'acknowledged', status_reason: 'earlier' }),
    item({ status: 'not_found' }),
    reported(link({ status: 'not_found', status_reason: 'earlier', resolved_at: NOW }), {
      from: 'acknowledged',
      status: 'not_found',
      at: NOW.toISOString(),
    }),
  ],
  [
    'listing evidence replaces the listing and its seller ref',
    link({ seller_ref: 'old-seller', listing: { title: 'old' } }),
    item({ status: 'taken_down', listing }),
    reported(link({ status: 'taken_down', listing, seller_ref: 'seller-9', resolved_at: NOW }), {
      from: 'pending',
      status: 'taken_down',
      at: NOW.toISOString(),
      listing,
    }),
  ],
  [
    'listing evidence without a seller ref keeps the earlier seller ref',
    link({ seller_ref: 'old-seller' }),
    item({ listing: { title: 'only a title' } }),
    reported(link({ status: 'acknowledged', listing: { title: 'only a title' }, seller_ref: 'old-seller' }), {
      from: 'pending',
      status: 'acknowledged',
      at: NOW.toISOString(),
      listing: { title: 'only a title' },
    }),
  ],
];

describe('judgeAcknowledgement', () => {
  it.each(cases)('%s', (_, locked, ack, expected) => {
    expect(judgeAcknowledgement(locked, ack, NOW, PARTY)).toEqual(expected);
  });

  it('leaves the locked link it judged unchanged', () => {
    const locked = link();
    judgeAcknowledgement(locked, item({ status: 'taken_down', listing }), NOW, PARTY);
    expect(locked).toEqual(link());
  });

  it('judges a second item for the same link against the first one’s outcome', () => {
    const first = judgeAcknowledgement(link(), item(), NOW, PARTY);
    const second = judgeAcknowledgement(first.change!.link, item({ status: 'taken_down' }), NOW, PARTY);
    expect(second.change?.event.data).toEqual({
      from: 'acknowledged',
      status: 'taken_down',
      at: NOW.toISOString(),
    });
  });
});
