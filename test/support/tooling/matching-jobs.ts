/** How many matching jobs are queued, read with whatever connection the caller has. */
export type CountJobs = () => Promise<number>;

/**
 * Milliseconds until matching on arrival has done every queued job (it runs after the request's commit, from
 * matching_jobs), reading the queue every 20 ms: the figure is at most that late. Throws after `timeoutMs`.
 */
export async function untilMatchingJobsDone(count: CountJobs, timeoutMs = 10_000): Promise<number> {
  const t0 = Date.now();
  for (;;) {
    const n = await count();
    if (n === 0) return Date.now() - t0;
    if (Date.now() - t0 > timeoutMs) throw new Error(`${n} matching jobs still queued after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export const COUNT_MATCHING_JOBS = 'SELECT count(*)::int AS n FROM matching_jobs';
