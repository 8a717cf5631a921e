import {
  agencyCreated,
  agencyRenamed,
  agencyStatusChanged,
  apiClientCreated,
  apiClientRevoked,
  AuditRecord,
  evidenceRequestAnswered,
  evidenceRequestClosed,
  evidenceRequestExported,
  evidenceRequestFiled,
  keywordAdded,
  keywordRetired,
  linkBatchCancelled,
  linkBatchCreated,
  linkCreated,
  linkObserved,
  linkReported,
  linkWithdrawn,
  marketplaceCreated,
  marketplaceUpdated,
  reportedLinkCreated,
  takedownReportFiled,
} from './audit-events';
import { impliedParty } from './entry-check';

const A = 'a0000000-0000-4000-8000-000000000001'; // an agency
const M = 'b0000000-0000-4000-8000-000000000002'; // a marketplace
const E = 'c0000000-0000-4000-8000-000000000003'; // the entity
const AT = new Date('2026-12-01T10:00:00.000Z');
const counts = { accepted: 2, duplicate: 1, rejected: 0, relisted: 1, coNotified: 0 };

/**
 * What each builder writes. The log is append-only: these shapes are what earlier events already hold, so a change
 * here is a change of history's vocabulary and needs a new action or an optional field instead.
 */
const cases: [string, AuditRecord, Omit<AuditRecord, 'entityId'> & { entityId?: string }][] = [
  [
    'agency created',
    agencyCreated({ id: A, code: 'kemendag', name: 'Ministry', type: 'ministry' }),
    {
      action: 'agency.created',
      entityType: 'agency',
      entityId: A,
      partyAgencyId: A,
      data: { code: 'kemendag', name: 'Ministry', type: 'ministry' },
    },
  ],
  [
    'agency renamed',
    agencyRenamed(A, { from: 'Old', to: 'New' }),
    {
      action: 'agency.updated',
      entityId: A,
      entityType: 'agency',
      partyAgencyId: A,
      data: { name: { from: 'Old', to: 'New' } },
    },
  ],
  [
    'agency suspended',
    agencyStatusChanged(A, { from: 'active', to: 'suspended' }),
    {
      action: 'agency.suspended',
      entityId: A,
      entityType: 'agency',
      partyAgencyId: A,
      data: { status: { from: 'active', to: 'suspended' } },
    },
  ],
  [
    'agency reactivated',
    agencyStatusChanged(A, { from: 'suspended', to: 'active' }),
    {
      action: 'agency.reactivated',
      entityId: A,
      entityType: 'agency',
      partyAgencyId: A,
      data: { status: { from: 'suspended', to: 'active' } },
    },
  ],
  [
    'api client created',
    apiClientCreated(E, A, 'patrol'),
    {
      action: 'api_client.created',
      entityType: 'api_client',
      partyAgencyId: A,
      data: { agencyId: A, name: 'patrol' },
    },
  ],
  [
    'api client revoked',
    apiClientRevoked(E, A),
    { action: 'api_client.revoked', entityType: 'api_client', partyAgencyId: A, data: { agencyId: A } },
  ],
  [
    'marketplace created',
    marketplaceCreated(E, {
      agencyId: A,
      code: 'shopee',
      name: 'Shopee',
      domains: ['shopee.co.id'],
      takedownSlaHours: 24,
      urgentSlaHours: 6,
    }),
    {
      action: 'marketplace.created',
      entityType: 'marketplace',
      partyAgencyId: A,
      data: {
        agencyId: A,
        code: 'shopee',
        name: 'Shopee',
        domains: ['shopee.co.id'],
        takedownSlaHours: 24,
        urgentSlaHours: 6,
      },
    },
  ],
  [
    'marketplace updated: only the changes',
    marketplaceUpdated(E, A, { takedownSlaHours: { from: 24, to: 48 } }),
    {
      action: 'marketplace.updated',
      entityType: 'marketplace',
      partyAgencyId: A,
      data: { takedownSlaHours: { from: 24, to: 48 } },
    },
  ],
  [
    'keyword added, without a note',
    keywordAdded(E, 'preloved', null),
    { action: 'keyword.added', entityType: 'keyword', data: { term: 'preloved', note: null } },
  ],
  [
    'keyword retired',
    keywordRetired(E, 'karung'),
    { action: 'keyword.retired', entityType: 'keyword', data: { term: 'karung' } },
  ],
  [
    'batch created without category or due date',
    linkBatchCreated(E, { reference: 'KEMENDAG/1', legalBasis: 'Permendag 40/2022' }, counts),
    {
      action: 'link_batch.created',
      entityType: 'link_batch',
      data: { reference: 'KEMENDAG/1', legalBasis: 'Permendag 40/2022', counts },
    },
  ],
  [
    'batch created urgent',
    linkBatchCreated(E, { reference: 'R', legalBasis: 'L', priority: 'urgent' }, counts),
    {
      action: 'link_batch.created',
      entityType: 'link_batch',
      data: { reference: 'R', legalBasis: 'L', priority: 'urgent', counts },
    },
  ],
  [
    'batch created normal, which its event does not say',
    linkBatchCreated(E, { reference: 'R', legalBasis: 'L', priority: 'normal' }, counts),
    {
      action: 'link_batch.created',
      entityType: 'link_batch',
      data: { reference: 'R', legalBasis: 'L', counts },
    },
  ],
  [
    'batch created with category and due date',
    linkBatchCreated(
      E,
      { reference: 'R', legalBasis: 'L', category: 'used-clothing', dueAt: '2026-12-02T00:00:00.000Z' },
      counts,
    ),
    {
      action: 'link_batch.created',
      entityType: 'link_batch',
      data: {
        reference: 'R',
        legalBasis: 'L',
        category: 'used-clothing',
        dueAt: '2026-12-02T00:00:00.000Z',
        counts,
      },
    },
  ],
  [
    'batch cancelled',
    linkBatchCancelled(E, 'filed twice', 3),
    {
      action: 'link_batch.cancelled',
      entityType: 'link_batch',
      data: { reason: 'filed twice', withdrawn: 3 },
    },
  ],
  [
    'link created, plain',
    linkCreated({
      id: E,
      batchId: A,
      marketplaceId: M,
      marketplaceAgencyId: A,
      url: 'https://shopee.co.id/x-i.1.2',
      canonicalUrl: 'https://shopee.co.id/x-i.1.2',
      listingKey: '1.2',
      dueAt: '2026-12-02T10:00:00.000Z',
      priority: 'normal',
      priorLinkIds: [],
      keywords: [],
      note: null,
    }),
    {
      action: 'link.created',
      entityType: 'link',
      partyAgencyId: A,
      data: {
        batchId: A,
        marketplaceId: M,
        url: 'https://shopee.co.id/x-i.1.2',
        canonicalUrl: 'https://shopee.co.id/x-i.1.2',
        listingKey: '1.2',
        status: 'pending',
        dueAt: '2026-12-02T10:00:00.000Z',
      },
    },
  ],
  [
    'link created urgent, relisted with keywords and a note',
    linkCreated({
      id: E,
      batchId: A,
      marketplaceId: M,
      marketplaceAgencyId: A,
      url: 'u',
      canonicalUrl: 'c',
      listingKey: 'k',
      dueAt: 'd',
      priority: 'urgent',
      priorLinkIds: [M],
      keywords: ['bekas'],
      note: 'seen again',
    }),
    {
      action: 'link.created',
      entityType: 'link',
      partyAgencyId: A,
      data: {
        batchId: A,
        marketplaceId: M,
        url: 'u',
        canonicalUrl: 'c',
        listingKey: 'k',
        status: 'pending',
        dueAt: 'd',
        priority: 'urgent',
        relisted: true,
        priorLinkIds: [M],
        keywords: ['bekas'],
        note: 'seen again',
      },
    },
  ],
  [
    'link created with the listing the ministry sent',
    linkCreated({
      id: E,
      batchId: A,
      marketplaceId: M,
      marketplaceAgencyId: A,
      url: 'u',
      canonicalUrl: 'c',
      listingKey: 'k',
      dueAt: 'd',
      priority: 'normal',
      priorLinkIds: [],
      keywords: [],
      note: null,
      listing: { title: 'Bal bekas', sellerRef: 's1' },
    }),
    {
      action: 'link.created',
      entityType: 'link',
      partyAgencyId: A,
      data: {
        batchId: A,
        marketplaceId: M,
        url: 'u',
        canonicalUrl: 'c',
        listingKey: 'k',
        status: 'pending',
        dueAt: 'd',
        listing: { title: 'Bal bekas', sellerRef: 's1' },
      },
    },
  ],
  [
    'takedown report filed',
    takedownReportFiled(E, A, { items: 3, accepted: 2, refused: 1, relisted: 1 }),
    {
      action: 'takedown_report.filed',
      entityType: 'takedown_report',
      partyAgencyId: A,
      data: { counts: { items: 3, accepted: 2, refused: 1, relisted: 1 } },
    },
  ],
  [
    'link created by a takedown report, plain',
    reportedLinkCreated({
      id: E,
      reportId: A,
      marketplaceId: M,
      marketplaceAgencyId: A,
      url: 'u',
      canonicalUrl: 'c',
      listingKey: 'k',
      takenDownAt: AT,
      reason: null,
      category: null,
      listing: { title: 'Bal bekas' },
      decision: null,
      priorLinkIds: [],
    }),
    {
      action: 'link.created',
      entityType: 'link',
      partyAgencyId: A,
      data: {
        source: 'marketplace',
        reportId: A,
        batchId: null,
        marketplaceId: M,
        url: 'u',
        canonicalUrl: 'c',
        listingKey: 'k',
        status: 'taken_down',
        at: '2026-12-01T10:00:00.000Z',
        listing: { title: 'Bal bekas' },
      },
    },
  ],
  [
    'link created by a takedown report, relisted with a reason, a category and a statement of reasons',
    reportedLinkCreated({
      id: E,
      reportId: A,
      marketplaceId: M,
      marketplaceAgencyId: A,
      url: 'u',
      canonicalUrl: 'c',
      listingKey: 'k',
      takenDownAt: AT,
      reason: 'banned goods',
      category: 'used-clothing',
      listing: { sellerRef: 's1' },
      decision: {
        visibility: 'removed',
        account: 'none',
        ground: 'illegal',
        automatedDetection: false,
        automatedDecision: 'none',
      },
      priorLinkIds: [M],
    }),
    {
      action: 'link.created',
      entityType: 'link',
      partyAgencyId: A,
      data: {
        source: 'marketplace',
        reportId: A,
        batchId: null,
        marketplaceId: M,
        url: 'u',
        canonicalUrl: 'c',
        listingKey: 'k',
        status: 'taken_down',
        at: '2026-12-01T10:00:00.000Z',
        reason: 'banned goods',
        category: 'used-clothing',
        listing: { sellerRef: 's1' },
        decision: {
          visibility: 'removed',
          account: 'none',
          ground: 'illegal',
          automatedDetection: false,
          automatedDecision: 'none',
        },
        relisted: true,
        priorLinkIds: [M],
      },
    },
  ],
  [
    'link reported taken down, bare',
    linkReported(E, A, { from: 'pending', status: 'taken_down', at: AT, reason: null, listing: null }),
    {
      action: 'link.taken_down',
      entityType: 'link',
      partyAgencyId: A,
      data: { from: 'pending', status: 'taken_down', at: AT.toISOString() },
    },
  ],
  [
    'link reported rejected, with reason and listing',
    linkReported(E, A, {
      from: 'acknowledged',
      status: 'rejected',
      at: AT,
      reason: 'not ours',
      listing: { title: 'Baju preloved' },
    }),
    {
      action: 'link.rejected',
      entityType: 'link',
      partyAgencyId: A,
      data: {
        from: 'acknowledged',
        status: 'rejected',
        at: AT.toISOString(),
        reason: 'not ours',
        listing: { title: 'Baju preloved' },
      },
    },
  ],
  [
    'link withdrawn alone',
    linkWithdrawn(E, A, 'pending', 'duplicate'),
    {
      action: 'link.withdrawn',
      entityType: 'link',
      partyAgencyId: A,
      data: { from: 'pending', status: 'withdrawn', reason: 'duplicate' },
    },
  ],
  [
    'link withdrawn with its batch',
    linkWithdrawn(E, A, 'acknowledged', 'filed twice', 'batch'),
    {
      action: 'link.withdrawn',
      entityType: 'link',
      partyAgencyId: A,
      data: { from: 'acknowledged', status: 'withdrawn', reason: 'filed twice', batchCancelled: true },
    },
  ],
  [
    'evidence request filed',
    evidenceRequestFiled(E, A, {
      caseNumber: 'LP/1',
      legalBasis: 'KUHAP',
      purpose: 'p',
      scope: { sellerRef: 's' },
      linkCount: 2,
      marketplaces: [{ marketplaceId: M, links: 2, linksSha256: 'ab' }],
    }),
    {
      action: 'evidence_request.filed',
      entityType: 'evidence_request',
      partyAgencyId: A,
      data: {
        caseNumber: 'LP/1',
        legalBasis: 'KUHAP',
        purpose: 'p',
        scope: { sellerRef: 's' },
        linkCount: 2,
        marketplaces: [{ marketplaceId: M, links: 2, linksSha256: 'ab' }],
      },
    },
  ],
  [
    'evidence request answered: declined',
    evidenceRequestAnswered(E, A, {
      marketplaceId: M,
      decision: 'decline',
      reason: 'no order',
      sellerRecordCount: 0,
      status: 'declined',
    }),
    {
      action: 'evidence_request.answered',
      entityType: 'evidence_request',
      partyAgencyId: A,
      data: {
        marketplaceId: M,
        decision: 'decline',
        reason: 'no order',
        sellerRecordCount: 0,
        status: 'declined',
      },
    },
  ],
  [
    'evidence request answered: fulfilled, with the seller-records commitment',
    evidenceRequestAnswered(E, A, {
      marketplaceId: M,
      decision: 'fulfil',
      reason: null,
      sellerRecordCount: 1,
      sellerRecordsSha256: 'cd',
      status: 'ready',
    }),
    {
      action: 'evidence_request.answered',
      entityType: 'evidence_request',
      partyAgencyId: A,
      data: {
        marketplaceId: M,
        decision: 'fulfil',
        sellerRecordCount: 1,
        sellerRecordsSha256: 'cd',
        status: 'ready',
      },
    },
  ],
  [
    'evidence request closed',
    evidenceRequestClosed(E, A, 'ready'),
    {
      action: 'evidence_request.closed',
      entityType: 'evidence_request',
      partyAgencyId: A,
      data: { from: 'ready' },
    },
  ],
  [
    'evidence request exported',
    evidenceRequestExported(E, A, {
      sha256: 'ef',
      bytes: 10,
      treeSize: 5,
      rootHash: '01',
      files: [{ name: 'links.csv', sha256: '02' }],
    }),
    {
      action: 'evidence_request.exported',
      entityType: 'evidence_request',
      partyAgencyId: A,
      data: {
        sha256: 'ef',
        bytes: 10,
        treeSize: 5,
        rootHash: '01',
        files: [{ name: 'links.csv', sha256: '02' }],
      },
    },
  ],
  [
    'link observed online with the listing',
    linkObserved(E, A, {
      observationId: M,
      observedAt: AT,
      result: 'online',
      finalUrl: null,
      listing: { title: 'Karung preloved', sellerRef: 's-1' },
      reappeared: true,
    }),
    {
      action: 'link.observed',
      entityType: 'link',
      partyAgencyId: A,
      data: {
        observationId: M,
        observedAt: AT.toISOString(),
        result: 'online',
        listing: { title: 'Karung preloved', sellerRef: 's-1' },
        reappeared: true,
      },
    },
  ],
  [
    'link observed redirected',
    linkObserved(E, A, {
      observationId: M,
      observedAt: AT,
      result: 'redirected',
      finalUrl: 'https://shopee.co.id/shop/1',
      listing: null,
      reappeared: false,
    }),
    {
      action: 'link.observed',
      entityType: 'link',
      partyAgencyId: A,
      data: {
        observationId: M,
        observedAt: AT.toISOString(),
        result: 'redirected',
        finalUrl: 'https://shopee.co.id/shop/1',
        reappeared: false,
      },
    },
  ],
];

describe('audit event catalogue', () => {
  it.each(cases)('%s', (_, built, expected) => {
    const entityId = expected.entityId ?? E;
    expect(built).toEqual({ partyAgencyId: undefined, ...expected, entityId });
  });

  // The verifier checks the stored party against what the text implies: every builder must agree with that rule.
  it.each(cases)('%s: its party is the one the verifier infers from the text', (_, built) => {
    const implied = impliedParty({
      action: built.action,
      actor: { role: 'marketplace', agencyId: A, clientId: E },
      entity: { type: built.entityType, id: built.entityId },
      data: built.data,
    });
    // undefined: the text alone does not say (see impliedParty); otherwise it must be the builder's party.
    expect([undefined, built.partyAgencyId ?? null]).toContain(implied);
  });
});
