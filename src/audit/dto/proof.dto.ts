import { ApiProperty } from '@nestjs/swagger';
import { HEX_SHA256 } from './audit-event.dto';

export class InclusionProofResponseDto {
  @ApiProperty({ type: 'integer', minimum: 1 })
  seq!: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'seq - 1' })
  leafIndex!: number;

  @ApiProperty({ type: 'integer', minimum: 1 })
  treeSize!: number;

  @ApiProperty({ pattern: HEX_SHA256, description: 'The leaf: the entry hash of the event' })
  entryHash!: string;

  @ApiProperty({
    type: [String],
    pattern: HEX_SHA256,
    description: 'RFC 9162 §2.1.3 inclusion path, from the leaf up',
  })
  hashes!: string[];
}

export class ConsistencyProofResponseDto {
  @ApiProperty({ type: 'integer', minimum: 1 })
  from!: number;

  @ApiProperty({ type: 'integer', minimum: 1 })
  to!: number;

  @ApiProperty({ type: [String], pattern: HEX_SHA256, description: 'RFC 9162 §2.1.4 consistency proof' })
  hashes!: string[];
}
