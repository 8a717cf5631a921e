import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config';

/** Deletes stored Idempotency-Key responses past their retention; the application role is granted that DELETE. */
@Injectable()
export class IdempotencyPurge implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('IdempotencyPurge');
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    if (this.config.idempotencyPurgeIntervalSeconds === 0) return;
    this.timer = setInterval(() => {
      this.purge().catch((error: unknown) =>
        this.logger.warn({ err: String(error) }, 'idempotency purge failed'),
      );
    }, this.config.idempotencyPurgeIntervalSeconds * 1000);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** The number of records deleted. */
  async purge(): Promise<number> {
    const [{ n }] = await this.dataSource.query<{ n: number }[]>(
      `WITH purged AS (
         DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(hours => $1) RETURNING 1
       ) SELECT count(*)::int AS n FROM purged`,
      [this.config.idempotencyRetentionHours],
    );
    return n;
  }
}
