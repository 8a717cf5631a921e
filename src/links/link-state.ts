import type { LinkStatus } from './link.entity';

/** Who may move a link from which status to which. Repeating the current status is not a transition. */
const TRANSITIONS: Record<LinkStatus, { marketplace: LinkStatus[]; ministry: LinkStatus[] }> = {
  pending: { marketplace: ['acknowledged', 'taken_down', 'not_found', 'rejected'], ministry: ['withdrawn'] },
  acknowledged: { marketplace: ['taken_down', 'not_found', 'rejected'], ministry: ['withdrawn'] },
  taken_down: { marketplace: [], ministry: [] },
  not_found: { marketplace: [], ministry: [] },
  rejected: { marketplace: [], ministry: [] },
  withdrawn: { marketplace: [], ministry: [] },
};

export function canTransition(from: LinkStatus, to: LinkStatus, by: 'marketplace' | 'ministry'): boolean {
  return TRANSITIONS[from][by].includes(to);
}

export function isFinal(status: LinkStatus): boolean {
  return status !== 'pending' && status !== 'acknowledged';
}
