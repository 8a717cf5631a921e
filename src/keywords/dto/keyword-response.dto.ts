import { ApiProperty } from '@nestjs/swagger';
import { HIT_SOURCES } from '../keyword-hit.entity';
import { MATCH_TYPES, MatchType } from '../watchlist';

export const KEYWORD_STATUSES = ['active', 'retired'] as const;
export type KeywordStatus = (typeof KEYWORD_STATUSES)[number];

export class KeywordResponseDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'pre-optimized', description: 'As added, whitespace collapsed' })
  term!: string;

  @ApiProperty({ type: String, nullable: true })
  note!: string | null;

  @ApiProperty({ type: [String], description: 'Other spellings that count as the term' })
  variants!: string[];

  @ApiProperty({ enum: MATCH_TYPES, description: 'token: whole words; phrase: anywhere in the title' })
  matchType!: MatchType;

  @ApiProperty({ enum: KEYWORD_STATUSES, description: 'A retired term is kept, for the record' })
  status!: KeywordStatus;

  @ApiProperty({
    type: 'integer',
    minimum: 1,
    description: 'The watchlist version of the term’s last change (its addition or its retirement)',
  })
  version!: number;

  @ApiProperty({ format: 'date-time' })
  addedAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  retiredAt!: string | null;
}

export class KeywordListResponseDto {
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    description: 'The current watchlist version: pass it as sinceVersion next time to get only what changed',
  })
  version!: number;

  @ApiProperty({
    type: [KeywordResponseDto],
    description:
      'Without sinceVersion, the active terms; with it, every term changed after that version, retired ones included, in version order',
  })
  items!: KeywordResponseDto[];
}

export class KeywordMarketplaceHitsDto {
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'null: screenings that named no marketplace',
  })
  marketplaceId!: string | null;

  @ApiProperty({ type: 'integer', minimum: 1 })
  count!: number;

  @ApiProperty({ format: 'date-time' })
  firstSeenAt!: string;

  @ApiProperty({ format: 'date-time' })
  lastSeenAt!: string;
}

export class KeywordSeriesPointDto {
  @ApiProperty({ format: 'date-time', description: 'The start of the period (UTC)' })
  period!: string;

  @ApiProperty({ type: 'integer', minimum: 0 })
  count!: number;
}

export class KeywordHitsResponseDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  term!: string;

  @ApiProperty({ format: 'date-time' })
  from!: string;

  @ApiProperty({ format: 'date-time' })
  to!: string;

  @ApiProperty({ enum: ['day', 'week', 'month'] })
  interval!: string;

  @ApiProperty({
    type: 'integer',
    minimum: 0,
    description: `Titles seen in [from, to) holding the term or a variant, from ${HIT_SOURCES.join(', ')}`,
  })
  total!: number;

  @ApiProperty({
    type: [KeywordMarketplaceHitsDto],
    description: 'Per marketplace, most hits first (a marketplace sees only its own)',
  })
  byMarketplace!: KeywordMarketplaceHitsDto[];

  @ApiProperty({
    type: [KeywordSeriesPointDto],
    description: 'Every period from the one holding `from`, zeros included',
  })
  series!: KeywordSeriesPointDto[];
}

export class KeywordSuggestionDto {
  @ApiProperty({
    example: 'preloved',
    description: 'A word of taken-down titles (case, accents and digits-for-letters undone)',
  })
  token!: string;

  @ApiProperty({ type: 'integer', minimum: 1, description: 'Taken-down titles of the period holding it' })
  count!: number;

  @ApiProperty({ minimum: 0, maximum: 1, description: 'count ÷ the period’s taken-down titles (4 decimals)' })
  share!: number;

  @ApiProperty({
    type: 'integer',
    minimum: 0,
    description: 'Taken-down titles of the periods before holding it',
  })
  previousCount!: number;

  @ApiProperty({
    minimum: 0,
    maximum: 1,
    description: 'previousCount ÷ the titles of the periods before (4 decimals)',
  })
  previousShare!: number;

  @ApiProperty({
    type: Number,
    nullable: true,
    minimum: 2,
    description: 'share ÷ previousShare (2 decimals); null for a word new in the period',
  })
  growth!: number | null;
}

export class KeywordSuggestionsResponseDto {
  @ApiProperty({ enum: ['day', 'week', 'month'] })
  interval!: string;

  @ApiProperty({ format: 'date', description: 'The first day of the period compared (UTC)' })
  from!: string;

  @ApiProperty({ format: 'date', description: 'Its last day: today (UTC)' })
  to!: string;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Taken-down titles of the period' })
  titles!: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Taken-down titles of the periods before it' })
  previousTitles!: number;

  @ApiProperty({
    type: [KeywordSuggestionDto],
    description:
      'Words not on the watchlist whose share of the period’s taken-down titles is at least twice their share before: new words first (most frequent first), then the others by growth',
  })
  items!: KeywordSuggestionDto[];
}
