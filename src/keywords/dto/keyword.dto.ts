import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import { IntQueryParam } from '../../common/int-query-param';

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
