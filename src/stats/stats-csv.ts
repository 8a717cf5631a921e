import { csvColumns, CsvForm } from '../common/csv-negotiation';
import {
  MarketplaceStatsResponseDto,
  StatsBySourceResponseDto,
  TakedownStatsResponseDto,
} from './dto/stats-response.dto';

/**
 * A marketplace's row carries the period it was counted over, so a saved file says what it counts. bySource's two
 * parts become columns `ministry.…` and `marketplace.…` (a spreadsheet's columns stay three levels deep).
 */
type StatsCsvRow = Pick<TakedownStatsResponseDto, 'from' | 'to'> &
  Omit<MarketplaceStatsResponseDto, 'bySource'> &
  StatsBySourceResponseDto;

/** Takedown statistics as CSV: one row per marketplace, byStatus as one column per status, then the same by source. */
export const TAKEDOWN_STATS_CSV: CsvForm<TakedownStatsResponseDto, StatsCsvRow> = {
  columns: csvColumns<StatsCsvRow>()([
    'from',
    'to',
    'marketplaceId',
    'code',
    'name',
    'received',
    'byStatus.pending',
    'byStatus.acknowledged',
    'byStatus.taken_down',
    'byStatus.not_found',
    'byStatus.rejected',
    'byStatus.withdrawn',
    'byStatus.reinstated',
    'overdue',
    'relisted',
    'medianHoursToTakedown',
    'p90HoursToTakedown',
    'observed',
    'stayedDown',
    'stayDownRate',
    'reappeared',
    'accountActions.none',
    'accountActions.warned',
    'accountActions.suspended',
    'accountActions.terminated',
    'ministry.received',
    'ministry.byStatus.pending',
    'ministry.byStatus.acknowledged',
    'ministry.byStatus.taken_down',
    'ministry.byStatus.not_found',
    'ministry.byStatus.rejected',
    'ministry.byStatus.withdrawn',
    'ministry.byStatus.reinstated',
    'ministry.relisted',
    'ministry.overdue',
    'ministry.medianHoursToTakedown',
    'ministry.p90HoursToTakedown',
    'marketplace.received',
    'marketplace.byStatus.pending',
    'marketplace.byStatus.acknowledged',
    'marketplace.byStatus.taken_down',
    'marketplace.byStatus.not_found',
    'marketplace.byStatus.rejected',
    'marketplace.byStatus.withdrawn',
    'marketplace.byStatus.reinstated',
    'marketplace.relisted',
  ]),
  rows: ({ from, to, marketplaces }) =>
    marketplaces.map(({ bySource, ...m }) => ({ from, to, ...m, ...bySource })),
};
