import { MigrationInterface, QueryRunner } from 'typeorm';

export class ListingFingerprints1796500000000 implements MigrationInterface {
  name = 'ListingFingerprints1796500000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // Titles are compared by trigram similarity after unaccent(); both ship in PostgreSQL's contrib.
    await queryRunner.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
    await queryRunner.query('CREATE EXTENSION IF NOT EXISTS unaccent');
    await queryRunner.query(
      'CREATE TABLE "takedown_reports" ("id" uuid NOT NULL, "agency_id" uuid NOT NULL, "client_id" uuid, "item_count" integer NOT NULL, "link_count" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_1f31414aa350f3c3a498de3d489" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "idx_takedown_reports_agency" ON "takedown_reports" ("agency_id", "created_at") ',
    );
    await queryRunner.query(
      'CREATE TABLE "listing_fingerprints" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "link_id" uuid NOT NULL, "marketplace_id" uuid NOT NULL, "title" text, "seller_ref" character varying(200), "seller_name" character varying(200), "taken_down_at" TIMESTAMP WITH TIME ZONE NOT NULL, "txid" bigint NOT NULL, CONSTRAINT "UQ_90ad81bc743996f6d690f9d09f7" UNIQUE ("link_id"), CONSTRAINT "REL_90ad81bc743996f6d690f9d09f" UNIQUE ("link_id"), CONSTRAINT "PK_2c6278bf822fd8ba86be478f0eb" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "idx_listing_fingerprints_title" ON "listing_fingerprints" USING gin ("title" gin_trgm_ops) WHERE title IS NOT NULL',
    );
    await queryRunner.query(
      'CREATE INDEX "idx_listing_fingerprints_txid" ON "listing_fingerprints" ("txid") ',
    );
    await queryRunner.query(
      'CREATE INDEX "idx_listing_fingerprints_seller_name" ON "listing_fingerprints" ("seller_name") WHERE seller_name IS NOT NULL',
    );
    await queryRunner.query(
      'CREATE INDEX "idx_listing_fingerprints_seller_ref" ON "listing_fingerprints" ("marketplace_id", "seller_ref") WHERE seller_ref IS NOT NULL',
    );
    await queryRunner.query(
      'CREATE TABLE "listing_image_hashes" ("fingerprint_id" bigint NOT NULL, "algorithm" character varying(10) NOT NULL, "hash" bytea NOT NULL, "quality" smallint, CONSTRAINT "ck_listing_image_hashes_length" CHECK (("algorithm" = \'phash\' AND length("hash") = 8) OR ("algorithm" = \'pdq\' AND length("hash") = 32)), CONSTRAINT "PK_5688ed71e0b3119338df9cf2f5d" PRIMARY KEY ("fingerprint_id", "algorithm", "hash"))',
    );
    await queryRunner.query(
      'CREATE TABLE "relisting_signals" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "link_id" uuid NOT NULL, "matched_link_id" uuid, "signal" character varying(10) NOT NULL, "algorithm" character varying(10), "distance" smallint, "similarity" real, "term" character varying(100), "found_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "ck_relisting_signals_shape" CHECK (("signal" = \'keyword\') = ("matched_link_id" IS NULL AND "term" IS NOT NULL)), CONSTRAINT "ck_relisting_signals_kind" CHECK ("signal" IN (\'image\', \'title\', \'seller\', \'keyword\')), CONSTRAINT "PK_edd59e826ebd70f57e976c6c67c" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "idx_relisting_signals_matched" ON "relisting_signals" ("matched_link_id") WHERE matched_link_id IS NOT NULL',
    );
    await queryRunner.query('CREATE INDEX "idx_relisting_signals_link" ON "relisting_signals" ("link_id") ');
    await queryRunner.query(
      'CREATE TABLE "relisting_groups" ("id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_73ebbac322833fffeae711fc35d" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "idx_relisting_groups_updated" ON "relisting_groups" ("updated_at", "id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "relisting_group_members" ("link_id" uuid NOT NULL, "group_id" uuid NOT NULL, "added_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_335cddf1e384d01337e9eb47d5f" PRIMARY KEY ("link_id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "idx_relisting_group_members_group" ON "relisting_group_members" ("group_id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "relisting_dismissals" ("link_id" uuid NOT NULL, "other_link_id" uuid NOT NULL, "dismissed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "dismissed_by_agency_id" uuid NOT NULL, CONSTRAINT "ck_relisting_dismissals_order" CHECK ("link_id" < "other_link_id"), CONSTRAINT "PK_e7d1d9a875959471071d93cadaf" PRIMARY KEY ("link_id", "other_link_id"))',
    );
    await queryRunner.query(
      'ALTER TABLE "links" ADD "source" character varying(20) NOT NULL DEFAULT \'ministry\'',
    );
    await queryRunner.query('ALTER TABLE "links" ADD "report_id" uuid');
    await queryRunner.query('ALTER TABLE "links" ALTER COLUMN "batch_id" DROP NOT NULL');
    await queryRunner.query('ALTER TABLE "links" ALTER COLUMN "due_at" DROP NOT NULL');
    await queryRunner.query(
      'CREATE UNIQUE INDEX "uq_links_reported_takedown" ON "links" ("marketplace_id", "listing_key", "resolved_at") WHERE source = \'marketplace\'',
    );
    await queryRunner.query(
      'CREATE INDEX "idx_links_report" ON "links" ("report_id") WHERE report_id IS NOT NULL',
    );
    await queryRunner.query(
      'ALTER TABLE "links" ADD CONSTRAINT "ck_links_origin" CHECK (("source" = \'ministry\' AND "batch_id" IS NOT NULL AND "report_id" IS NULL AND "due_at" IS NOT NULL) OR ("source" = \'marketplace\' AND "batch_id" IS NULL AND "report_id" IS NOT NULL))',
    );
    await queryRunner.query(
      'ALTER TABLE "links" ADD CONSTRAINT "ck_links_source" CHECK ("source" IN (\'ministry\', \'marketplace\'))',
    );
    await queryRunner.query(
      'ALTER TABLE "takedown_reports" ADD CONSTRAINT "fk_takedown_reports_agency" FOREIGN KEY ("agency_id") REFERENCES "agencies"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "links" ADD CONSTRAINT "fk_links_takedown_report" FOREIGN KEY ("report_id") REFERENCES "takedown_reports"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "listing_fingerprints" ADD CONSTRAINT "fk_listing_fingerprints_link" FOREIGN KEY ("link_id") REFERENCES "links"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "listing_fingerprints" ADD CONSTRAINT "fk_listing_fingerprints_marketplace" FOREIGN KEY ("marketplace_id") REFERENCES "marketplaces"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "listing_image_hashes" ADD CONSTRAINT "fk_listing_image_hashes_fingerprint" FOREIGN KEY ("fingerprint_id") REFERENCES "listing_fingerprints"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "relisting_signals" ADD CONSTRAINT "fk_relisting_signals_link" FOREIGN KEY ("link_id") REFERENCES "links"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "relisting_signals" ADD CONSTRAINT "fk_relisting_signals_matched_link" FOREIGN KEY ("matched_link_id") REFERENCES "links"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "relisting_group_members" ADD CONSTRAINT "fk_relisting_group_members_link" FOREIGN KEY ("link_id") REFERENCES "links"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "relisting_group_members" ADD CONSTRAINT "fk_relisting_group_members_group" FOREIGN KEY ("group_id") REFERENCES "relisting_groups"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "relisting_dismissals" ADD CONSTRAINT "fk_relisting_dismissals_link" FOREIGN KEY ("link_id") REFERENCES "links"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "relisting_dismissals" ADD CONSTRAINT "fk_relisting_dismissals_other_link" FOREIGN KEY ("other_link_id") REFERENCES "links"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE "relisting_dismissals" DROP CONSTRAINT "fk_relisting_dismissals_other_link"',
    );
    await queryRunner.query(
      'ALTER TABLE "relisting_dismissals" DROP CONSTRAINT "fk_relisting_dismissals_link"',
    );
    await queryRunner.query(
      'ALTER TABLE "relisting_group_members" DROP CONSTRAINT "fk_relisting_group_members_group"',
    );
    await queryRunner.query(
      'ALTER TABLE "relisting_group_members" DROP CONSTRAINT "fk_relisting_group_members_link"',
    );
    await queryRunner.query(
      'ALTER TABLE "relisting_signals" DROP CONSTRAINT "fk_relisting_signals_matched_link"',
    );
    await queryRunner.query('ALTER TABLE "relisting_signals" DROP CONSTRAINT "fk_relisting_signals_link"');
    await queryRunner.query(
      'ALTER TABLE "listing_image_hashes" DROP CONSTRAINT "fk_listing_image_hashes_fingerprint"',
    );
    await queryRunner.query(
      'ALTER TABLE "listing_fingerprints" DROP CONSTRAINT "fk_listing_fingerprints_marketplace"',
    );
    await queryRunner.query(
      'ALTER TABLE "listing_fingerprints" DROP CONSTRAINT "fk_listing_fingerprints_link"',
    );
    await queryRunner.query('ALTER TABLE "links" DROP CONSTRAINT "fk_links_takedown_report"');
    await queryRunner.query('ALTER TABLE "takedown_reports" DROP CONSTRAINT "fk_takedown_reports_agency"');
    await queryRunner.query('ALTER TABLE "links" DROP CONSTRAINT "ck_links_source"');
    await queryRunner.query('ALTER TABLE "links" DROP CONSTRAINT "ck_links_origin"');
    await queryRunner.query('DROP INDEX "public"."idx_links_report"');
    await queryRunner.query('DROP INDEX "public"."uq_links_reported_takedown"');
    // What marketplaces reported of their own takedowns has no place in the older schema.
    await queryRunner.query("DELETE FROM links WHERE source = 'marketplace'");
    await queryRunner.query('ALTER TABLE "links" ALTER COLUMN "due_at" SET NOT NULL');
    await queryRunner.query('ALTER TABLE "links" ALTER COLUMN "batch_id" SET NOT NULL');
    await queryRunner.query('ALTER TABLE "links" DROP COLUMN "report_id"');
    await queryRunner.query('ALTER TABLE "links" DROP COLUMN "source"');
    await queryRunner.query('DROP TABLE "relisting_dismissals"');
    await queryRunner.query('DROP INDEX "public"."idx_relisting_group_members_group"');
    await queryRunner.query('DROP TABLE "relisting_group_members"');
    await queryRunner.query('DROP INDEX "public"."idx_relisting_groups_updated"');
    await queryRunner.query('DROP TABLE "relisting_groups"');
    await queryRunner.query('DROP INDEX "public"."idx_relisting_signals_link"');
    await queryRunner.query('DROP INDEX "public"."idx_relisting_signals_matched"');
    await queryRunner.query('DROP TABLE "relisting_signals"');
    await queryRunner.query('DROP TABLE "listing_image_hashes"');
    await queryRunner.query('DROP INDEX "public"."idx_listing_fingerprints_seller_ref"');
    await queryRunner.query('DROP INDEX "public"."idx_listing_fingerprints_seller_name"');
    await queryRunner.query('DROP INDEX "public"."idx_listing_fingerprints_txid"');
    await queryRunner.query('DROP INDEX "public"."idx_listing_fingerprints_title"');
    await queryRunner.query('DROP TABLE "listing_fingerprints"');
    await queryRunner.query('DROP INDEX "public"."idx_takedown_reports_agency"');
    await queryRunner.query('DROP TABLE "takedown_reports"');
  }
}
