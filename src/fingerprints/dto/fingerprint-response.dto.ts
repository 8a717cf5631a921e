import { ApiProperty } from '@nestjs/swagger';
import { ImageHashResponseDto } from '../../links/dto/link-response.dto';

/** The hashes of one image, in the form listing evidence and screenings take them. */
export class FingerprintResponseDto {
  @ApiProperty({
    type: [ImageHashResponseDto],
    description: 'Today one: the phash, as sharp-phash 2.x computes it',
  })
  imageHashes!: ImageHashResponseDto[];
}
