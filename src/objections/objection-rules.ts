/**
 * What deciding an objection does to its link, as the service applies it and the evidence package's replay checks it.
 * Standard library only: this file is bundled into the standalone verifier.
 */

/** Statuses an objection may be filed against; the first two are open, so their clock stops while it waits. */
export const OBJECTABLE_STATUSES: readonly string[] = ['pending', 'acknowledged', 'taken_down'];

export function pausesClock(status: string): boolean {
  return status === 'pending' || status === 'acknowledged';
}

/**
 * The link's status after a decision: upheld withdraws an open link and reinstates a taken-down one; a rejection, or
 * a link that reached another final status while the objection waited, keeps its status. `reinstated` is reached
 * only here.
 */
export function statusAfterDecision<S extends string>(
  status: S,
  outcome: string,
): S | 'withdrawn' | 'reinstated' {
  if (outcome !== 'upheld') return status;
  if (pausesClock(status)) return 'withdrawn';
  return status === 'taken_down' ? 'reinstated' : status;
}
