import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

@Entity('link_batches')
@Index('idx_link_batches_created', ['createdAt', 'id'])
export class LinkBatch {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 200 })
  reference!: string;

  @Column({ name: 'legal_basis', type: 'varchar', length: 500 })
  legalBasis!: string;

  @Column({ type: 'varchar', length: 100, nullable: true })
  category!: string | null;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  note!: string | null;

  @Column({ name: 'due_at', type: 'timestamptz', nullable: true })
  dueAt!: Date | null;

  @Column({ name: 'submitted_by_agency_id', type: 'uuid' })
  submittedByAgencyId!: string;

  @Column({ name: 'submitted_by_client_id', type: 'uuid', nullable: true })
  submittedByClientId!: string | null;

  /** Links accepted at intake; fixed once the batch exists. */
  @Column({ name: 'link_count', type: 'int' })
  linkCount!: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'cancelled_at', type: 'timestamptz', nullable: true })
  cancelledAt!: Date | null;

  @Column({ name: 'cancel_reason', type: 'varchar', length: 1000, nullable: true })
  cancelReason!: string | null;
}
