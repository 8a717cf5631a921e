import { ApiProperty } from '@nestjs/swagger';
import { HEX_SHA256 } from './audit-event.dto';

export class VerifyResultDto {
  @ApiProperty({ description: 'True when every check passed' })
  ok!: boolean;

  @ApiProperty({
    type: 'integer',
    minimum: 0,
    description: 'Events of the range that passed every check of their own row and chain link',
  })
  checked!: number;

  @ApiProperty({
    type: 'integer',
    minimum: 0,
    description: 'The seq of the last event, as the head row says (0 for an empty log)',
  })
  headSeq!: number;

  @ApiProperty({ description: 'The entry hash of the last event, as the head row says', pattern: HEX_SHA256 })
  headHash!: string;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    minimum: 1,
    description:
      'The first seq that can no longer be vouched for: every event before it passed every check. Null when ok',
  })
  firstBadSeq!: number | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'What was wrong, as one sentence naming the seq or checkpoint; null when ok',
    example: 'seq 40: prev_hash does not match the entry hash of seq 39',
  })
  problem!: string | null;
}
