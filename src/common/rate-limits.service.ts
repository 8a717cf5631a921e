import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config';
import { PostgresCounterStore, RedisCounterStore } from './rate-limit-stores';
import { CounterStore, SharedRateLimiter, Verdict } from './shared-rate-limiter';

/** A client id as the limits see it, so letter-case or whitespace variants share one counter. */
export function normaliseClientId(clientId: string): string {
  return clientId.trim().toLowerCase();
}

/**
 * Every request budget, on counters that all instances share (see SharedRateLimiter): per address before
 * anything else, a tighter one per address for requests without a valid token and for failed authentications,
 * per client after authentication, and failed token requests per (client id, address).
 */
@Injectable()
export class RateLimits implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('RateLimits');
  readonly limiter: SharedRateLimiter;
  private readonly store: CounterStore;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    dataSource: DataSource,
  ) {
    const store = config.redisUrl
      ? new RedisCounterStore(config.redisUrl)
      : new PostgresCounterStore(dataSource);
    this.store = store;
    this.limiter = new SharedRateLimiter(store, {
      syncMs: config.rateLimitSyncMs,
      onError: (error) =>
        this.logger.warn(`shared rate-limit counters unavailable, counting per instance: ${String(error)}`),
    });
  }

  /** Every request from an address. */
  address(ip: string): Promise<Verdict> {
    return this.limiter.hit(`addr:${ip}`, this.config.addressRateLimitPerMinute);
  }

  /** A request without a valid-looking token, or a failed authentication (then `n` is 1 and it is only charged). */
  unauthenticated(ip: string): Promise<Verdict> {
    return this.limiter.hit(`unauth:${ip}`, this.config.unauthenticatedRateLimitPerMinute);
  }

  /** An authenticated client's request. */
  client(clientId: string): Promise<Verdict> {
    return this.limiter.hit(`client:${normaliseClientId(clientId)}`, this.config.rateLimitPerMinute);
  }

  /** Whether (client id, address) may try a secret again; `failed` charges a failed try. */
  tokenAttempt(clientId: string, ip: string, failed: boolean): Promise<Verdict> {
    return this.limiter.hit(
      `token-fail:${normaliseClientId(clientId)}|${ip}`,
      // A check refuses once the limit is used; a failure is charged even if it reaches the limit.
      failed ? this.config.tokenRateLimitPerMinute : this.config.tokenRateLimitPerMinute - 1,
      failed ? 1 : 0,
    );
  }

  /** The last counts go out while the database is still open (TypeORM closes it in onApplicationShutdown). */
  async beforeApplicationShutdown(): Promise<void> {
    await this.limiter.close().catch(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
