import { ApiProperty } from '@nestjs/swagger';
import { HEX_SHA256 } from './audit-event.dto';

/** A signed statement that the log held `treeSize` events with this Merkle root at `issuedAt`. */
export class CheckpointResponseDto {
  @ApiProperty({
    description: "The log's name: the note's first line",
    example: 'takedown-exchange.local/audit',
  })
  origin!: string;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Events 1..treeSize are in the tree' })
  treeSize!: number;

  @ApiProperty({ pattern: HEX_SHA256, description: 'RFC 9162 Merkle tree head of the tree' })
  rootHash!: string;

  @ApiProperty({ format: 'date-time' })
  issuedAt!: string;

  @ApiProperty({ description: 'The kid of the GET /v1/audit/keys key that signed it' })
  keyId!: string;

  @ApiProperty({ description: 'The exact signed text: origin, tree size, root and time, one per line' })
  note!: string;

  @ApiProperty({ format: 'byte', description: 'Base64 Ed25519 signature of the bytes of note' })
  signature!: string;
}

/** An Ed25519 public key as RFC 8037 writes it as a JWK. */
export class AuditKeyResponseDto {
  @ApiProperty({ enum: ['OKP'] })
  kty!: string;

  @ApiProperty({ enum: ['Ed25519'] })
  crv!: string;

  @ApiProperty({ description: 'The public key, base64url' })
  x!: string;

  @ApiProperty({ description: 'RFC 7638 thumbprint; the keyId of what it signed' })
  kid!: string;

  @ApiProperty({ enum: ['sig'] })
  use!: string;

  @ApiProperty({ enum: ['EdDSA'] })
  alg!: string;
}

export class AuditKeysResponseDto {
  @ApiProperty({
    type: [AuditKeyResponseDto],
    description:
      'The current signing key first, then retired ones that signed earlier checkpoints and packages',
  })
  keys!: AuditKeyResponseDto[];
}
