import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { Marketplace } from '../marketplaces/marketplace.entity';
import { Keyword } from './keyword.entity';

export const HIT_SOURCES = [
  'batch',
  'acknowledgement',
  'takedown_report',
  'observation',
  'screening',
] as const;
/** Where the title that held the term reached the exchange. */
export type HitSource = (typeof HIT_SOURCES)[number];

/** A title that reached the exchange with a watchlist term in it: written once, counted by GET /v1/keywords/{id}/hits. */
@Entity('keyword_hits')
@Index('idx_keyword_hits_keyword_seen', ['keywordId', 'seenAt'])
@Check(
  'ck_keyword_hits_source',
  `"source" IN ('batch', 'acknowledgement', 'takedown_report', 'observation', 'screening')`,
)
export class KeywordHit {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ name: 'keyword_id', type: 'uuid' })
  keywordId!: string;

  @ManyToOne(() => Keyword, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'keyword_id', foreignKeyConstraintName: 'fk_keyword_hits_keyword' })
  keyword?: Keyword;

  /** The marketplace of the listing; null for a screening that named none. */
  @Column({ name: 'marketplace_id', type: 'uuid', nullable: true })
  marketplaceId!: string | null;

  @ManyToOne(() => Marketplace, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'marketplace_id', foreignKeyConstraintName: 'fk_keyword_hits_marketplace' })
  marketplace?: Marketplace;

  /** The link whose title it was; null for a screening. */
  @Column({ name: 'link_id', type: 'uuid', nullable: true })
  linkId!: string | null;

  @Column({ type: 'varchar', length: 20 })
  source!: HitSource;

  /** When the title reached the exchange (the request's time, not matching's). */
  @Column({ name: 'seen_at', type: 'timestamptz' })
  seenAt!: Date;
}

/**
 * How many taken-down titles of a day held each token (the token '' counts the day's titles): kept as fingerprints are,
 * so GET /v1/keywords/suggestions compares periods without reading the titles again.
 */
@Entity('taken_down_tokens')
export class TakenDownToken {
  @PrimaryColumn({ type: 'date' })
  day!: string;

  @PrimaryColumn({ type: 'varchar', length: 100 })
  token!: string;

  @Column({ type: 'integer' })
  titles!: number;
}
