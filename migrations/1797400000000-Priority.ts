import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Priority (issue 16): batches and links are urgent or normal, and each marketplace has hours for an urgent link
 * beside those for a normal one. Existing marketplaces get 12 urgent hours, or their normal hours when fewer.
 */
export class Priority1797400000000 implements MigrationInterface {
  name = 'Priority1797400000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE "link_batches" ADD "priority" character varying(10) NOT NULL DEFAULT \'normal\'',
    );
    await queryRunner.query(
      'ALTER TABLE "marketplaces" ADD "urgent_sla_hours" integer NOT NULL DEFAULT \'12\'',
    );
    await queryRunner.query('UPDATE "marketplaces" SET "urgent_sla_hours" = LEAST(12, "takedown_sla_hours")');
    await queryRunner.query(
      'ALTER TABLE "links" ADD "priority" character varying(10) NOT NULL DEFAULT \'normal\'',
    );
    await queryRunner.query(
      'ALTER TABLE "link_batches" ADD CONSTRAINT "ck_link_batches_priority" CHECK ("priority" IN (\'urgent\', \'normal\'))',
    );
    await queryRunner.query(
      'ALTER TABLE "marketplaces" ADD CONSTRAINT "ck_marketplaces_urgent_sla" CHECK ("urgent_sla_hours" BETWEEN 1 AND "takedown_sla_hours")',
    );
    await queryRunner.query(
      'ALTER TABLE "links" ADD CONSTRAINT "ck_links_priority" CHECK ("priority" IN (\'urgent\', \'normal\'))',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "links" DROP CONSTRAINT "ck_links_priority"');
    await queryRunner.query('ALTER TABLE "marketplaces" DROP CONSTRAINT "ck_marketplaces_urgent_sla"');
    await queryRunner.query('ALTER TABLE "link_batches" DROP CONSTRAINT "ck_link_batches_priority"');
    await queryRunner.query('ALTER TABLE "links" DROP COLUMN "priority"');
    await queryRunner.query('ALTER TABLE "marketplaces" DROP COLUMN "urgent_sla_hours"');
    await queryRunner.query('ALTER TABLE "link_batches" DROP COLUMN "priority"');
  }
}
