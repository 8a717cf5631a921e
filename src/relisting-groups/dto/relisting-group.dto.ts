import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { PageQueryDto } from '../../common/pagination';
import { LINK_STATUSES, LinkStatus } from '../../links/link.entity';

export class ListRelistingGroupsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only groups with a link on this marketplace' })
  @IsOptional()
  @IsUUID()
  marketplaceId?: string;
}

export class DismissMemberDto {
  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 1000,
    description: 'Why the link is not a relisting of the others',
  })
  @IsOptional()
  @IsString()
  @Length(1, 1000)
  reason?: string;
}

/**
 * A link of a group. A marketplace sees its own links in full; of another marketplace's only which marketplace, the
 * status and when it was first seen (linkId and sellerRef are null).
 */
export class RelistingGroupLinkResponseDto {
  @ApiProperty({ format: 'uuid', nullable: true, type: 'string' })
  linkId!: string | null;

  @ApiProperty({ format: 'uuid' })
  marketplaceId!: string;

  @ApiProperty({ nullable: true, type: 'string' })
  sellerRef!: string | null;

  @ApiProperty({ enum: LINK_STATUSES })
  status!: LinkStatus;

  @ApiProperty({ format: 'date-time', description: 'When the link came to the exchange' })
  firstSeenAt!: string;

  @ApiProperty({
    nullable: true,
    type: 'string',
    description: "The ministry's batch reference (null for a marketplace's own takedown)",
  })
  batchReference!: string | null;
}

export class RelistingGroupResponseDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;

  @ApiProperty({ type: 'integer', minimum: 0 })
  size!: number;

  @ApiProperty({ type: [RelistingGroupLinkResponseDto], description: 'First seen first' })
  links!: RelistingGroupLinkResponseDto[];
}

export class RelistingGroupListResponseDto {
  @ApiProperty({ type: [RelistingGroupResponseDto], description: 'Most recently changed first' })
  items!: RelistingGroupResponseDto[];

  @ApiProperty({ nullable: true, type: 'string', description: 'Cursor of the next page; null on the last' })
  nextCursor!: string | null;
}

export class DismissalResponseDto extends RelistingGroupResponseDto {
  @ApiProperty({ description: 'Fewer than two links were left: the group no longer exists' })
  dissolved!: boolean;
}
