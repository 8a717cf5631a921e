import { ApiProperty } from '@nestjs/swagger';
import { ImageHashDto } from '../../matching/dto/image-hash.dto';

/** The hashes of one image, in the form listing evidence and screenings take them. */
export class FingerprintResponseDto {
  @ApiProperty({
    type: [ImageHashDto],
    description: 'Today one: the phash, as sharp-phash 2.x computes it',
  })
  imageHashes!: ImageHashDto[];
}
