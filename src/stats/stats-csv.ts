import { csvColumns, CsvForm } from '../common/csv-negotiation';
import { MarketplaceStatsResponseDto, TakedownStatsResponseDto } from './dto/stats-response.dto';

/** A marketplace's row carries the period it was counted over, so a saved file says what it counts. */
type StatsCsvRow = Pick<TakedownStatsResponseDto, 'from' | 'to'> & MarketplaceStatsResponseDto;

/** Takedown statistics as CSV: one row per marketplace, byStatus as one column per status. */
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
    'overdue',
    'relisted',
    'medianHoursToTakedown',
    'p90HoursToTakedown',
  ]),
  rows: ({ from, to, marketplaces }) => marketplaces.map((m) => ({ from, to, ...m })),
};
