import {
  csvCell,
  CSV_HEADER,
  csvRow,
  EventBody,
  linkSetDigest,
  replayLink,
  replayRequest,
  sellerRecordsCommitment,
} from './evidence-package';

const LINK = '11111111-1111-4111-8111-111111111111';
const created = (data: Record<string, unknown> = {}): EventBody => ({
  seq: 1,
  action: 'link.created',
  at: '2026-11-01T00:00:00.000Z',
  entity: { type: 'link', id: LINK },
  data: {
    batchId: 'b',
    marketplaceId: 'm',
    url: 'https://shopee.co.id/x-i.1.2',
    canonicalUrl: 'https://shopee.co.id/product/1/2',
    listingKey: '1/2',
    status: 'pending',
    dueAt: '2026-11-03T00:00:00Z',
    ...data,
  },
});
const REPORT = '22222222-2222-4222-8222-222222222222';
const reported = (data: Record<string, unknown> = {}): EventBody => ({
  seq: 1,
  action: 'link.created',
  at: '2026-11-02T00:00:00.000Z',
  entity: { type: 'link', id: LINK },
  data: {
    source: 'marketplace',
    reportId: REPORT,
    batchId: null,
    marketplaceId: 'm',
    url: 'https://shopee.co.id/x-i.1.2',
    canonicalUrl: 'https://shopee.co.id/product/1/2',
    listingKey: '1/2',
    status: 'taken_down',
    at: '2026-11-01T08:00:00Z',
    reason: 'banned goods',
    category: 'used-clothing',
    listing: { title: 'Bal', sellerRef: 's1' },
    ...data,
  },
});
const change = (seq: number, action: string, data: Record<string, unknown>): EventBody => ({
  seq,
  action,
  at: `2026-11-02T00:00:0${seq}.000Z`,
  entity: { type: 'link', id: LINK },
  data: { status: action.slice(5), ...data },
});

