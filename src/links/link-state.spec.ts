import { canTransition, isFinal, linkIsOpen, linkIsOverdue, openStatusPredicate } from './link-state';
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
    expect(LINK_STATUSES.filter(isFinal)).toEqual([
      'taken_down',
      'not_found',
      'rejected',
      'withdrawn',
      'reinstated',
    ]);
  });
});

describe('open-status SQL', () => {
  it('writes the partial unique index predicate the migrations created', () => {
    expect(openStatusPredicate()).toBe("status IN ('pending', 'acknowledged')");
  });

  it('qualifies the column for a query', () => {
    expect(linkIsOpen('x')).toEqual(["x.status IN ('pending', 'acknowledged')", []]);
    // A link whose clock stands still (an objection waits) is not overdue.
    expect(linkIsOverdue()[0]).toBe(
      "(l.status IN ('pending', 'acknowledged') AND l.due_at < now() AND l.clock_paused_at IS NULL)",
    );
  });
});
