import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Objections (due process, issue 16): a marketplace objects to its link, the notifying ministry decides once; while an
 * objection to an open link waits, the link's clock stands still (links.clock_paused_at). An upheld objection to a
 * taken-down link reinstates it: a new final status.
 */
export class Objections1797100000000 implements MigrationInterface {
  name = 'Objections1797100000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "objections" ("id" uuid NOT NULL, "link_id" uuid NOT NULL, "filed_by_agency_id" uuid NOT NULL, "ground" character varying(30) NOT NULL, "detail" text NOT NULL, "on_behalf_of_seller" boolean NOT NULL, "evidence_sha256" character(64), "filed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "reply_due_at" TIMESTAMP WITH TIME ZONE NOT NULL, "clock_paused" boolean NOT NULL, "status" character varying(20) NOT NULL, "decided_by_agency_id" uuid, "decided_at" TIMESTAMP WITH TIME ZONE, "note" text, "paused_ms" bigint, CONSTRAINT "ck_objections_paused" CHECK ("paused_ms" >= 0 AND ("clock_paused" OR "paused_ms" = 0)), CONSTRAINT "ck_objections_decided" CHECK (("status" = \'open\') = ("decided_at" IS NULL) AND ("decided_at" IS NULL) = ("decided_by_agency_id" IS NULL) AND ("decided_at" IS NULL) = ("note" IS NULL) AND ("decided_at" IS NULL) = ("paused_ms" IS NULL)), CONSTRAINT "ck_objections_status" CHECK ("status" IN (\'open\', \'upheld\', \'rejected\')), CONSTRAINT "ck_objections_ground" CHECK ("ground" IN (\'not_illegal\', \'listing_not_found\', \'wrong_marketplace\', \'insufficient_evidence\', \'seller_authorised\', \'invalid_url\', \'other\')), CONSTRAINT "PK_6bb81f77d9eabef4f46e9c0934f" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "idx_objections_filed" ON "objections" ("filed_at", "id") ');
    await queryRunner.query('CREATE INDEX "idx_objections_link" ON "objections" ("link_id", "filed_at") ');
    await queryRunner.query(
      'CREATE UNIQUE INDEX "uq_objections_open_link" ON "objections" ("link_id") WHERE status = \'open\'',
    );
    await queryRunner.query('ALTER TABLE "links" ADD "clock_paused_at" TIMESTAMP WITH TIME ZONE');
    await queryRunner.query('ALTER TABLE "links" DROP CONSTRAINT "ck_links_status"');
    await queryRunner.query(
      "ALTER TABLE \"links\" ADD CONSTRAINT \"ck_links_status\" CHECK (\"status\" IN ('pending', 'acknowledged', 'taken_down', 'not_found', 'rejected', 'withdrawn', 'reinstated'))",
    );
    await queryRunner.query(
      'ALTER TABLE "objections" ADD CONSTRAINT "fk_objections_link" FOREIGN KEY ("link_id") REFERENCES "links"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "objections" ADD CONSTRAINT "fk_objections_filed_by" FOREIGN KEY ("filed_by_agency_id") REFERENCES "agencies"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "objections" ADD CONSTRAINT "fk_objections_decided_by" FOREIGN KEY ("decided_by_agency_id") REFERENCES "agencies"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "objections" DROP CONSTRAINT "fk_objections_decided_by"');
    await queryRunner.query('ALTER TABLE "objections" DROP CONSTRAINT "fk_objections_filed_by"');
    await queryRunner.query('ALTER TABLE "objections" DROP CONSTRAINT "fk_objections_link"');
    await queryRunner.query('ALTER TABLE "links" DROP CONSTRAINT "ck_links_status"');
    await queryRunner.query(
      "ALTER TABLE \"links\" ADD CONSTRAINT \"ck_links_status\" CHECK (\"status\" IN ('pending', 'acknowledged', 'taken_down', 'not_found', 'rejected', 'withdrawn'))",
    );
    await queryRunner.query('ALTER TABLE "links" DROP COLUMN "clock_paused_at"');
    await queryRunner.query('DROP INDEX "public"."uq_objections_open_link"');
    await queryRunner.query('DROP INDEX "public"."idx_objections_link"');
    await queryRunner.query('DROP INDEX "public"."idx_objections_filed"');
    await queryRunner.query('DROP TABLE "objections"');
  }
}