describe('replayLink', () => {
  it('makes a link from its creation, with the defaults its event leaves out', () => {
    expect(replayLink(LINK, [created()])).toEqual({
      id: LINK,
      batchId: 'b',
      marketplaceId: 'm',
      url: 'https://shopee.co.id/x-i.1.2',
      canonicalUrl: 'https://shopee.co.id/product/1/2',
      listingKey: '1/2',
      note: null,
      keywords: [],
      createdAt: '2026-11-01T00:00:00.000Z',
      dueAt: '2026-11-03T00:00:00.000Z',
      status: 'pending',
      statusReason: null,
      resolvedAt: null,
      listing: null,
      sellerRef: null,
      relisted: false,
      priorLinkIds: [],
    });
  });

  it('follows acknowledgements: status, reason, listing, seller and the time the marketplace acted', () => {
    const link = replayLink(LINK, [
      created({ note: 'n', keywords: ['bal'], relisted: true, priorLinkIds: ['p'] }),
      change(2, 'link.acknowledged', { from: 'pending', listing: { sellerRef: 's1', title: 't' } }),
      change(3, 'link.taken_down', {
        from: 'acknowledged',
        at: '2026-11-02T10:00:00Z',
        listing: { title: 'u' },
      }),
    ]);
    expect(link).toEqual(
      expect.objectContaining({
        note: 'n',
        keywords: ['bal'],
        relisted: true,
        priorLinkIds: ['p'],
        status: 'taken_down',
        listing: { title: 'u' },
        sellerRef: 's1',
        resolvedAt: '2026-11-02T10:00:00.000Z',
      }),
    );
  });

  it('makes a reported link final at the time the marketplace acted, with its report and listing', () => {
    expect(replayLink(LINK, [reported()])).toEqual({
      id: LINK,
      batchId: null,
      marketplaceId: 'm',
      url: 'https://shopee.co.id/x-i.1.2',
      canonicalUrl: 'https://shopee.co.id/product/1/2',
      listingKey: '1/2',
      note: null,
      keywords: [],
      createdAt: '2026-11-02T00:00:00.000Z',
      dueAt: null,
      status: 'taken_down',
      statusReason: 'banned goods',
      resolvedAt: '2026-11-01T08:00:00.000Z',
      listing: { title: 'Bal', sellerRef: 's1' },
      sellerRef: 's1',
      relisted: false,
      priorLinkIds: [],
      source: 'marketplace',
      reportId: REPORT,
    });
  });

  it('keeps the statement of reasons a report gave with its takedown, and refuses one that is not an object', () => {
    const decision = { visibility: 'removed', account: 'suspended', ground: 'illegal' };
    expect(replayLink(LINK, [reported({ decision })]).decision).toEqual(decision);
    expect(() => replayLink(LINK, [reported({ decision: 'removed' })])).toThrow(
      /data.decision is not an object/,
    );
  });

  it('raises reappeared on the latest look that finds a taken-down listing online, and lowers it on offline', () => {
    const look = (seq: number, observedAt: string, result: string, reappeared: boolean): EventBody => ({
      seq,
      action: 'link.observed',
      at: `2026-11-03T00:00:0${seq}.000Z`,
      entity: { type: 'link', id: LINK },
      data: { observationId: `o${seq}`, observedAt, result, reappeared },
    });
    const online = look(2, '2026-11-02T10:00:00Z', 'online', true);
    expect(replayLink(LINK, [reported(), online]).reappeared).toBe(true);
    // An older look leaves the flag; a redirect leaves it; offline lowers it, and the line loses the key.
    const older = look(3, '2026-11-02T09:00:00Z', 'offline', true);
    const redirected = look(4, '2026-11-02T11:00:00Z', 'redirected', true);
    const offline = look(5, '2026-11-02T12:00:00Z', 'offline', false);
    expect(replayLink(LINK, [reported(), online, older, redirected]).reappeared).toBe(true);
    const cleared = replayLink(LINK, [reported(), online, older, redirected, offline]);
    expect(Object.keys(cleared)).not.toContain('reappeared');
    expect(cleared.status).toBe('taken_down');
    // A pending link seen online has not reappeared; an event that says otherwise is refused.
    expect(
      Object.keys(replayLink(LINK, [created(), look(2, '2026-11-02T10:00:00Z', 'online', false)])),
    ).not.toContain('reappeared');
    expect(() => replayLink(LINK, [created(), look(2, '2026-11-02T10:00:00Z', 'online', true)])).toThrow(
      /data.reappeared is true, the observations make it false/,
    );
    expect(() => replayLink(LINK, [reported(), look(2, '2026-11-02T10:00:00Z', 'seen', true)])).toThrow(
      /result seen/,
    );
  });

  it('keeps the listing a ministry sent with its link', () => {
    const link = replayLink(LINK, [created({ listing: { title: 'Bal', sellerRef: 's9' } })]);
    expect([link.listing, link.sellerRef]).toEqual([{ title: 'Bal', sellerRef: 's9' }, 's9']);
  });

  it('writes links.csv rows with empty cells for a reported link’s batch and due date, and its source last', () => {
    expect(CSV_HEADER.endsWith(',title,source,reportId\n')).toBe(true);
    expect(csvRow(replayLink(LINK, [reported()]))).toBe(
      `${LINK},,m,https://shopee.co.id/x-i.1.2,https://shopee.co.id/product/1/2,1/2,taken_down,banned goods,` +
        `2026-11-02T00:00:00.000Z,,2026-11-01T08:00:00.000Z,false,s1,,Bal,marketplace,${REPORT}\n`,
    );
    expect(csvRow(replayLink(LINK, [created()])).endsWith(',false,,,,ministry,\n')).toBe(true);
  });

  it('resolves a withdrawal at the time it was recorded, with its reason', () => {
    const link = replayLink(LINK, [
      created(),
      change(2, 'link.withdrawn', { from: 'pending', reason: 'error' }),
    ]);
    expect(link).toEqual(
      expect.objectContaining({
        status: 'withdrawn',
        statusReason: 'error',
        resolvedAt: '2026-11-02T00:00:02.000Z',
      }),
    );
  });

  it('keeps an urgent priority, and says nothing of a normal one', () => {
    const urgent = replayLink(LINK, [created({ priority: 'urgent' })]);
    expect(urgent.priority).toBe('urgent');
    expect(Object.keys(urgent).indexOf('priority')).toBe(Object.keys(urgent).indexOf('priorLinkIds') + 1);
    expect(replayLink(LINK, [created()])).not.toHaveProperty('priority');
  });

  it.each([['normal'], ['URGENT'], [true]])('refuses a link.created with priority %p', (priority) => {
    expect(() => replayLink(LINK, [created({ priority })])).toThrow(/data.priority is/);
  });

  const coNotified = (seq: number, agencyId: string | null): EventBody => ({
    seq,
    action: 'link.co_notified',
    at: `2026-11-02T00:00:0${seq}.000Z`,
    entity: { type: 'link', id: LINK },
    actor: { agencyId },
    data: { batchId: '44444444-4444-4444-8444-444444444444' },
  });

  it('lists the ministries that co-notified an open link, sorted, and only when there are any', () => {
    const events = [created(), coNotified(2, 'bbbb'), coNotified(3, 'aaaa')];
    expect(replayLink(LINK, events).coNotifiers).toEqual(['aaaa', 'bbbb']);
    expect(replayLink(LINK, [created()])).not.toHaveProperty('coNotifiers');
  });

  it.each<[string, EventBody[], RegExp]>([
    ['a co-notification by no agency', [created(), coNotified(2, null)], /by no agency/],
    [
      'the same ministry twice',
      [created(), coNotified(2, 'aaaa'), coNotified(3, 'aaaa')],
      /co-notified the link already/,
    ],
    [
      'a co-notification of a final link',
      [created(), change(2, 'link.not_found', { from: 'pending' }), coNotified(3, 'aaaa')],
      /co-notification of a not_found link/,
    ],
    ['a co-notification of a reported link', [reported(), coNotified(2, 'aaaa')], /no ministry notified/],
  ])('refuses %s', (_name, events, problem) => {
    expect(() => replayLink(LINK, events)).toThrow(problem);
  });

  const OBJECTION = '33333333-3333-4333-8333-333333333333';
  const objected = (seq: number, clockPaused: boolean, data: Record<string, unknown> = {}): EventBody => ({
    ...change(seq, 'link.objected', {
      objectionId: OBJECTION,
      ground: 'other',
      detail: 'd',
      clockPaused,
      ...data,
    }),
  });
  const decided = (seq: number, data: Record<string, unknown>): EventBody => ({
    ...change(seq, 'link.objection_decided', { objectionId: OBJECTION, note: 'n', ...data }),
  });

  it('stops the clock of an open link while its objection waits, and moves dueAt on by the time paused', () => {
    // Filed at :02, decided at :05: three seconds stood still.
    const link = replayLink(LINK, [
      created(),
      objected(2, true),
      decided(5, {
        outcome: 'rejected',
        from: 'pending',
        status: 'pending',
        pausedMs: 3000,
        dueAt: '2026-11-03T00:00:03.000Z',
      }),
    ]);
    expect(link).toEqual(
      expect.objectContaining({ status: 'pending', dueAt: '2026-11-03T00:00:03.000Z', resolvedAt: null }),
    );
  });

  it('reinstates a taken-down link on an upheld objection, after which nothing moves it', () => {
    const events = [
      created(),
      change(2, 'link.taken_down', { from: 'pending', at: '2026-11-02T00:00:00.000Z' }),
      objected(3, false),
      decided(4, {
        outcome: 'upheld',
        from: 'taken_down',
        status: 'reinstated',
        pausedMs: 0,
        dueAt: '2026-11-03T00:00:00.000Z',
      }),
    ];
    expect(replayLink(LINK, events)).toEqual(
      expect.objectContaining({
        status: 'reinstated',
        statusReason: 'n',
        resolvedAt: '2026-11-02T00:00:04.000Z',
      }),
    );
    expect(() => replayLink(LINK, [...events, change(5, 'link.taken_down', { from: 'reinstated' })])).toThrow(
      /already final/,
    );
  });

  it.each<[string, EventBody[], RegExp]>([
    [
      'a decision with no objection open',
      [
        created(),
        decided(2, { outcome: 'rejected', from: 'pending', status: 'pending', pausedMs: 0, dueAt: null }),
      ],
      /not open/,
    ],
    [
      'a second objection while one is open',
      [created(), objected(2, true), objected(3, true)],
      /open already/,
    ],
    [
      'an objection that does not say the clock stopped',
      [created(), objected(2, false)],
      /clockPaused is false/,
    ],
    [
      'a paused time the events do not make',
      [
        created(),
        objected(2, true),
        decided(5, {
          outcome: 'rejected',
          from: 'pending',
          status: 'pending',
          pausedMs: 2000,
          dueAt: '2026-11-03T00:00:02.000Z',
        }),
      ],
      /pausedMs is 2000, the events make it 3000/,
    ],
    [
      'a dueAt not moved by the paused time',
      [
        created(),
        objected(2, true),
        decided(5, {
          outcome: 'rejected',
          from: 'pending',
          status: 'pending',
          pausedMs: 3000,
          dueAt: '2026-11-03T00:00:00.000Z',
        }),
      ],
      /dueAt/,
    ],
    [
      'a rejected objection that reinstates',
      [
        created(),
        change(2, 'link.taken_down', { from: 'pending' }),
        objected(3, false),
        decided(4, {
          outcome: 'rejected',
          from: 'taken_down',
          status: 'reinstated',
          pausedMs: 0,
          dueAt: '2026-11-03T00:00:00.000Z',
        }),
      ],
      /makes it taken_down/,
    ],
    [
      'an objection to a final link',
      [created(), change(2, 'link.not_found', { from: 'pending' }), objected(3, false)],
      /objection to a not_found link/,
    ],
    ['an objection to a reported link', [reported(), objected(2, false)], /no ministry notified/],
  ])('refuses %s', (_name, events, problem) => {
    expect(() => replayLink(LINK, events)).toThrow(problem);
  });

  it.each<[string, EventBody[], RegExp]>([
    ['no events', [], /no audit events/],
    [
      'a change before creation',
      [change(2, 'link.acknowledged', { from: 'pending' })],
      /before link.created/,
    ],
    ['another entity', [{ ...created(), entity: { type: 'link', id: 'other' } }], /belongs to link other/],
    [
      'a gap (from does not match)',
      [created(), change(2, 'link.taken_down', { from: 'acknowledged' })],
      /moves from/,
    ],
    [
      'an unknown action',
      [created(), change(2, 'link.reappeared', { from: 'pending' })],
      /not an event the replay knows/,
    ],
    [
      'a change after a final state',
      [
        created(),
        change(2, 'link.rejected', { from: 'pending', reason: 'r' }),
        change(3, 'link.taken_down', { from: 'rejected' }),
      ],
      /already final/,
    ],
    [
      'out of order',
      [created(), { ...change(2, 'link.acknowledged', { from: 'pending' }), seq: 1 }],
      /seq order/,
    ],
    ['two creations', [created(), { ...created(), seq: 2 }], /second link.created/],
    [
      'a marketplace’s link without a report',
      [reported({ reportId: undefined })],
      /reportId is not a string/,
    ],
    ['a marketplace’s link with a batch', [reported({ batchId: 'b' })], /has batchId "b"/],
    [
      'a marketplace’s link created pending',
      [reported({ status: 'pending' })],
      /created pending, not taken_down/,
    ],
    ['a marketplace’s link with a due date', [reported({ dueAt: '2026-11-03T00:00:00Z' })], /has a dueAt/],
    ['a marketplace’s link without a listing', [reported({ listing: undefined })], /has no listing/],
    [
      'a marketplace’s link without the time it acted',
      [reported({ at: undefined })],
      /at is not a timestamp/,
    ],
    ['a source the replay does not know', [reported({ source: 'police' })], /data.source is police/],
    [
      'a change after a reported takedown',
      [reported(), change(2, 'link.not_found', { from: 'taken_down' })],
      /already final/,
    ],
  ])('refuses %s', (_, events, error) => {
    expect(() => replayLink(LINK, events)).toThrow(error);
  });
});

