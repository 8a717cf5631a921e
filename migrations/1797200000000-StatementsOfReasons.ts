import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Statements of reasons (DSA art. 17, issue 16): a takedown may carry the marketplace's decision (links.decision), and
 * a marketplace may be set to require one with each takedown.
 */
export class StatementsOfReasons1797200000000 implements MigrationInterface {
  name = 'StatementsOfReasons1797200000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE "marketplaces" ADD "require_statement_of_reasons" boolean NOT NULL DEFAULT false',
    );
    await queryRunner.query('ALTER TABLE "links" ADD "decision" jsonb');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "links" DROP COLUMN "decision"');
    await queryRunner.query('ALTER TABLE "marketplaces" DROP COLUMN "require_statement_of_reasons"');
  }
}
