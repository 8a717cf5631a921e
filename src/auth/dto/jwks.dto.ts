import { ApiProperty } from '@nestjs/swagger';

/** A public key as RFC 7517 writes it; here an EC P-256 key for ES256. */
export class JwkDto {
  @ApiProperty({ example: 'EC' })
  kty!: string;

  @ApiProperty({ example: 'P-256' })
  crv!: string;

  @ApiProperty({ description: 'base64url x coordinate' })
  x!: string;

  @ApiProperty({ description: 'base64url y coordinate' })
  y!: string;

  @ApiProperty({ description: 'RFC 7638 thumbprint; the kid of the tokens this key verifies' })
  kid!: string;

  @ApiProperty({ enum: ['sig'] })
  use!: string;

  @ApiProperty({ example: 'ES256' })
  alg!: string;
}

export class JwksDto {
  @ApiProperty({ type: [JwkDto] })
  keys!: JwkDto[];
}
