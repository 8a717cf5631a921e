import fc from 'fast-check';
import { EventBody, replayLink } from '../src/evidence-requests/evidence-package';
import { createTestApp, TestApp } from './support/app';
import { Campaign, setUpCampaign, shopeeUrl, submitBatch } from './support/campaign';

/**
 * The link's state machine through the API, against a model: random sequences of acknowledgements, withdrawals,
 * objections and decisions. After every call the link is what the model says; no sequence moves a reinstated link;
 * and the link's own audit events replay (as the evidence package does) to the row the API shows.
 */
type Status =
  'pending' | 'acknowledged' | 'taken_down' | 'not_found' | 'rejected' | 'withdrawn' | 'reinstated';

const MARKETPLACE_MOVES: Record<Status, Status[]> = {
  pending: ['acknowledged', 'taken_down', 'not_found', 'rejected'],
  acknowledged: ['taken_down', 'not_found', 'rejected'],
  taken_down: [],
  not_found: [],
  rejected: [],
  withdrawn: [],
  reinstated: [],
};
const OPEN: Status[] = ['pending', 'acknowledged'];
const PER_LINK = 3;

type Call =
  | { kind: 'ack'; status: 'acknowledged' | 'taken_down' | 'not_found' | 'rejected' }
  | { kind: 'withdraw' }
  | { kind: 'object' }
  | { kind: 'decide'; outcome: 'upheld' | 'rejected' };

// Weighted towards the calls that reach reinstated (a takedown, an objection, a decision) so sequences go deep.
const call: fc.Arbitrary<Call> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('ack' as const),
      status: fc.constantFrom(
        'taken_down' as const,
        'acknowledged' as const,
        'taken_down' as const,
        'not_found' as const,
        'rejected' as const,
      ),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('withdraw' as const) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('object' as const) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('decide' as const),
      outcome: fc.constantFrom('upheld' as const, 'rejected' as const),
    }),
  },
);

/** A sequence that must reach reinstated and then try every way out of it. */
const THROUGH_REINSTATED: Call[] = [
  { kind: 'object' },
  { kind: 'decide', outcome: 'rejected' },
  { kind: 'ack', status: 'taken_down' },
  { kind: 'object' },
  { kind: 'decide', outcome: 'upheld' },
  { kind: 'ack', status: 'taken_down' },
  { kind: 'ack', status: 'acknowledged' },
  { kind: 'withdraw' },
  { kind: 'object' },
  { kind: 'decide', outcome: 'upheld' },
];

interface Model {
  status: Status;
  open: string | null;
  lastDecided: string | null;
  filed: number;
  /** The open objection came while the link was open, so its clock stands still. */
  paused: boolean;
}

describe('the link state machine, property-tested through the API', () => {
  let t: TestApp;
  let c: Campaign;
  beforeAll(async () => {
    t = await createTestApp({ OBJECTIONS_PER_LINK: String(PER_LINK) });
    c = await setUpCampaign(t);
  });
  afterAll(() => t.close());

  /** Applies one call to the link and to the model, and checks the API answered as the model says. */
  async function apply(linkId: string, m: Model, k: Call): Promise<void> {
    if (k.kind === 'ack') {
      const res = await t.http
        .post('/v1/links/acknowledgements')
        .set(c.shopee.auth)
        .send({
          items: [{ linkId, status: k.status, ...(k.status === 'rejected' ? { reason: 'Legal' } : {}) }],
        })
        .expect(200);
      const allowed = k.status === m.status || MARKETPLACE_MOVES[m.status].includes(k.status);
      expect(res.body.results[0].ok).toBe(allowed);
      if (allowed) m.status = k.status;
    } else if (k.kind === 'withdraw') {
      const res = await t.http
        .post(`/v1/links/${linkId}/withdraw`)
        .set(c.ministry.auth)
        .send({ reason: 'Error' });
      const allowed = m.status === 'withdrawn' || OPEN.includes(m.status);
      expect(res.status).toBe(allowed ? 200 : 409);
      if (allowed) m.status = 'withdrawn';
    } else if (k.kind === 'object') {
      const res = await t.http
        .post(`/v1/links/${linkId}/objections`)
        .set(c.shopee.auth)
        .send({ ground: 'other', detail: 'Objection' });
      const allowed = [...OPEN, 'taken_down'].includes(m.status) && m.open === null && m.filed < PER_LINK;
      expect(res.status).toBe(allowed ? 201 : 409);
      if (allowed) {
        m.open = res.body.id as string;
        m.paused = OPEN.includes(m.status);
        m.filed++;
      }
    } else {
      const id = m.open ?? m.lastDecided;
      if (id === null) return;
      const res = await t.http
        .post(`/v1/objections/${id}/decision`)
        .set(c.ministry.auth)
        .send({ outcome: k.outcome, note: 'Decided' });
      expect(res.status).toBe(m.open ? 200 : 409);
      if (!m.open) return;
      if (k.outcome === 'upheld')
        m.status = OPEN.includes(m.status)
          ? 'withdrawn'
          : m.status === 'taken_down'
            ? 'reinstated'
            : m.status;
      m.lastDecided = m.open;
      m.open = null;
      m.paused = false;
    }
  }

  it('no sequence of calls leaves the model, or moves a reinstated link', async () => {
    let reinstated = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(call, { minLength: 1, maxLength: 10 }), async (calls) => {
        const link = (await submitBatch(t, c, [shopeeUrl()])).links[0];
        const m: Model = { status: 'pending', open: null, lastDecided: null, filed: 0, paused: false };
        let wasReinstated = false;
        for (const k of calls) {
          await apply(link.id, m, k);
          const row = (await t.http.get(`/v1/links/${link.id}`).set(c.ministry.auth).expect(200)).body;
          expect(row.status).toBe(m.status);
          // Independent of the model: once reinstated, always reinstated.
          expect({ left: wasReinstated && row.status !== 'reinstated' }).toEqual({ left: false });
          wasReinstated = row.status === 'reinstated';
          expect(row.clockPausedAt !== null).toBe(m.paused);
        }
        if (wasReinstated) reinstated++;
        // The link's events replay to what the API shows: status, reason, resolution and the moved dueAt.
        const events = await t.db.query<{ seq: string; canonical: string }[]>(
          `SELECT seq, canonical FROM audit_events WHERE entity_type = 'link' AND entity_id = $1 ORDER BY seq`,
          [link.id],
        );
        const replayed = replayLink(
          link.id,
          events.map((e) => ({ ...(JSON.parse(e.canonical) as EventBody), seq: Number(e.seq) })),
        );
        const row = (await t.http.get(`/v1/links/${link.id}`).set(c.ministry.auth).expect(200)).body;
        expect({
          status: replayed.status,
          statusReason: replayed.statusReason,
          resolvedAt: replayed.resolvedAt,
          dueAt: replayed.dueAt,
        }).toEqual({
          status: row.status,
          statusReason: row.statusReason,
          resolvedAt: row.resolvedAt,
          dueAt: row.dueAt,
        });
      }),
      { numRuns: 40, examples: [[THROUGH_REINSTATED]] },
    );
    // Some generated sequences must have reached the new state, or the property says nothing of it.
    expect(reinstated).toBeGreaterThan(0);
  });
});
