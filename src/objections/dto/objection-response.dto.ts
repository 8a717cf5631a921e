import { ApiProperty } from '@nestjs/swagger';
import { LINK_STATUSES, type LinkStatus } from '../../links/link.entity';
import { OBJECTION_GROUNDS, OBJECTION_STATUSES, ObjectionGround, ObjectionStatus } from './objection.dto';

export class ObjectionResponseDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  linkId!: string;

  @ApiProperty({ format: 'uuid', description: 'The link’s marketplace, whose agency objected' })
  marketplaceId!: string;

  @ApiProperty({ format: 'uuid', description: 'The ministry that notified the link: the one to decide' })
  notifierAgencyId!: string;

  @ApiProperty({ enum: OBJECTION_GROUNDS })
  ground!: ObjectionGround;

  @ApiProperty()
  detail!: string;

  @ApiProperty()
  onBehalfOfSeller!: boolean;

  @ApiProperty({ type: String, nullable: true, pattern: '^[0-9a-f]{64}$' })
  evidenceSha256!: string | null;

  @ApiProperty({ format: 'date-time' })
  filedAt!: string;

  @ApiProperty({
    format: 'date-time',
    description: 'When the ministry should have decided (OBJECTION_REPLY_MS)',
  })
  replyDueAt!: string;

  @ApiProperty({
    description: 'Open past replyDueAt: the ministry’s decision is late (nothing is decided for it)',
  })
  overdue!: boolean;

  @ApiProperty({
    description: 'The link was open when the objection came, so its clock stopped until the decision',
  })
  clockPaused!: boolean;

  @ApiProperty({ enum: OBJECTION_STATUSES })
  status!: ObjectionStatus;

  @ApiProperty({ enum: LINK_STATUSES, description: 'The link’s status now' })
  linkStatus!: LinkStatus;

  @ApiProperty({ type: String, nullable: true, description: 'The decision’s note; null while open' })
  note!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  decidedAt!: string | null;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    minimum: 0,
    description: 'Milliseconds the link’s clock stood still (its dueAt moved on by as much); null while open',
  })
  pausedMs!: number | null;
}

export class ObjectionListResponseDto {
  @ApiProperty({ type: [ObjectionResponseDto] })
  items!: ObjectionResponseDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as cursor for the next page; null on the last',
  })
  nextCursor!: string | null;
}
