import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Agency } from '../agencies/agency.entity';
import { Link } from '../links/link.entity';
import { LinkBatch } from './link-batch.entity';

/**
 * A co-notifier of a link: a ministry other than the one whose batch opened the link, that sent the same listing in
 * a batch of its own while the link was open. It reads and follows the link; deciding objections, answering
 * questions and withdrawing stay with the first notifier (the batch's agency). One row per ministry a link.
 */
@Entity('link_notifiers')
@Index('idx_link_notifiers_batch', ['batchId'])
@Index('idx_link_notifiers_agency', ['agencyId', 'linkId'])
export class LinkNotifier {
  @PrimaryColumn({ name: 'link_id', type: 'uuid', primaryKeyConstraintName: 'pk_link_notifiers' })
  linkId!: string;

  @ManyToOne(() => Link, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'link_id', foreignKeyConstraintName: 'fk_link_notifiers_link' })
  link?: Link;

  @PrimaryColumn({ name: 'agency_id', type: 'uuid', primaryKeyConstraintName: 'pk_link_notifiers' })
  agencyId!: string;

  @ManyToOne(() => Agency, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'agency_id', foreignKeyConstraintName: 'fk_link_notifiers_agency' })
  agency?: Agency;

  @Column({ name: 'batch_id', type: 'uuid' })
  batchId!: string;

  @ManyToOne(() => LinkBatch, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'batch_id', foreignKeyConstraintName: 'fk_link_notifiers_batch' })
  batch?: LinkBatch;

  @Column({ name: 'notified_at', type: 'timestamptz' })
  notifiedAt!: Date;
}
