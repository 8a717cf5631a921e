/**
 * Fixed-window counters that every API instance shares, kept memory-first.
 *
 * Each instance decides from its own memory: the shared total as of its last sync plus the hits it has counted
 * since. The first hit of a key in a window is written through (awaited), so an instance that has never seen a
 * key still starts from everyone's total; after that, hits are only counted in memory and added to the shared
 * counter in one batched statement every `syncMs` (or sooner once `flushAfter` hits are pending), which returns
 * the new totals. So a hot key costs one write per instance per sync, not one per request, and a budget can be
 * overrun by about the hits the other instances count within two syncs (their flush, then ours). A key at half its limit or more is also
 * re-read at each sync (a read, not a write) so an instance learns what the others counted even while it counts
 * nothing itself: a check such as "has this client failed too often" stays right across instances within two
 * syncs. A key over its limit is refused from memory until its window ends. If the shared store fails, each instance goes on with its own counts.
 */
export interface CounterStore {
  /** Adds each count to its key's counter in `window` and returns every key's total after the addition. */
  add(window: number, counts: Map<string, number>): Promise<Map<string, number>>;
  /** The totals of `keys` in `window` (a key without a counter is left out). */
  read(window: number, keys: string[]): Promise<Map<string, number>>;
  /** Forgets the counters of windows before `window`. */
  prune(window: number): Promise<void>;
  close(): Promise<void>;
}

/** One process only: for unit tests, and what the limiter falls back to when the shared store fails. */
export class MemoryCounterStore implements CounterStore {
  private readonly counters = new Map<string, number>();

  add(window: number, counts: Map<string, number>): Promise<Map<string, number>> {
    const totals = new Map<string, number>();
    for (const [key, n] of counts) {
      const id = `${window}\u0000${key}`;
      const total = (this.counters.get(id) ?? 0) + n;
      this.counters.set(id, total);
      totals.set(key, total);
    }
    return Promise.resolve(totals);
  }

  read(window: number, keys: string[]): Promise<Map<string, number>> {
    const totals = new Map<string, number>();
    for (const key of keys) {
      const total = this.counters.get(`${window}\u0000${key}`);
      if (total !== undefined) totals.set(key, total);
    }
    return Promise.resolve(totals);
  }

  prune(window: number): Promise<void> {
    for (const id of this.counters.keys())
      if (Number(id.split('\u0000')[0]) < window) this.counters.delete(id);
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

interface Entry {
  /** The shared total as of the last write that included this key. */
  shared: number;
  /** Hits counted here since then. */
  pending: number;
  /** The write-through of the first hit, while it is in flight. */
  loading: Promise<void> | null;
  limit: number;
}

export interface Verdict {
  /** This key's count in the window, including this hit. */
  count: number;
  /** Seconds to wait when the count is over the limit, else 0. */
  retryAfter: number;
}

export interface SharedRateLimiterOptions {
  windowMs?: number;
  syncMs: number;
  flushAfter?: number;
  onError?: (error: unknown) => void;
  now?: () => number;
}

export class SharedRateLimiter {
  private readonly windowMs: number;
  private readonly flushAfter: number;
  private readonly now: () => number;
  private window = -1;
  private entries = new Map<string, Entry>();
  private pendingHits = 0;
  private flushing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private closing = false;
  private lastPrune = -1;
  private failed = false;

  constructor(
    private readonly store: CounterStore,
    private readonly options: SharedRateLimiterOptions,
  ) {
    this.windowMs = options.windowMs ?? 60_000;
    this.flushAfter = options.flushAfter ?? 1000;
    this.now = options.now ?? Date.now;
    this.timer = setInterval(() => void this.flush(), options.syncMs);
    this.timer.unref();
  }

  /**
   * Counts `n` hits (0 only looks) on `key` and compares the count with `limit`: over it, the answer says how
   * long to wait. A key already over its limit is not counted further.
   */
  async hit(key: string, limit: number, n = 1): Promise<Verdict> {
    this.roll();
    let entry = this.entries.get(key);
    if (!entry) {
      const created: Entry = { shared: 0, pending: 0, loading: null, limit };
      entry = created;
      this.entries.set(key, created);
      created.loading = this.writeThrough(key, created, n).finally(() => (created.loading = null));
      await created.loading;
    } else {
      if (entry.shared + entry.pending <= limit && n > 0) {
        entry.pending += n;
        this.pendingHits += n;
        if (this.pendingHits >= this.flushAfter) void this.flush();
      }
      if (entry.loading) await entry.loading;
    }
    return this.verdict(entry.shared + entry.pending, limit);
  }

  /** The count of `key` in this window, from memory (0 when this instance has not seen it). */
  count(key: string): number {
    this.roll();
    const entry = this.entries.get(key);
    return entry ? entry.shared + entry.pending : 0;
  }

  /** Adds every pending count to the shared counters; resolves when done. */
  flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    this.flushing = this.flushOnce().finally(() => (this.flushing = null));
    return this.flushing;
  }

  /**
   * Stops syncing after one last flush. That flush is best effort: on Ctrl-C an embedded PostgreSQL in the same
   * process group stops at the same moment, and a few uncounted hits then are not worth a warning.
   */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.closing = true;
    await this.flush();
  }

