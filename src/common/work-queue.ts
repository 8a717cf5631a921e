import { AppError } from '../errors/app-error';

/**
 * Bounds expensive work (evidence exports, full verifications): at most `running` at once and `waiting` more in line;
 * beyond that a caller is told at once to come back (503 + Retry-After) instead of holding a connection and a
 * thread of the event loop while it waits.
 */
export class WorkQueue {
  private active = 0;
  private readonly line: (() => void)[] = [];

  constructor(
    private readonly what: string,
    private readonly running: number,
    private readonly waiting: number,
    private readonly retryAfterSeconds = 5,
  ) {}

  /** Runs `work` when a slot is free; a caller whose `signal` aborts while in line leaves the line. */
  async run<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    signal?.throwIfAborted();
    if (this.active >= this.running) {
      if (this.line.length >= this.waiting) throw this.full();
      await new Promise<void>((resolve, reject) => {
        const turn = () => {
          signal?.removeEventListener('abort', leave);
          resolve();
        };
        const leave = () => {
          this.line.splice(this.line.indexOf(turn), 1);
          reject(signal!.reason as Error);
        };
        this.line.push(turn);
        signal?.addEventListener('abort', leave, { once: true });
      });
    } else {
      this.active++;
    }
    try {
      return await work();
    } finally {
      // The slot passes straight to the next in line, so the count of running work never dips and rises again.
      const next = this.line.shift();
      if (next) next();
      else this.active--;
    }
  }

  get size(): { running: number; waiting: number } {
    return { running: this.active, waiting: this.line.length };
  }

  private full(): AppError {
    return new AppError(
      503,
      'BUSY',
      'Service unavailable',
      `${this.running} ${this.what} are running and ${this.waiting} waiting; retry in ${this.retryAfterSeconds} s`,
      undefined,
      { 'Retry-After': String(this.retryAfterSeconds) },
    );
  }
}
