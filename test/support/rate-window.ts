/**
 * Rate-limit counters are per clock minute (SharedRateLimiter's fixed windows). A test that counts hits against
 * a budget calls this first: if fewer than `seconds` are left in this minute it waits for the next, so its hits
 * never straddle two windows (a new window would start counting from zero halfway through).
 */
export async function roomInRateWindow(seconds: number): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < seconds * 1000) await new Promise((resolve) => setTimeout(resolve, left + 50));
}
