import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A marketplace asks the notifying ministry about a link without objecting to it (due process, issue 16): the
 * question, and once given, the answer; one answer per question (ck_clarifications_answered and the conditional
 * UPDATE that writes it).
 */
export class Clarifications1797000000000 implements MigrationInterface {
  name = 'Clarifications1797000000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "clarifications" ("id" uuid NOT NULL, "link_id" uuid NOT NULL, "asked_by_agency_id" uuid NOT NULL, "question" text NOT NULL, "asked_at" TIMESTAMP WITH TIME ZONE NOT NULL, "answer" text, "answered_by_agency_id" uuid, "answered_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "ck_clarifications_answered" CHECK (("answer" IS NULL) = ("answered_at" IS NULL) AND ("answer" IS NULL) = ("answered_by_agency_id" IS NULL)), CONSTRAINT "PK_13bbcd97792a5c1663fcd28136f" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "idx_clarifications_asked" ON "clarifications" ("asked_at", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "idx_clarifications_link" ON "clarifications" ("link_id", "asked_at") ',
    );
    await queryRunner.query(
      'ALTER TABLE "clarifications" ADD CONSTRAINT "fk_clarifications_link" FOREIGN KEY ("link_id") REFERENCES "links"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "clarifications" ADD CONSTRAINT "fk_clarifications_asked_by" FOREIGN KEY ("asked_by_agency_id") REFERENCES "agencies"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "clarifications" ADD CONSTRAINT "fk_clarifications_answered_by" FOREIGN KEY ("answered_by_agency_id") REFERENCES "agencies"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "clarifications" DROP CONSTRAINT "fk_clarifications_answered_by"');
    await queryRunner.query('ALTER TABLE "clarifications" DROP CONSTRAINT "fk_clarifications_asked_by"');
    await queryRunner.query('ALTER TABLE "clarifications" DROP CONSTRAINT "fk_clarifications_link"');
    await queryRunner.query('DROP INDEX "public"."idx_clarifications_link"');
    await queryRunner.query('DROP INDEX "public"."idx_clarifications_asked"');
    await queryRunner.query('DROP TABLE "clarifications"');
  }
}
