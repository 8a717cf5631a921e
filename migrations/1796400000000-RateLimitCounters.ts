import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rate-limit counters shared by every API instance: one row per key and fixed window. UNLOGGED because a counter
 * is worth nothing after its minute; losing them in a crash only forgives that minute.
 */
export class RateLimitCounters1796400000000 implements MigrationInterface {
  name = 'RateLimitCounters1796400000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE UNLOGGED TABLE "rate_limit_counters" ("key" text NOT NULL, "window" bigint NOT NULL, "hits" integer NOT NULL, CONSTRAINT "pk_rate_limit_counters" PRIMARY KEY ("key", "window"))',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "rate_limit_counters"');
  }
}
