import { ApiProperty } from '@nestjs/swagger';
import { CLARIFICATION_STATUSES, ClarificationStatus } from './clarification.dto';

export class ClarificationResponseDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  linkId!: string;

  @ApiProperty({ format: 'uuid', description: 'The link’s marketplace, whose agency asked' })
  marketplaceId!: string;

  @ApiProperty({ format: 'uuid', description: 'The ministry that notified the link: the one to answer' })
  notifierAgencyId!: string;

  @ApiProperty()
  question!: string;

  @ApiProperty({ format: 'date-time' })
  askedAt!: string;

  @ApiProperty({ enum: CLARIFICATION_STATUSES })
  status!: ClarificationStatus;

  @ApiProperty({ type: String, nullable: true })
  answer!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  answeredAt!: string | null;
}

export class ClarificationListResponseDto {
  @ApiProperty({ type: [ClarificationResponseDto] })
  items!: ClarificationResponseDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as cursor for the next page; null on the last',
  })
  nextCursor!: string | null;
}
