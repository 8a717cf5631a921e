import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

@Entity('keywords')
@Index('uq_keywords_active_term', ['normalizedTerm'], { unique: true, where: `status = 'active'` })
@Index('idx_keywords_version', ['version'])
@Check('ck_keywords_status', `"status" IN ('active', 'retired')`)
@Check('ck_keywords_match_type', `"match_type" IN ('token', 'phrase')`)
export class Keyword {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 100 })
  term!: string;

  /** Lower-cased, whitespace-collapsed: "Pre-Optimized" and "pre-optimized " are one term. */
  @Column({ name: 'normalized_term', type: 'varchar', length: 100 })
  normalizedTerm!: string;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  note!: string | null;

  /** Other spellings sellers use for the same word ("pre loved", "prelovedd"): a title with any of them is a hit. */
  @Column({ type: 'varchar', length: 100, array: true, default: () => "'{}'" })
  variants!: string[];

  /** token: the term (or a variant) as whole words of a title; phrase: anywhere in it, inside words too. */
  @Column({ name: 'match_type', type: 'varchar', length: 10, default: 'token' })
  matchType!: 'token' | 'phrase';

  @Column({ type: 'varchar', length: 20, default: 'active' })
  status!: 'active' | 'retired';

  /** Bumped from one sequence on every change, so clients sync with ?sinceVersion=. */
  @Column({ type: 'bigint' })
  version!: string;

  @Column({ name: 'added_at', type: 'timestamptz' })
  addedAt!: Date;

  @Column({ name: 'retired_at', type: 'timestamptz', nullable: true })
  retiredAt!: Date | null;
}
