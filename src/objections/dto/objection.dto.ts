import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { PageQueryDto } from '../../common/pagination';

export const OBJECTION_GROUNDS = [
  'not_illegal',
  'listing_not_found',
  'wrong_marketplace',
  'insufficient_evidence',
  'seller_authorised',
  'invalid_url',
  'other',
] as const;
export type ObjectionGround = (typeof OBJECTION_GROUNDS)[number];

export const OBJECTION_OUTCOMES = ['upheld', 'rejected'] as const;
export type ObjectionOutcome = (typeof OBJECTION_OUTCOMES)[number];

export const OBJECTION_STATUSES = ['open', ...OBJECTION_OUTCOMES] as const;
export type ObjectionStatus = (typeof OBJECTION_STATUSES)[number];

const NOT_BLANK = /\S/;

export class FileObjectionDto {
  @ApiProperty({ enum: OBJECTION_GROUNDS })
  @IsIn(OBJECTION_GROUNDS)
  ground!: ObjectionGround;

  @ApiProperty({
    minLength: 1,
    maxLength: 4000,
    description: 'Not blank',
    example: 'The seller holds an import licence for new garments; the listing shows new stock with tags.',
  })
  @IsString()
  @Length(1, 4000)
  @Matches(NOT_BLANK, { message: 'detail must not be blank' })
  detail!: string;

  @ApiPropertyOptional({
    description: 'The marketplace objects for its seller (a counter-notice); false if absent',
  })
  @IsOptional()
  @IsBoolean()
  onBehalfOfSeller?: boolean;

  @ApiPropertyOptional({
    pattern: '^[0-9a-f]{64}$',
    description: 'SHA-256 of the evidence the marketplace holds (lower-case hex)',
  })
  @IsOptional()
  @Matches(/^[0-9a-f]{64}$/, { message: 'evidenceSha256 must be 64 lower-case hex characters' })
  evidenceSha256?: string;
}

export class DecideObjectionDto {
  @ApiProperty({
    enum: OBJECTION_OUTCOMES,
    description:
      'upheld: an open link is withdrawn, a taken-down one reinstated; rejected: the link stays and its clock runs on',
  })
  @IsIn(OBJECTION_OUTCOMES)
  outcome!: ObjectionOutcome;

  @ApiProperty({
    minLength: 1,
    maxLength: 1000,
    description: 'Not blank; a status the decision sets takes it as its reason',
  })
  @IsString()
  @Length(1, 1000)
  @Matches(NOT_BLANK, { message: 'note must not be blank' })
  note!: string;
}

export class ObjectionsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: OBJECTION_STATUSES })
  @IsOptional()
  @IsIn(OBJECTION_STATUSES)
  status?: ObjectionStatus;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  marketplaceId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only the objections to this link' })
  @IsOptional()
  @IsUUID()
  linkId?: string;

  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: 'true: open past replyDueAt (the ministry’s reply is late); false: every other',
  })
  @IsOptional()
  @IsIn(['true', 'false'])
  overdue?: 'true' | 'false';
}
