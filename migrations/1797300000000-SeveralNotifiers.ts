import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Several notifiers (issue 16): a ministry that sends the listing of a link another ministry opened becomes its
 * co-notifier, one row per ministry a link, written with the batch that sent it.
 */
export class SeveralNotifiers1797300000000 implements MigrationInterface {
  name = 'SeveralNotifiers1797300000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "link_notifiers" ("link_id" uuid NOT NULL, "agency_id" uuid NOT NULL, "batch_id" uuid NOT NULL, "notified_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "pk_link_notifiers" PRIMARY KEY ("link_id", "agency_id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "idx_link_notifiers_agency" ON "link_notifiers" ("agency_id", "link_id") ',
    );
    await queryRunner.query('CREATE INDEX "idx_link_notifiers_batch" ON "link_notifiers" ("batch_id") ');
    await queryRunner.query(
      'ALTER TABLE "link_notifiers" ADD CONSTRAINT "fk_link_notifiers_link" FOREIGN KEY ("link_id") REFERENCES "links"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "link_notifiers" ADD CONSTRAINT "fk_link_notifiers_agency" FOREIGN KEY ("agency_id") REFERENCES "agencies"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "link_notifiers" ADD CONSTRAINT "fk_link_notifiers_batch" FOREIGN KEY ("batch_id") REFERENCES "link_batches"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "link_notifiers" DROP CONSTRAINT "fk_link_notifiers_batch"');
    await queryRunner.query('ALTER TABLE "link_notifiers" DROP CONSTRAINT "fk_link_notifiers_agency"');
    await queryRunner.query('ALTER TABLE "link_notifiers" DROP CONSTRAINT "fk_link_notifiers_link"');
    await queryRunner.query('DROP INDEX "public"."idx_link_notifiers_batch"');
    await queryRunner.query('DROP INDEX "public"."idx_link_notifiers_agency"');
    await queryRunner.query('DROP TABLE "link_notifiers"');
  }
}
