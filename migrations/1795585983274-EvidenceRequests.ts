import { MigrationInterface, QueryRunner } from 'typeorm';

export class EvidenceRequests1795585983274 implements MigrationInterface {
  name = 'EvidenceRequests1795585983274';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "evidence_requests" ("id" uuid NOT NULL, "police_agency_id" uuid NOT NULL, "filed_by_client_id" uuid, "case_number" character varying(100) NOT NULL, "legal_basis" character varying(500) NOT NULL, "purpose" character varying(2000) NOT NULL, "scope" jsonb NOT NULL, "status" character varying(20) NOT NULL, "link_count" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, "closed_at" TIMESTAMP WITH TIME ZONE, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "ck_evidence_requests_status" CHECK ("status" IN (\'submitted\', \'in_review\', \'ready\', \'declined\', \'closed\')), CONSTRAINT "PK_913982e15f9105798909fb7b4d4" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "idx_evidence_requests_police" ON "evidence_requests" ("police_agency_id", "created_at") ',
    );
    await queryRunner.query(
      'CREATE TABLE "evidence_request_links" ("request_id" uuid NOT NULL, "link_id" uuid NOT NULL, "marketplace_id" uuid NOT NULL, CONSTRAINT "PK_c9849f8f155aa29c8ab04d77933" PRIMARY KEY ("request_id", "link_id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "idx_evidence_request_links_marketplace" ON "evidence_request_links" ("request_id", "marketplace_id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "evidence_responses" ("request_id" uuid NOT NULL, "marketplace_id" uuid NOT NULL, "decision" character varying(10), "reason" character varying(2000), "seller_records" jsonb, "responded_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "ck_evidence_responses_decision" CHECK ("decision" IS NULL OR "decision" IN (\'fulfil\', \'decline\')), CONSTRAINT "PK_2e89a56f255ed6c045a39ebae37" PRIMARY KEY ("request_id", "marketplace_id"))',
    );
    await queryRunner.query(
      'ALTER TABLE "evidence_requests" ADD CONSTRAINT "fk_evidence_requests_police" FOREIGN KEY ("police_agency_id") REFERENCES "agencies"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "evidence_request_links" ADD CONSTRAINT "fk_evidence_request_links_request" FOREIGN KEY ("request_id") REFERENCES "evidence_requests"("id") ON DELETE RESTRICT ON UPDATE NO ACTION DEFERRABLE INITIALLY DEFERRED',
    );
    await queryRunner.query(
      'ALTER TABLE "evidence_request_links" ADD CONSTRAINT "fk_evidence_request_links_link" FOREIGN KEY ("link_id") REFERENCES "links"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "evidence_responses" ADD CONSTRAINT "fk_evidence_responses_request" FOREIGN KEY ("request_id") REFERENCES "evidence_requests"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "evidence_responses" ADD CONSTRAINT "fk_evidence_responses_marketplace" FOREIGN KEY ("marketplace_id") REFERENCES "marketplaces"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE "evidence_responses" DROP CONSTRAINT "fk_evidence_responses_marketplace"',
    );
    await queryRunner.query(
      'ALTER TABLE "evidence_responses" DROP CONSTRAINT "fk_evidence_responses_request"',
    );
    await queryRunner.query(
      'ALTER TABLE "evidence_request_links" DROP CONSTRAINT "fk_evidence_request_links_link"',
    );
    await queryRunner.query(
      'ALTER TABLE "evidence_request_links" DROP CONSTRAINT "fk_evidence_request_links_request"',
    );
    await queryRunner.query('ALTER TABLE "evidence_requests" DROP CONSTRAINT "fk_evidence_requests_police"');
    await queryRunner.query('DROP TABLE "evidence_responses"');
    await queryRunner.query('DROP INDEX "public"."idx_evidence_request_links_marketplace"');
    await queryRunner.query('DROP TABLE "evidence_request_links"');
    await queryRunner.query('DROP INDEX "public"."idx_evidence_requests_police"');
    await queryRunner.query('DROP TABLE "evidence_requests"');
  }
}
