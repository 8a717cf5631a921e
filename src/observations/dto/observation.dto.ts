import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ListingEvidenceDto } from '../../links/dto/link.dto';
import { MAX_FINAL_URL } from '../observation-items';
import { OBSERVATION_RESULTS, ObservationResult } from '../observation.entity';

export const MAX_OBSERVATION_ITEMS = 5000;

export class ObservationItemDto {
  @ApiProperty({ format: 'uuid', description: 'A link the caller may observe (a marketplace: its own)' })
  linkId!: string;

  @ApiProperty({
    format: 'date-time',
    description: 'When the listing was looked at: not in the future, not before the link was created',
  })
  observedAt!: string;

  @ApiProperty({
    enum: OBSERVATION_RESULTS,
    description:
      'online: the listing is live; offline: taken down or hidden; not_found: the page is gone; redirected: the URL leads elsewhere (say where in finalUrl)',
  })
  result!: ObservationResult;

  @ApiPropertyOptional({
    maxLength: MAX_FINAL_URL,
    pattern: '^https?://\\S+$',
    description: 'Where the URL ended, for redirected',
  })
  finalUrl?: string;

  @ApiPropertyOptional({
    type: ListingEvidenceDto,
    description: 'The listing as seen; on a taken-down link seen online it is matched like arriving evidence',
  })
  listing?: ListingEvidenceDto;
}

/** The body as OpenAPI tells it: read by ItemsBody, each item judged in the service. */
export class ObserveLinksDto {
  @ApiProperty({
    type: [ObservationItemDto],
    minItems: 1,
    maxItems: MAX_OBSERVATION_ITEMS,
    description:
      'An item that breaks the item schema is refused on its own (ok: false with the reason), not with a 400',
  })
  items!: unknown[];
}

export class ObservationResultDto {
  @ApiProperty({ type: 'integer', minimum: 0, description: 'The item’s position in the request' })
  index!: number;

  @ApiProperty({ description: 'The item’s linkId as sent (at most 100 characters; empty when it had none)' })
  linkId!: string;

  @ApiProperty({ description: 'Whether the observation was recorded' })
  ok!: boolean;

  @ApiPropertyOptional({ format: 'uuid', description: 'The recorded observation, when ok' })
  observationId?: string;

  @ApiPropertyOptional({ description: 'When ok: the link’s reappeared flag after this observation' })
  reappeared?: boolean;

  @ApiPropertyOptional({
    description:
      'Why the item was refused: not_found (no such link, or not the caller’s), already_observed (the caller reported a look at this link at this observedAt before), or a validation message; absent when ok',
  })
  error?: string;
}

export class ObservationResultsResponseDto {
  @ApiProperty({ type: [ObservationResultDto], description: 'One result per item, in the items’ order' })
  results!: ObservationResultDto[];
}
