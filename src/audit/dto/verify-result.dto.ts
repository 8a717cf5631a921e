import { ApiProperty } from '@nestjs/swagger';

export class VerifyResultDto {
  @ApiProperty({ description: 'True when every check passed' })
  ok!: boolean;

  @ApiProperty({ description: 'Events of the range that passed every check of their own row and chain link' })
  checked!: number;

  @ApiProperty({ description: 'The seq of the last event, as the head row says' })
  headSeq!: number;

  @ApiProperty({
    description: 'The entry hash of the last event, as the head row says',
    pattern: '^[0-9a-f]{64}$',
  })
  headHash!: string;

  @ApiProperty({
    type: Number,
    nullable: true,
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
