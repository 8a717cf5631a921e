import { MigrationInterface, QueryRunner } from 'typeorm';

export class Takedowns1795583024708 implements MigrationInterface {
  name = 'Takedowns1795583024708';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "marketplaces" ("id" uuid NOT NULL, "agency_id" uuid NOT NULL, "code" character varying(40) NOT NULL, "name" character varying(200) NOT NULL, "takedown_sla_hours" integer NOT NULL DEFAULT \'48\', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "uq_marketplaces_code" UNIQUE ("code"), CONSTRAINT "ck_marketplaces_sla" CHECK ("takedown_sla_hours" BETWEEN 1 AND 8760), CONSTRAINT "PK_e4d5b8aa6ae255c4ce370792f79" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "idx_marketplaces_agency" ON "marketplaces" ("agency_id") ');
    await queryRunner.query(
      'CREATE TABLE "marketplace_domains" ("domain" character varying(253) NOT NULL, "marketplace_id" uuid NOT NULL, CONSTRAINT "pk_marketplace_domains" PRIMARY KEY ("domain"))',
    );
    await queryRunner.query(
      'CREATE INDEX "idx_marketplace_domains_marketplace" ON "marketplace_domains" ("marketplace_id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "link_batches" ("id" uuid NOT NULL, "reference" character varying(200) NOT NULL, "legal_basis" character varying(500) NOT NULL, "category" character varying(100), "note" character varying(2000), "due_at" TIMESTAMP WITH TIME ZONE, "submitted_by_agency_id" uuid NOT NULL, "submitted_by_client_id" uuid, "link_count" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "cancelled_at" TIMESTAMP WITH TIME ZONE, "cancel_reason" character varying(1000), CONSTRAINT "PK_82f2cc3d33b18b76cde961c1f45" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "idx_link_batches_created" ON "link_batches" ("created_at", "id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "keywords" ("id" uuid NOT NULL, "term" character varying(100) NOT NULL, "normalized_term" character varying(100) NOT NULL, "note" character varying(1000), "status" character varying(20) NOT NULL DEFAULT \'active\', "version" bigint NOT NULL, "added_at" TIMESTAMP WITH TIME ZONE NOT NULL, "retired_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "ck_keywords_status" CHECK ("status" IN (\'active\', \'retired\')), CONSTRAINT "PK_4aa660a7a585ed828da68f3c28e" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "idx_keywords_version" ON "keywords" ("version") ');
    await queryRunner.query(
      'CREATE UNIQUE INDEX "uq_keywords_active_term" ON "keywords" ("normalized_term") WHERE status = \'active\'',
    );
    await queryRunner.query(
      'CREATE TABLE "links" ("id" uuid NOT NULL, "batch_id" uuid NOT NULL, "marketplace_id" uuid NOT NULL, "url" text NOT NULL, "canonical_url" text NOT NULL, "listing_key" text NOT NULL, "status" character varying(20) NOT NULL, "status_reason" character varying(1000), "due_at" TIMESTAMP WITH TIME ZONE NOT NULL, "relisted" boolean NOT NULL DEFAULT false, "prior_link_ids" uuid array NOT NULL DEFAULT \'{}\', "note" character varying(1000), "keywords" text array NOT NULL DEFAULT \'{}\', "listing" jsonb, "seller_ref" character varying(200), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, "resolved_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "ck_links_status" CHECK ("status" IN (\'pending\', \'acknowledged\', \'taken_down\', \'not_found\', \'rejected\', \'withdrawn\')), CONSTRAINT "PK_ecf17f4a741d3c5ba0b4c5ab4b6" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "idx_links_seller" ON "links" ("marketplace_id", "seller_ref") WHERE seller_ref IS NOT NULL',
    );
    await queryRunner.query(
      'CREATE INDEX "idx_links_marketplace_updated" ON "links" ("marketplace_id", "updated_at", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "idx_links_marketplace_status" ON "links" ("marketplace_id", "status", "id") ',
    );
    await queryRunner.query('CREATE INDEX "idx_links_batch" ON "links" ("batch_id", "status") ');
    await queryRunner.query('CREATE INDEX "idx_links_listing" ON "links" ("marketplace_id", "listing_key") ');
    await queryRunner.query(
      'CREATE UNIQUE INDEX "uq_links_open_listing" ON "links" ("marketplace_id", "listing_key") WHERE status IN (\'pending\', \'acknowledged\')',
    );
    await queryRunner.query(
      'ALTER TABLE "marketplaces" ADD CONSTRAINT "fk_marketplaces_agency" FOREIGN KEY ("agency_id") REFERENCES "agencies"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "marketplace_domains" ADD CONSTRAINT "fk_marketplace_domains_marketplace" FOREIGN KEY ("marketplace_id") REFERENCES "marketplaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "links" ADD CONSTRAINT "fk_links_batch" FOREIGN KEY ("batch_id") REFERENCES "link_batches"("id") ON DELETE RESTRICT ON UPDATE NO ACTION DEFERRABLE INITIALLY DEFERRED',
    );
    await queryRunner.query(
      'ALTER TABLE "links" ADD CONSTRAINT "fk_links_marketplace" FOREIGN KEY ("marketplace_id") REFERENCES "marketplaces"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query('CREATE SEQUENCE keyword_version_seq AS bigint');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP SEQUENCE keyword_version_seq');
    await queryRunner.query('ALTER TABLE "links" DROP CONSTRAINT "fk_links_marketplace"');
    await queryRunner.query('ALTER TABLE "links" DROP CONSTRAINT "fk_links_batch"');
    await queryRunner.query(
      'ALTER TABLE "marketplace_domains" DROP CONSTRAINT "fk_marketplace_domains_marketplace"',
    );
    await queryRunner.query('ALTER TABLE "marketplaces" DROP CONSTRAINT "fk_marketplaces_agency"');
    await queryRunner.query('DROP INDEX "public"."uq_links_open_listing"');
    await queryRunner.query('DROP INDEX "public"."idx_links_listing"');
    await queryRunner.query('DROP INDEX "public"."idx_links_batch"');
    await queryRunner.query('DROP INDEX "public"."idx_links_marketplace_status"');
    await queryRunner.query('DROP INDEX "public"."idx_links_marketplace_updated"');
    await queryRunner.query('DROP INDEX "public"."idx_links_seller"');
    await queryRunner.query('DROP TABLE "links"');
    await queryRunner.query('DROP INDEX "public"."uq_keywords_active_term"');
    await queryRunner.query('DROP INDEX "public"."idx_keywords_version"');
    await queryRunner.query('DROP TABLE "keywords"');
    await queryRunner.query('DROP INDEX "public"."idx_link_batches_created"');
    await queryRunner.query('DROP TABLE "link_batches"');
    await queryRunner.query('DROP INDEX "public"."idx_marketplace_domains_marketplace"');
    await queryRunner.query('DROP TABLE "marketplace_domains"');
    await queryRunner.query('DROP INDEX "public"."idx_marketplaces_agency"');
    await queryRunner.query('DROP TABLE "marketplaces"');
  }
}
