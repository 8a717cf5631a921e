import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The integrated Merkle tree: its size and the hashes of the perfect subtrees covering [0, size), largest first
 * (their levels follow from the bits of size). The sequencer (audit_head) numbers events; the integrator folds
 * them into this tree off the write path, as Trillian splits the two.
 */
@Entity('audit_tree')
@Check('ck_audit_tree_single_row', `"id" = 1`)
export class AuditTree {
  @PrimaryColumn({ type: 'smallint' })
  id!: number;

  @Column({ type: 'bigint' })
  size!: string;

  @Column({ type: 'bytea', array: true })
  frontier!: Buffer[];
}

/** Hashes of completed perfect subtrees of level ≥ 4 (16 leaves and up); lower ones are recomputed from leaves. */
@Entity('audit_merkle_nodes')
export class AuditMerkleNode {
  @PrimaryColumn({ type: 'smallint' })
  level!: number;

  @PrimaryColumn({ type: 'bigint' })
  idx!: string;

  @Column({ type: 'bytea' })
  hash!: Buffer;
}

@Entity('audit_checkpoints')
@Index('idx_audit_checkpoints_issued', ['issuedAt'])
export class AuditCheckpoint {
  @PrimaryColumn({ name: 'tree_size', type: 'bigint' })
  treeSize!: string;

  @Column({ name: 'root_hash', type: 'bytea' })
  rootHash!: Buffer;

  @Column({ name: 'issued_at', type: 'timestamptz' })
  issuedAt!: Date;

  @Column({ name: 'key_id', type: 'varchar', length: 100 })
  keyId!: string;

  @Column({ type: 'text' })
  note!: string;

  @Column({ type: 'text' })
  signature!: string;
}
