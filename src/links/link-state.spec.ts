import { canTransition, isFinal } from './link-state';
import { LINK_STATUSES, LinkStatus } from './link.entity';

describe('link state machine', () => {
  const allowed: [LinkStatus, LinkStatus, 'marketplace' | 'ministry'][] = [
    ['pending', 'acknowledged', 'marketplace'],
    ['pending', 'taken_down', 'marketplace'],
    ['pending', 'not_found', 'marketplace'],
    ['pending', 'rejected', 'marketplace'],
    ['acknowledged', 'taken_down', 'marketplace'],
    ['acknowledged', 'not_found', 'marketplace'],
    ['acknowledged', 'rejected', 'marketplace'],
    ['pending', 'withdrawn', 'ministry'],
    ['acknowledged', 'withdrawn', 'ministry'],
  ];

  it('allows exactly the transitions of the contract', () => {
    const got: string[] = [];
    for (const from of LINK_STATUSES)
      for (const to of LINK_STATUSES)
        for (const by of ['marketplace', 'ministry'] as const)
          if (canTransition(from, to, by)) got.push(`${from}>${to}:${by}`);
    expect(got.sort()).toEqual(allowed.map(([f, t, b]) => `${f}>${t}:${b}`).sort());
  });

  it('knows the final states', () => {
    expect(LINK_STATUSES.filter(isFinal)).toEqual(['taken_down', 'not_found', 'rejected', 'withdrawn']);
  });
});
