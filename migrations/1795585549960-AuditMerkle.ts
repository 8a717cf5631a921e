import { MigrationInterface, QueryRunner } from 'typeorm';

export class AuditMerkle1795585549960 implements MigrationInterface {
  name = 'AuditMerkle1795585549960';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "audit_tree" ("id" smallint NOT NULL, "size" bigint NOT NULL, "frontier" bytea array NOT NULL, CONSTRAINT "ck_audit_tree_single_row" CHECK ("id" = 1), CONSTRAINT "PK_3ff2b2646df7b976775187ac4d8" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "audit_merkle_nodes" ("level" smallint NOT NULL, "idx" bigint NOT NULL, "hash" bytea NOT NULL, CONSTRAINT "PK_c8643c6d59fbbd2010a87a22692" PRIMARY KEY ("level", "idx"))',
    );
    await queryRunner.query(
      'CREATE TABLE "audit_checkpoints" ("tree_size" bigint NOT NULL, "root_hash" bytea NOT NULL, "issued_at" TIMESTAMP WITH TIME ZONE NOT NULL, "key_id" character varying(100) NOT NULL, "note" text NOT NULL, "signature" text NOT NULL, CONSTRAINT "PK_b0c1fcdd36d0abc4d88dea6f56d" PRIMARY KEY ("tree_size"))',
    );
    await queryRunner.query(
      'CREATE INDEX "idx_audit_checkpoints_issued" ON "audit_checkpoints" ("issued_at") ',
    );
    // Tree nodes and checkpoints are append-only like the events they commit to.
    for (const table of ['audit_merkle_nodes', 'audit_checkpoints']) {
      await queryRunner.query(
        `CREATE TRIGGER ${table}_no_update_delete BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()`,
      );
      await queryRunner.query(
        `CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()`,
      );
    }
    await queryRunner.query(`INSERT INTO audit_tree (id, size, frontier) VALUES (1, 0, '{}')`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['audit_merkle_nodes', 'audit_checkpoints']) {
      await queryRunner.query(`DROP TRIGGER ${table}_no_truncate ON ${table}`);
      await queryRunner.query(`DROP TRIGGER ${table}_no_update_delete ON ${table}`);
    }
    await queryRunner.query('DROP INDEX "public"."idx_audit_checkpoints_issued"');
    await queryRunner.query('DROP TABLE "audit_checkpoints"');
    await queryRunner.query('DROP TABLE "audit_merkle_nodes"');
    await queryRunner.query('DROP TABLE "audit_tree"');
  }
}