  private verdict(count: number, limit: number): Verdict {
    if (count <= limit) return { count, retryAfter: 0 };
    const windowEnd = (this.window + 1) * this.windowMs;
    return { count, retryAfter: Math.max(1, Math.ceil((windowEnd - this.now()) / 1000)) };
  }

  /** A new window forgets the last one's counts: they no longer matter to anyone. */
  private roll(): void {
    const window = Math.floor(this.now() / this.windowMs);
    if (window === this.window) return;
    this.window = window;
    this.entries = new Map();
    this.pendingHits = 0;
  }

  private async writeThrough(key: string, entry: Entry, n: number): Promise<void> {
    const window = this.window;
    try {
      const totals = await this.store.add(window, new Map([[key, n]]));
      this.recovered();
      if (this.window === window) entry.shared = Math.max(entry.shared, totals.get(key) ?? n);
    } catch (error) {
      this.failure(error);
      entry.pending += n;
      this.pendingHits += n;
    }
  }

  private async flushOnce(): Promise<void> {
    this.roll();
    const window = this.window;
    const batch = new Map<string, number>();
    for (const [key, entry] of this.entries) {
      if (entry.pending > 0 && !entry.loading) {
        batch.set(key, entry.pending);
        entry.shared += entry.pending;
        entry.pending = 0;
      }
    }
    this.pendingHits = 0;
    const refresh: string[] = [];
    for (const [key, entry] of this.entries) {
      if (!batch.has(key) && !entry.loading && entry.shared <= entry.limit && 2 * entry.shared >= entry.limit)
        refresh.push(key);
    }
    if (refresh.length > 0) {
      try {
        const totals = await this.store.read(window, refresh);
        this.learn(window, totals);
      } catch (error) {
        this.failure(error);
      }
    }
    if (batch.size > 0) {
      try {
        const totals = await this.store.add(window, batch);
        this.recovered();
        this.learn(window, totals);
      } catch (error) {
        this.failure(error);
        if (this.window === window) {
          for (const [key, n] of batch) {
            const entry = this.entries.get(key);
            if (!entry) continue;
            entry.shared -= n;
            entry.pending += n;
            this.pendingHits += n;
          }
        }
      }
    }
    if (this.lastPrune !== window) {
      this.lastPrune = window;
      await this.store.prune(window - 1).catch((error: unknown) => this.failure(error));
    }
  }

  /** Shared totals read in `window` raise what each key is known to have spent, unless the window has moved on. */
  private learn(window: number, totals: Iterable<[string, number]>): void {
    if (this.window !== window) return;
    for (const [key, total] of totals) {
      const entry = this.entries.get(key);
      if (entry) entry.shared = Math.max(entry.shared, total);
    }
  }

  private failure(error: unknown): void {
    if (!this.failed && !this.closing) this.options.onError?.(error);
    this.failed = true;
  }

  private recovered(): void {
    this.failed = false;
  }
}
