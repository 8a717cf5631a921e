import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsISO8601, IsOptional, IsString, Length } from 'class-validator';
import { IntQueryParam } from '../../common/int-query-param';
import { MATCH_TYPES, MatchType } from '../watchlist';

export const MAX_VARIANTS = 20;
export const INTERVALS = ['day', 'week', 'month'] as const;
export type Interval = (typeof INTERVALS)[number];

export class AddKeywordDto {
  @ApiProperty({ example: 'pre-optimized', minLength: 1, maxLength: 100, description: 'Not blank' })
  @IsString()
  @Length(1, 100)
  term!: string;

  @ApiPropertyOptional({ example: 'code word for "used" on Shopee listings', minLength: 1, maxLength: 1000 })
  @IsOptional()
  @IsString()
  @Length(1, 1000)
  note?: string;

  @ApiPropertyOptional({
    type: [String],
    maxItems: MAX_VARIANTS,
    example: ['pre loved', 'prelove'],
    description: 'Other spellings of the same code word: a title with any of them is a hit of the term',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_VARIANTS)
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  variants?: string[];

  @ApiPropertyOptional({
    enum: MATCH_TYPES,
    description:
      'token (the default, for short code words): the term or a variant as whole words of a title, so "bal" is not found in "balon"; phrase: anywhere in the title’s text, inside words too',
  })
  @IsOptional()
  @IsIn(MATCH_TYPES)
  matchType?: MatchType;
}

export class KeywordHitsQueryDto {
  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Hits seen at or after this time; 30 days before `to` by default',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Hits seen before this time; now by default' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({
    enum: INTERVALS,
    default: 'day',
    description: 'The length of each period of the series (UTC); at most 1,000 periods',
  })
  @IsOptional()
  @IsIn(INTERVALS)
  interval?: Interval;
}

export class KeywordSuggestionsQueryDto {
  @ApiPropertyOptional({
    enum: INTERVALS,
    default: 'week',
    description: 'The period compared: the last day, 7 days or 30 days, up to today (UTC)',
  })
  @IsOptional()
  @IsIn(INTERVALS)
  interval?: Interval;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: 12,
    default: 4,
    description: 'How many periods before it make the comparison',
  })
  @IsOptional()
  @IntQueryParam(1, 12)
  periods?: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: 1000,
    default: 3,
    description: 'A token must be in at least this many of the period’s taken-down titles',
  })
  @IsOptional()
  @IntQueryParam(1, 1000)
  minCount?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @IntQueryParam(1, 100)
  limit?: number;
}

export class KeywordsQueryDto {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: Number.MAX_SAFE_INTEGER,
    description: 'Only terms added or retired after this watchlist version',
  })
  @IsOptional()
  @IntQueryParam(0)
  sinceVersion?: number;
}
