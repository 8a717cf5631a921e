import { RateLimiter } from './rate-limiter';

describe('RateLimiter', () => {
  it('allows the limit per window and then says how long to wait', () => {
    const limiter = new RateLimiter(2, 60_000);
    const t0 = Date.now();
    expect(limiter.hit('a', t0)).toBe(0);
    expect(limiter.hit('a', t0)).toBe(0);
    expect(limiter.hit('a', t0 + 1000)).toBe(59);
    expect(limiter.hit('b', t0 + 1000)).toBe(0);
    expect(limiter.hit('a', t0 + 60_000)).toBe(0);
  });
});
