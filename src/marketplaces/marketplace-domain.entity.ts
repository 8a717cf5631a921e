import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Marketplace } from './marketplace.entity';

/** The primary key makes "a domain belongs to one marketplace only" a fact of the database. */
@Entity('marketplace_domains')
@Index('idx_marketplace_domains_marketplace', ['marketplaceId'])
export class MarketplaceDomain {
  @PrimaryColumn({ type: 'varchar', length: 253, primaryKeyConstraintName: 'pk_marketplace_domains' })
  domain!: string;

  @Column({ name: 'marketplace_id', type: 'uuid' })
  marketplaceId!: string;

  @ManyToOne(() => Marketplace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'marketplace_id', foreignKeyConstraintName: 'fk_marketplace_domains_marketplace' })
  marketplace?: Marketplace;
}
