import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IMAGE_HASH_ALGORITHMS, ImageHashAlgorithm } from '../image-hash';

/** A perceptual hash of one image, as listing evidence, screenings and POST /v1/fingerprints carry it. */
export class ImageHashDto {
  @ApiProperty({ enum: IMAGE_HASH_ALGORITHMS })
  algorithm!: ImageHashAlgorithm;

  @ApiProperty({
    pattern: '^([0-9a-f]{16}|[0-9a-f]{64})$',
    description: 'Lower-case hex, most significant bit first: 16 characters for phash, 64 for pdq',
  })
  hash!: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: 100,
    description: "The hasher's quality score",
  })
  quality?: number;
}
