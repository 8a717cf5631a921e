import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A matching job's links as packed 16-byte ids (bytea) instead of uuid[]: parsing a uuid[] parameter cost PostgreSQL
 * about 1.5 ms per 1,000 ids, inside the acknowledgement's transaction, against a fraction of that for the same bytes
 * as bytea. The job also names each link once: `arrived` (listing evidence came with the request: match it, and keep
 * its fingerprint when it is taken down by the time the job runs) and `kept` (taken down with evidence that arrived
 * earlier: keep only). Jobs queued before this migration carry their links over, in both roles as they had them.
 */
export class MatchingJobsPackedIds1796700000000 implements MigrationInterface {
  name = 'MatchingJobsPackedIds1796700000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "matching_jobs" DROP CONSTRAINT "ck_matching_jobs_work"`);
    await queryRunner.query(
      `ALTER TABLE "matching_jobs" ADD COLUMN "arrived_ids" bytea NOT NULL DEFAULT '', ADD COLUMN "kept_ids" bytea NOT NULL DEFAULT ''`,
    );
    await queryRunner.query(
      `UPDATE "matching_jobs"
          SET "arrived_ids" = (SELECT coalesce(string_agg(uuid_send(u), ''::bytea), '') FROM unnest("arrived") AS u),
              "kept_ids" = (SELECT coalesce(string_agg(uuid_send(u), ''::bytea), '') FROM unnest("taken_down") AS u
                             WHERE u <> ALL("arrived"))`,
    );
    await queryRunner.query(`ALTER TABLE "matching_jobs" DROP COLUMN "arrived", DROP COLUMN "taken_down"`);
    await queryRunner.query(`ALTER TABLE "matching_jobs" RENAME COLUMN "arrived_ids" TO "arrived"`);
    await queryRunner.query(`ALTER TABLE "matching_jobs" RENAME COLUMN "kept_ids" TO "kept"`);
    await queryRunner.query(
      `ALTER TABLE "matching_jobs" ALTER COLUMN "arrived" DROP DEFAULT, ALTER COLUMN "kept" DROP DEFAULT`,
    );
    // Random ids do not compress: stored out of line as they are, without a compression attempt.
    await queryRunner.query(
      `ALTER TABLE "matching_jobs" ALTER COLUMN "arrived" SET STORAGE EXTERNAL, ALTER COLUMN "kept" SET STORAGE EXTERNAL`,
    );
    await queryRunner.query(
      `ALTER TABLE "matching_jobs" ADD CONSTRAINT "ck_matching_jobs_work"
         CHECK (length("arrived") % 16 = 0 AND length("kept") % 16 = 0 AND length("arrived") + length("kept") > 0)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "matching_jobs" DROP CONSTRAINT "ck_matching_jobs_work"`);
    await queryRunner.query(
      `ALTER TABLE "matching_jobs" ADD COLUMN "arrived_uuids" uuid[] NOT NULL DEFAULT '{}', ADD COLUMN "taken_down" uuid[] NOT NULL DEFAULT '{}'`,
    );
    // Before, an arrived link was listed again under taken_down when it was; the worker then checked the status.
    await queryRunner.query(
      `UPDATE "matching_jobs"
          SET "arrived_uuids" = ARRAY(SELECT encode(substring("arrived" FROM i * 16 + 1 FOR 16), 'hex')::uuid
                                        FROM generate_series(0, length("arrived") / 16 - 1) AS i),
              "taken_down" = ARRAY(SELECT encode(substring(ids FROM i * 16 + 1 FOR 16), 'hex')::uuid
                                     FROM (SELECT "arrived" || "kept" AS ids) AS x,
                                          generate_series(0, length(ids) / 16 - 1) AS i)`,
    );
    await queryRunner.query(`ALTER TABLE "matching_jobs" DROP COLUMN "arrived", DROP COLUMN "kept"`);
    await queryRunner.query(`ALTER TABLE "matching_jobs" RENAME COLUMN "arrived_uuids" TO "arrived"`);
    await queryRunner.query(
      `ALTER TABLE "matching_jobs" ALTER COLUMN "arrived" DROP DEFAULT, ALTER COLUMN "taken_down" DROP DEFAULT`,
    );
    await queryRunner.query(
      `ALTER TABLE "matching_jobs" ADD CONSTRAINT "ck_matching_jobs_work" CHECK (cardinality("arrived") + cardinality("taken_down") > 0)`,
    );
  }
}
