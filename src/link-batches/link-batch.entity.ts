import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { Priority } from '../links/link.entity';

@Entity('link_batches')
@Index('idx_link_batches_created', ['createdAt', 'id'])
@Check('ck_link_batches_priority', `"priority" IN ('urgent', 'normal')`)
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

  /** The priority of its links, unless a link of a JSON batch says otherwise. */
  @Column({ type: 'varchar', length: 10, default: 'normal' })
  priority!: Priority;

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
