import { MigrationInterface, QueryRunner } from 'typeorm';

export class EvidenceConsistency1795601917949 implements MigrationInterface {
  name = 'EvidenceConsistency1795601917949';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE "evidence_requests" ADD CONSTRAINT "ck_evidence_requests_closed" CHECK (("status" = \'closed\') = ("closed_at" IS NOT NULL))',
    );
    await queryRunner.query(
      'ALTER TABLE "evidence_responses" ADD CONSTRAINT "ck_evidence_responses_answer" CHECK (("decision" IS NULL AND "responded_at" IS NULL AND "reason" IS NULL AND "seller_records" IS NULL)\n   OR ("decision" = \'decline\' AND "responded_at" IS NOT NULL AND "reason" IS NOT NULL)\n   OR ("decision" = \'fulfil\' AND "responded_at" IS NOT NULL AND "seller_records" IS NOT NULL))',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE "evidence_responses" DROP CONSTRAINT "ck_evidence_responses_answer"',
    );
    await queryRunner.query('ALTER TABLE "evidence_requests" DROP CONSTRAINT "ck_evidence_requests_closed"');
  }
}
