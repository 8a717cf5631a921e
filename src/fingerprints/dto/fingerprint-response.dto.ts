import { ApiProperty } from '@nestjs/swagger';

export class ImageHashResponseDto {
  @ApiProperty({ enum: ['phash'], description: 'The 64-bit DCT hash as sharp-phash 2.x computes it' })
  algorithm!: 'phash';

  @ApiProperty({
    pattern: '^[0-9a-f]{16}$',
    example: 'c3d1e0f0b8989c3c',
    description: '16 lower-case hex characters, most significant bit first',
  })
  hash!: string;
}

export class FingerprintResponseDto {
  @ApiProperty({ type: [ImageHashResponseDto] })
  imageHashes!: ImageHashResponseDto[];
}
