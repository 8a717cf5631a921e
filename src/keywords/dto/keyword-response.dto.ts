import { ApiProperty } from '@nestjs/swagger';

export const KEYWORD_STATUSES = ['active', 'retired'] as const;
export type KeywordStatus = (typeof KEYWORD_STATUSES)[number];

export class KeywordResponseDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'pre-optimized', description: 'As added, whitespace collapsed' })
  term!: string;

  @ApiProperty({ type: String, nullable: true })
  note!: string | null;

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
