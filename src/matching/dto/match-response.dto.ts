import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { RELISTING_SIGNALS, RelistingSignalKind } from '../../relisting-groups/relisting.entity';
import { IMAGE_HASH_ALGORITHMS, ImageHashAlgorithm } from '../image-hash';

/**
 * One reason a listing looks like one already taken down. A marketplace sees its own matched links in full; of a
 * match on another marketplace only the signal, its distance or similarity and the ministry's batch reference.
 */
export class MatchResponseDto {
  @ApiProperty({ enum: RELISTING_SIGNALS })
  signal!: RelistingSignalKind;

  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'The taken-down link matched (absent for keyword signals and for links the caller may not see)',
  })
  linkId?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: "The matched link's marketplace, when the caller may see it",
  })
  marketplaceId?: string;

  @ApiPropertyOptional({ enum: IMAGE_HASH_ALGORITHMS, description: 'image: the hash compared' })
  algorithm?: ImageHashAlgorithm;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, description: 'image: Hamming distance in bits' })
  distance?: number;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 1,
    description: 'title: trigram similarity of normalised titles',
  })
  similarity?: number;

  @ApiPropertyOptional({ description: 'keyword: the watchlist term found in the title' })
  term?: string;

  @ApiPropertyOptional({
    nullable: true,
    type: 'string',
    description:
      "The reference of the ministry's batch behind the matched link (null for a marketplace's own takedown)",
  })
  batchReference?: string | null;
}