describe('replayRequest', () => {
  const R = '22222222-2222-4222-8222-222222222222';
  const event = (seq: number, action: string, data: Record<string, unknown>): EventBody => ({
    seq,
    action,
    at: '2026-11-05T00:00:00.000Z',
    entity: { type: 'evidence_request', id: R },
    actor: { agencyId: 'police' },
    data,
  });
  const filed = event(1, 'evidence_request.filed', {
    caseNumber: 'LP/1',
    legalBasis: 'KUHAP',
    purpose: 'p',
    marketplaces: [
      { marketplaceId: 'a', links: 2, linksSha256: 'x' },
      { marketplaceId: 'b', links: 1, linksSha256: 'y' },
    ],
  });

  it('tells the filing and each answer', () => {
    const story = replayRequest(R, [
      filed,
      event(2, 'evidence_request.answered', {
        marketplaceId: 'a',
        decision: 'fulfil',
        sellerRecordsSha256: 'h',
        status: 'in_review',
      }),
      event(3, 'evidence_request.answered', { marketplaceId: 'b', decision: 'decline', status: 'ready' }),
      event(4, 'evidence_request.exported', {}),
    ]);
    expect(story.request).toEqual({
      id: R,
      caseNumber: 'LP/1',
      legalBasis: 'KUHAP',
      purpose: 'p',
      policeAgencyId: 'police',
      createdAt: '2026-11-05T00:00:00.000Z',
    });
    expect(story.status).toBe('ready');
    expect(story.parts).toEqual([
      { marketplaceId: 'a', links: 2, linksSha256: 'x', decision: 'fulfil', sellerRecordsSha256: 'h' },
      { marketplaceId: 'b', links: 1, linksSha256: 'y', decision: 'decline', sellerRecordsSha256: null },
    ]);
  });

  it('refuses an answer from a marketplace not addressed, and a second answer', () => {
    const answer = (m: string) =>
      event(2, 'evidence_request.answered', { marketplaceId: m, decision: 'decline', status: 'in_review' });
    expect(() => replayRequest(R, [filed, answer('c')])).toThrow(/not addressed/);
    expect(() => replayRequest(R, [filed, answer('a'), answer('a')])).toThrow(/answered twice/);
    expect(() => replayRequest(R, [])).toThrow(/no evidence_request.filed/);
  });
});

