import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The queue of matching on arrival: an acknowledgement or takedown report that brings listing evidence adds one row
 * in its own transaction, and a worker matches and keeps the listings after commit, then deletes the row in the
 * transaction that writes the signals, groups and their audit events (so a job is done exactly once or not at all).
 */
export class MatchingJobs1796600000000 implements MigrationInterface {
  name = 'MatchingJobs1796600000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "matching_jobs" (
         "id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
         "arrived" uuid[] NOT NULL,
         "taken_down" uuid[] NOT NULL,
         "enqueued_at" timestamptz NOT NULL,
         "attempts" integer NOT NULL DEFAULT 0,
         "not_before" timestamptz NOT NULL,
         "last_error" text,
         CONSTRAINT "pk_matching_jobs" PRIMARY KEY ("id"),
         CONSTRAINT "ck_matching_jobs_work" CHECK (cardinality("arrived") + cardinality("taken_down") > 0)
       )`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "matching_jobs"');
  }
}
