import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ImageHashDto } from './image-hash.dto';
import { MatchResponseDto } from './match-response.dto';

export const MAX_SCREENING_ITEMS = 1000;

export class ScreeningItemDto {
  @ApiProperty({
    minLength: 1,
    maxLength: 200,
    description: "The caller's own reference, echoed in the result",
  })
  ref!: string;

  @ApiPropertyOptional({
    maxLength: 2048,
    description: "The listing's URL: it names the marketplace a sellerRef belongs to",
  })
  url?: string;

  @ApiPropertyOptional({ maxLength: 500 })
  title?: string;

  @ApiPropertyOptional({ type: [ImageHashDto], maxItems: 20 })
  imageHashes?: ImageHashDto[];

  @ApiPropertyOptional({ minLength: 1, maxLength: 200 })
  sellerRef?: string;

  @ApiPropertyOptional({ maxLength: 200 })
  sellerName?: string;
}

/**
 * The body as OpenAPI tells it: read by ItemsBody (1 to MAX_SCREENING_ITEMS items), each item checked by hand; a bad
 * one refuses the request with its path.
 */
export class ScreeningRequestDto {
  @ApiProperty({
    type: [ScreeningItemDto],
    minItems: 1,
    maxItems: MAX_SCREENING_ITEMS,
    description:
      'Each item carries at least one of title, imageHashes, sellerRef, sellerName; refs are unique',
  })
  items!: unknown[];
}

export class ScreeningResultDto {
  @ApiProperty()
  ref!: string;

  @ApiProperty({
    type: [MatchResponseDto],
    description: 'Taken-down listings it resembles, by signal; empty: nothing matched',
  })
  matches!: MatchResponseDto[];
}

export class ScreeningResponseDto {
  @ApiProperty({ type: [ScreeningResultDto], description: 'One result per item, in the order of the items' })
  results!: ScreeningResultDto[];
}
