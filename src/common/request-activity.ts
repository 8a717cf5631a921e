import { Injectable } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

/**
 * How many API requests this process is answering. Background work that shares the event loop (the matching worker)
 * asks it to step aside: with requests in flight it pauses between its slices, so a request's continuations and its
 * COPY chunks are not each queued behind a slice of matching.
 */
@Injectable()
export class RequestActivity {
  private inFlight = 0;
  private readonly waiting = new Set<() => void>();

  /** Counts a request from its arrival until its response is finished or its connection closed. */
  readonly middleware = (_req: Request, res: Response, next: NextFunction): void => {
    this.inFlight++;
    res.once('close', () => this.ended());
    next();
  };

  get busy(): boolean {
    return this.inFlight > 0;
  }

  /** Resolves on the next turn of the event loop when no request is in flight; else when none is, or after `ms`. */
  quietOr(ms: number): Promise<void> {
    if (!this.busy || ms <= 0) return new Promise((resolve) => setImmediate(resolve));
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiting.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiting.add(done);
    });
  }

  private ended(): void {
    if (--this.inFlight > 0) return;
    for (const done of [...this.waiting]) done();
  }
}
