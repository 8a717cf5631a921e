import type { ObservationItem } from './observation-items';
import { judgeObservations, lookKey, ObservedLink } from './observation-rules';

const L = '11111111-1111-4111-8111-111111111111';
const AGENCY = '22222222-2222-4222-8222-222222222222';
const at = (h: number) => new Date(Date.UTC(2026, 11, 1, h));
const link = (extra: Partial<ObservedLink> = {}): ObservedLink => ({
  id: L,
  marketplace_id: 'm',
  agency_id: AGENCY,
  status: 'taken_down',
  created_at: at(0),
  resolved_at: at(1),
  reappeared: false,
  last_observed_at: null,
  last_observation: null,
  ...extra,
});
const item = (
  h: number,
  result: ObservationItem['result'],
  extra: Partial<ObservationItem> = {},
): ObservationItem => ({
  linkId: L,
  observedAt: at(h),
  result,
  finalUrl: null,
  listing: null,
  ...extra,
});

describe('judgeObservations', () => {
  it('threads the link through a request: only the latest look moves the flag', () => {
    const judged = judgeObservations(
      [
        item(5, 'online', { listing: { title: 'x' } }),
        item(4, 'offline'),
        item(6, 'redirected'),
        item(7, 'not_found'),
      ],
      new Map([[L, link()]]),
      new Set(),
    );
    expect(judged.results.map((r) => [r.ok, r.reappeared])).toEqual([
      [true, true],
      [true, true],
      [true, true],
      [true, false],
    ]);
    expect(judged.changed).toEqual([
      expect.objectContaining({
        reappeared: false,
        last_observed_at: at(7),
        last_observation: expect.objectContaining({ result: 'not_found' }),
      }),
    ]);
    expect(judged.observations.map((o) => o.matched)).toEqual([true, false, false, false]);
    expect(judged.events.map((e) => [e.action, e.partyAgencyId, e.data.reappeared])).toEqual([
      ['link.observed', AGENCY, true],
      ['link.observed', AGENCY, true],
      ['link.observed', AGENCY, true],
      ['link.observed', AGENCY, false],
    ]);
  });

  it('does not flag a link that is not taken down, and refuses unknown links, earlier times and repeated looks', () => {
    const pending = judgeObservations(
      [item(5, 'online', { listing: { title: 'x' } })],
      new Map([[L, link({ status: 'pending' })]]),
      new Set(),
    );
    expect(pending.results[0]).toEqual(expect.objectContaining({ ok: true, reappeared: false }));
    expect(pending.observations[0].matched).toBe(false);
    const refused = judgeObservations(
      [
        item(0, 'online'),
        item(5, 'online'),
        item(3, 'online', { linkId: '33333333-3333-4333-8333-333333333333' }),
      ],
      new Map([[L, link({ created_at: at(2), resolved_at: at(1) })]]),
      new Set([lookKey(L, at(5))]),
    );
    expect(refused.results.map((r) => r.error)).toEqual([
      'observedAt must not be before the link was created (or a reported takedown made)',
      'already_observed',
      'not_found',
    ]);
    expect(refused.observations).toEqual([]);
    expect(refused.changed).toEqual([]);
    expect(refused.events).toEqual([]);
  });
});
