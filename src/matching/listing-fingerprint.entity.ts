import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  OneToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { Link } from '../links/link.entity';
import { Marketplace } from '../marketplaces/marketplace.entity';

/**
 * What the exchange keeps of a taken-down listing to recognise it when it comes back: one row per taken-down link
 * that carried listing evidence, written once, never changed. Its image hashes are rows of their own.
 */
@Entity('listing_fingerprints')
// Titles by trigram: created in the migration (gin_trgm_ops is not something an entity can say).
@Index('idx_listing_fingerprints_title', { synchronize: false })
@Index('idx_listing_fingerprints_seller_ref', ['marketplaceId', 'sellerRef'], {
  where: `seller_ref IS NOT NULL`,
})
@Index('idx_listing_fingerprints_seller_name', ['sellerName'], { where: `seller_name IS NOT NULL` })
@Index('idx_listing_fingerprints_txid', ['txid'])
export class ListingFingerprint {
  /** Dense, so the in-process image index holds numbers rather than UUIDs. */
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ name: 'link_id', type: 'uuid', unique: true })
  linkId!: string;

  @OneToOne(() => Link, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'link_id', foreignKeyConstraintName: 'fk_listing_fingerprints_link' })
  link?: Link;

  @Column({ name: 'marketplace_id', type: 'uuid' })
  marketplaceId!: string;

  @ManyToOne(() => Marketplace, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'marketplace_id', foreignKeyConstraintName: 'fk_listing_fingerprints_marketplace' })
  marketplace?: Marketplace;

  /** normaliseTitle() then unaccent(): compared by trigram similarity. */
  @Column({ type: 'text', nullable: true })
  title!: string | null;

  @Column({ name: 'seller_ref', type: 'varchar', length: 200, nullable: true })
  sellerRef!: string | null;

  /** normaliseSellerName(): compared for equality across marketplaces. */
  @Column({ name: 'seller_name', type: 'varchar', length: 200, nullable: true })
  sellerName!: string | null;

  @Column({ name: 'taken_down_at', type: 'timestamptz' })
  takenDownAt!: Date;

  /**
   * The writing transaction's id (pg_current_xact_id()): an instance's image index catches up with every row whose
   * transaction was still open at its last refresh, so a row committed late is never skipped.
   */
  @Column({ type: 'bigint' })
  txid!: string;
}

@Entity('listing_image_hashes')
@Check(
  'ck_listing_image_hashes_length',
  `("algorithm" = 'phash' AND length("hash") = 8) OR ("algorithm" = 'pdq' AND length("hash") = 32)`,
)
export class ListingImageHash {
  @PrimaryColumn({ name: 'fingerprint_id', type: 'bigint' })
  fingerprintId!: string;

  @ManyToOne(() => ListingFingerprint, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'fingerprint_id', foreignKeyConstraintName: 'fk_listing_image_hashes_fingerprint' })
  fingerprint?: ListingFingerprint;

  @PrimaryColumn({ type: 'varchar', length: 10 })
  algorithm!: 'phash' | 'pdq';

  @PrimaryColumn({ type: 'bytea' })
  hash!: Buffer;

  @Column({ type: 'smallint', nullable: true })
  quality!: number | null;
}