describe('csvCell (README.txt rule)', () => {
  it.each([
    ['plain', 'plain'],
    ["=cmd|' /C calc'!A0", `'=cmd|' /C calc'!A0`],
    ['+62 812', "'+62 812"],
    ['-1', "'-1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"],
    ['\rx', `"'\rx"`],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['=a,b', `"'=a,b"`],
    ['toko\u202Eexe.txt', 'toko<U+202E>exe.txt'],
    ['\u2066=x', '<U+2066>=x'],
  ])('%j → %j', (raw, cell) => expect(csvCell(raw)).toBe(cell));
});

describe('commitments', () => {
  it('salts seller records so the same records under another salt hash differently, and keys do not matter in order', () => {
    const salt = 'ab'.repeat(32);
    const a = sellerRecordsCommitment(salt, [{ sellerRef: 's', registeredName: 'n' }]);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(sellerRecordsCommitment(salt, [{ registeredName: 'n', sellerRef: 's' }])).toBe(a);
    expect(sellerRecordsCommitment('cd'.repeat(32), [{ sellerRef: 's', registeredName: 'n' }])).not.toBe(a);
    expect(sellerRecordsCommitment(salt, [{ sellerRef: 's', registeredName: 'N' }])).not.toBe(a);
  });

  it('digests a set of links whatever their order', () => {
    expect(linkSetDigest(['b', 'a'])).toBe(linkSetDigest(['a', 'b']));
    expect(linkSetDigest(['a'])).not.toBe(linkSetDigest(['a', 'b']));
  });
});
