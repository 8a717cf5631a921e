import { EventEmitter } from 'node:events';
import type { Request, Response } from 'express';
import { RequestActivity } from './request-activity';

/** A request through the middleware; the returned function ends it as a closed connection would. */
function start(activity: RequestActivity): () => void {
  const res = new EventEmitter();
  activity.middleware({} as Request, res as unknown as Response, () => undefined);
  return () => res.emit('close');
}

const elapsed = async (p: Promise<void>) => {
  const t0 = performance.now();
  await p;
  return performance.now() - t0;
};

describe('RequestActivity', () => {
  it('lets background work go on at once while no request is in flight', async () => {
    const activity = new RequestActivity();
    expect(activity.busy).toBe(false);
    expect(await elapsed(activity.quietOr(1000))).toBeLessThan(500);
  });

  it('holds it while a request is in flight, until the last one ends', async () => {
    const activity = new RequestActivity();
    const first = start(activity);
    const second = start(activity);
    let resumed = false;
    const pause = activity.quietOr(10_000).then(() => (resumed = true));
    first();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(resumed).toBe(false);
    second();
    await pause;
    expect(activity.busy).toBe(false);
  });

  it('holds it no longer than asked under requests that never end', async () => {
    const activity = new RequestActivity();
    start(activity);
    expect(await elapsed(activity.quietOr(30))).toBeGreaterThanOrEqual(25);
    expect(activity.busy).toBe(true);
  });

  it('counts a request once, however many times its response closes', () => {
    const activity = new RequestActivity();
    const end = start(activity);
    end();
    end();
    expect(activity.busy).toBe(false);
    start(activity);
    expect(activity.busy).toBe(true);
  });
});
