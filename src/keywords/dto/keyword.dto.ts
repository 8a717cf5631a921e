import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';

export class AddKeywordDto {
  @ApiProperty({ example: 'pre-optimized', maxLength: 100 })
  @IsString()
  @Length(1, 100)
  term!: string;

  @ApiPropertyOptional({ example: 'code word for "used" on Shopee listings', maxLength: 1000 })
  @IsOptional()
  @IsString()
  @Length(1, 1000)
  note?: string;
}

export class KeywordsQueryDto {
  @ApiPropertyOptional({ description: 'Only terms added or retired after this watchlist version' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  sinceVersion?: number;
}
