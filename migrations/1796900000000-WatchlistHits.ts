import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The watchlist learns: terms get variants and a match type; every title that reaches the exchange with a term in it
 * is a hit (keyword_hits); taken-down titles are counted by token and day (taken_down_tokens) for the suggestions; a
 * matching job may name links whose titles are only counted against the watchlist (`titled`: a batch's links).
 */
export class WatchlistHits1796900000000 implements MigrationInterface {
  name = 'WatchlistHits1796900000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "keyword_hits" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "keyword_id" uuid NOT NULL, "marketplace_id" uuid, "link_id" uuid, "source" character varying(20) NOT NULL, "seen_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "ck_keyword_hits_source" CHECK ("source" IN (\'batch\', \'acknowledgement\', \'takedown_report\', \'observation\', \'screening\')), CONSTRAINT "PK_5be267832685732e6ce5a3bf2b0" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "idx_keyword_hits_keyword_seen" ON "keyword_hits" ("keyword_id", "seen_at") ',
    );
    await queryRunner.query(
      'CREATE TABLE "taken_down_tokens" ("day" date NOT NULL, "token" character varying(100) NOT NULL, "titles" integer NOT NULL, CONSTRAINT "PK_6fd72bb2b518eade54a25417f7f" PRIMARY KEY ("day", "token"))',
    );
    await queryRunner.query(
      'ALTER TABLE "keywords" ADD "variants" character varying(100) array NOT NULL DEFAULT \'{}\'',
    );
    await queryRunner.query(
      'ALTER TABLE "keywords" ADD "match_type" character varying(10) NOT NULL DEFAULT \'token\'',
    );
    await queryRunner.query(
      'ALTER TABLE "keywords" ADD CONSTRAINT "ck_keywords_match_type" CHECK ("match_type" IN (\'token\', \'phrase\'))',
    );
    await queryRunner.query(
      'ALTER TABLE "keyword_hits" ADD CONSTRAINT "fk_keyword_hits_keyword" FOREIGN KEY ("keyword_id") REFERENCES "keywords"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "keyword_hits" ADD CONSTRAINT "fk_keyword_hits_marketplace" FOREIGN KEY ("marketplace_id") REFERENCES "marketplaces"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(`ALTER TABLE "matching_jobs" ADD "titled" bytea NOT NULL DEFAULT ''`);
    await queryRunner.query(`ALTER TABLE "matching_jobs" ALTER COLUMN "titled" SET STORAGE EXTERNAL`);
    await queryRunner.query(`ALTER TABLE "matching_jobs" DROP CONSTRAINT "ck_matching_jobs_work"`);
    await queryRunner.query(
      `ALTER TABLE "matching_jobs" ADD CONSTRAINT "ck_matching_jobs_work"
         CHECK (length("arrived") % 16 = 0 AND length("kept") % 16 = 0 AND length("observed") % 16 = 0
                AND length("titled") % 16 = 0
                AND length("arrived") + length("kept") + length("observed") + length("titled") > 0)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `DELETE FROM "matching_jobs" WHERE length("arrived") + length("kept") + length("observed") = 0`,
    );
    await queryRunner.query(`ALTER TABLE "matching_jobs" DROP CONSTRAINT "ck_matching_jobs_work"`);
    await queryRunner.query(`ALTER TABLE "matching_jobs" DROP COLUMN "titled"`);
    await queryRunner.query(
      `ALTER TABLE "matching_jobs" ADD CONSTRAINT "ck_matching_jobs_work"
         CHECK (length("arrived") % 16 = 0 AND length("kept") % 16 = 0 AND length("observed") % 16 = 0
                AND length("arrived") + length("kept") + length("observed") > 0)`,
    );
    await queryRunner.query('ALTER TABLE "keyword_hits" DROP CONSTRAINT "fk_keyword_hits_marketplace"');
    await queryRunner.query('ALTER TABLE "keyword_hits" DROP CONSTRAINT "fk_keyword_hits_keyword"');
    await queryRunner.query('ALTER TABLE "keywords" DROP CONSTRAINT "ck_keywords_match_type"');
    await queryRunner.query('ALTER TABLE "keywords" DROP COLUMN "match_type"');
    await queryRunner.query('ALTER TABLE "keywords" DROP COLUMN "variants"');
    await queryRunner.query('DROP TABLE "taken_down_tokens"');
    await queryRunner.query('DROP INDEX "public"."idx_keyword_hits_keyword_seen"');
    await queryRunner.query('DROP TABLE "keyword_hits"');
  }
}
