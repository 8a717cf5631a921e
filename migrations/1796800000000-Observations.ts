import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Observations: a look at a link's listing (online, offline, not_found, redirected), appended and never changed. A
 * link keeps its latest observation and the `reappeared` flag (taken down, yet seen online); a matching job may name
 * observations whose listing evidence is to be matched.
 */
export class Observations1796800000000 implements MigrationInterface {
  name = 'Observations1796800000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "observations" ("id" uuid NOT NULL, "link_id" uuid NOT NULL, "observer_agency_id" uuid NOT NULL, "observed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "result" character varying(20) NOT NULL, "final_url" text, "listing" jsonb, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "ck_observations_result" CHECK ("result" IN ('online', 'offline', 'not_found', 'redirected')), CONSTRAINT "PK_observations" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "uq_observations_look" ON "observations" ("link_id", "observer_agency_id", "observed_at") ',
    );
    await queryRunner.query(
      'ALTER TABLE "observations" ADD CONSTRAINT "fk_observations_link" FOREIGN KEY ("link_id") REFERENCES "links"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "observations" ADD CONSTRAINT "fk_observations_agency" FOREIGN KEY ("observer_agency_id") REFERENCES "agencies"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    // Append-only by PostgreSQL's hand, like the audit trail.
    await queryRunner.query(`CREATE FUNCTION observations_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'observations are append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await queryRunner.query(`CREATE TRIGGER observations_no_update_delete BEFORE UPDATE OR DELETE ON observations
      FOR EACH ROW EXECUTE FUNCTION observations_refuse_change()`);
    await queryRunner.query(`CREATE TRIGGER observations_no_truncate BEFORE TRUNCATE ON observations
      FOR EACH STATEMENT EXECUTE FUNCTION observations_refuse_change()`);
    await queryRunner.query(
      `ALTER TABLE "links" ADD "reappeared" boolean NOT NULL DEFAULT false, ADD "last_observed_at" TIMESTAMP WITH TIME ZONE, ADD "last_observation" jsonb`,
    );
    await queryRunner.query(`ALTER TABLE "matching_jobs" ADD "observed" bytea NOT NULL DEFAULT ''`);
    await queryRunner.query(`ALTER TABLE "matching_jobs" ALTER COLUMN "observed" SET STORAGE EXTERNAL`);
    await queryRunner.query(`ALTER TABLE "matching_jobs" DROP CONSTRAINT "ck_matching_jobs_work"`);
    await queryRunner.query(
      `ALTER TABLE "matching_jobs" ADD CONSTRAINT "ck_matching_jobs_work"
         CHECK (length("arrived") % 16 = 0 AND length("kept") % 16 = 0 AND length("observed") % 16 = 0
                AND length("arrived") + length("kept") + length("observed") > 0)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "matching_jobs" WHERE length("arrived") + length("kept") = 0`);
    await queryRunner.query(`ALTER TABLE "matching_jobs" DROP CONSTRAINT "ck_matching_jobs_work"`);
    await queryRunner.query(`ALTER TABLE "matching_jobs" DROP COLUMN "observed"`);
    await queryRunner.query(
      `ALTER TABLE "matching_jobs" ADD CONSTRAINT "ck_matching_jobs_work"
         CHECK (length("arrived") % 16 = 0 AND length("kept") % 16 = 0 AND length("arrived") + length("kept") > 0)`,
    );
    await queryRunner.query(
      `ALTER TABLE "links" DROP COLUMN "last_observation", DROP COLUMN "last_observed_at", DROP COLUMN "reappeared"`,
    );
    await queryRunner.query('DROP TRIGGER observations_no_truncate ON observations');
    await queryRunner.query('DROP TRIGGER observations_no_update_delete ON observations');
    await queryRunner.query('DROP FUNCTION observations_refuse_change()');
    await queryRunner.query('DROP TABLE "observations"');
  }
}
