import { ApiProperty } from '@nestjs/swagger';
import type { LinkStatus } from '../../links/link.entity';
import type { AccountAction } from '../../links/statement-of-reasons';

const count = (description: string) => ApiProperty({ type: 'integer', minimum: 0, description });

/** Links received in the period by their status now; every status is present, 0 when none. */
export class LinksByStatusResponseDto implements Record<LinkStatus, number> {
  @count('Waiting for the marketplace') pending!: number;
  @count('Seen by the marketplace, not yet acted on') acknowledged!: number;
  @count('Taken down') taken_down!: number;
  @count('The marketplace did not find the listing') not_found!: number;
  @count('Refused by the marketplace, with a reason') rejected!: number;
  @count('Withdrawn by the ministry') withdrawn!: number;
  @count('Taken down, then put back by an upheld objection') reinstated!: number;
}

/** A marketplace's own reported takedowns in the period: they arrive taken down, so hours to takedown are not defined. */
export class ReportedSourceStatsResponseDto {
  @count('Links the marketplace reported in the period')
  received!: number;

  @ApiProperty({ type: LinksByStatusResponseDto })
  byStatus!: LinksByStatusResponseDto;

  @count('Of those, listings that had been taken down before')
  relisted!: number;
}

/** The ministry's links in the period, with the same figures as the marketplace's total. */
export class MinistrySourceStatsResponseDto extends ReportedSourceStatsResponseDto {
  @count('Of those, still open past their due time')
  overdue!: number;

  @ApiProperty({
    type: Number,
    nullable: true,
    minimum: 0,
    description: 'Median hours from creation to the reported takedown (2 decimals); null when none',
  })
  medianHoursToTakedown!: number | null;

  @ApiProperty({ type: Number, nullable: true, minimum: 0, description: 'The 90th percentile of the same' })
  p90HoursToTakedown!: number | null;
}

/** Account actions the marketplace's statements of reasons report for the period's links (DSA art. 17). */
export class AccountActionsResponseDto implements Record<AccountAction, number> {
  @count('Takedowns that left the seller’s account as it was') none!: number;
  @count('Takedowns with the seller warned') warned!: number;
  @count('Takedowns with the seller’s account suspended') suspended!: number;
  @count('Takedowns with the seller’s account terminated') terminated!: number;
}

export class StatsBySourceResponseDto {
  @ApiProperty({ type: MinistrySourceStatsResponseDto, description: 'Links the ministry sent in batches' })
  ministry!: MinistrySourceStatsResponseDto;

  @ApiProperty({
    type: ReportedSourceStatsResponseDto,
    description: 'Takedowns the marketplace reported on its own initiative (POST /v1/takedown-reports)',
  })
  marketplace!: ReportedSourceStatsResponseDto;
}

export class MarketplaceStatsResponseDto {
  @ApiProperty({ format: 'uuid' })
  marketplaceId!: string;

  @ApiProperty({ example: 'tokopedia' })
  code!: string;

  @ApiProperty({ example: 'Tokopedia' })
  name!: string;

  @count('Links created in the period, from both sources (the ministry’s and the marketplace’s own reports)')
  received!: number;

  @ApiProperty({ type: LinksByStatusResponseDto })
  byStatus!: LinksByStatusResponseDto;

  @count('Of those, still open past their due time')
  overdue!: number;

  @count('Of those, listings that came back after a takedown')
  relisted!: number;

  @ApiProperty({
    type: Number,
    nullable: true,
    minimum: 0,
    description:
      'Median hours from creation to the reported takedown over the period’s taken-down ministry links (2 decimals; ' +
      'a marketplace’s own reports are taken down before the exchange knows them, so they have no hours); null when none',
  })
  medianHoursToTakedown!: number | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    minimum: 0,
    description: 'The 90th percentile of the same; null when none',
  })
  p90HoursToTakedown!: number | null;

  @count('Of the period’s taken-down links, those observed at least once (POST /v1/observations)')
  observed!: number;

  @count('Of those, the ones whose latest observation found the listing offline or not_found')
  stayedDown!: number;

  @ApiProperty({
    type: Number,
    nullable: true,
    minimum: 0,
    maximum: 1,
    description: 'The stay-down rate: stayedDown ÷ observed (4 decimals); null when none was observed',
  })
  stayDownRate!: number | null;

  @count('Of the period’s taken-down links, those whose latest observation found the listing online again')
  reappeared!: number;

  @ApiProperty({
    type: AccountActionsResponseDto,
    description:
      'Of the period’s links, the account actions their statements of reasons report (none given: not counted)',
  })
  accountActions!: AccountActionsResponseDto;

  @ApiProperty({
    type: StatsBySourceResponseDto,
    description: 'The same links split by who put them on the exchange',
  })
  bySource!: StatsBySourceResponseDto;
}

export class TakedownStatsResponseDto {
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The from parameter as given (links created at or after it); null when absent',
  })
  from!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The to parameter as given (links created before it); null when absent',
  })
  to!: string | null;

  @ApiProperty({
    type: [MarketplaceStatsResponseDto],
    description: 'One entry per marketplace the caller may see (a marketplace: its own), in code order',
  })
  marketplaces!: MarketplaceStatsResponseDto[];
}

/** One notifying ministry's record over the period's links it notified first (co-notified links counted apart). */
export class NotifierStatsResponseDto {
  @ApiProperty({ format: 'uuid' }) agencyId!: string;
  @ApiProperty({ example: 'kemendag' }) code!: string;
  @ApiProperty({ example: 'Kementerian Perdagangan' }) name!: string;
  @count('Links its batches opened in the period') notified!: number;
  @count('Open links of other ministries its batches co-notified in the period (by the link’s creation)')
  coNotified!: number;
  @count(
    'Of the links it notified, those a marketplace decided: taken down, not found, rejected or reinstated',
  )
  decided!: number;
  @count('Of the links it notified, those taken down (and not reinstated)') takenDown!: number;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'takenDown ÷ decided, to 4 decimals; null when nothing was decided',
    example: 0.9412,
  })
  accuracy!: number | null;
  @count('Objections filed to the links it notified') objections!: number;
  @count('Of those, upheld by it') objectionsUpheld!: number;
  @ApiProperty({
    type: Number,
    nullable: true,
    description:
      'Median hours from a link’s creation to its reported takedown; null when none was taken down',
  })
  medianHoursToTakedown!: number | null;
}

export class NotifierStatsListResponseDto {
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) from!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) to!: string | null;
  @ApiProperty({ type: [NotifierStatsResponseDto], description: 'Every ministry, by code' })
  notifiers!: NotifierStatsResponseDto[];
}
