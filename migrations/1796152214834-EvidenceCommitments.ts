import { MigrationInterface, QueryRunner } from 'typeorm';

export class EvidenceCommitments1796152214834 implements MigrationInterface {
  name = 'EvidenceCommitments1796152214834';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "evidence_responses" ADD "seller_records_salt" character(64)');
    await queryRunner.query(
      'ALTER TABLE "evidence_responses" ADD CONSTRAINT "ck_evidence_responses_salt" CHECK ("seller_records_salt" IS NULL OR "decision" = \'fulfil\')',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "evidence_responses" DROP CONSTRAINT "ck_evidence_responses_salt"');
    await queryRunner.query('ALTER TABLE "evidence_responses" DROP COLUMN "seller_records_salt"');
  }
}
