import type { LinkStatus, Priority } from '../links/link.entity';
import { LINK_STATUSES } from '../links/link.entity';
import type { BatchStatus, LinkBatchDetailDto, LinkBatchDto } from './dto/link-batch-response.dto';

export type StatusCounts = Record<LinkStatus, number>;
export type BatchView = LinkBatchDto;
export type BatchDetail = LinkBatchDetailDto;

export interface BatchRow {
  id: string;
  reference: string;
  legal_basis: string;
  category: string | null;
  note: string | null;
  due_at: Date | null;
  priority: Priority;
  /** link_count, or for a marketplace the number of its own links in the batch. */
  visible_link_count: number;
  created_at: Date;
  cancelled_at: Date | null;
  cancel_reason: string | null;
  status: BatchStatus;
}

export const emptyCounts = (): StatusCounts =>
  Object.fromEntries(LINK_STATUSES.map((s) => [s, 0])) as StatusCounts;

export function toView(b: BatchRow): BatchView {
  return {
    id: b.id,
    reference: b.reference,
    legalBasis: b.legal_basis,
    category: b.category,
    note: b.note,
    dueAt: b.due_at?.toISOString() ?? null,
    priority: b.priority,
    status: b.status,
    linkCount: b.visible_link_count,
    createdAt: b.created_at.toISOString(),
    cancelledAt: b.cancelled_at?.toISOString() ?? null,
    cancelReason: b.cancel_reason,
  };
}

/** Counts per (marketplace, status) summed into the batch's totals and one entry per marketplace, by code. */
export function tallyStatusCounts(
  rows: readonly { marketplace_id: string; code: string; status: LinkStatus; n: number; overdue: number }[],
): Pick<BatchDetail, 'statusCounts' | 'byMarketplace' | 'overdue'> {
  const statusCounts = emptyCounts();
  const byMarketplace = new Map<string, BatchDetail['byMarketplace'][number]>();
  let overdue = 0;
  for (const c of rows) {
    statusCounts[c.status] += c.n;
    overdue += c.overdue;
    const entry = byMarketplace.get(c.marketplace_id) ?? {
      marketplaceId: c.marketplace_id,
      code: c.code,
      statusCounts: emptyCounts(),
      overdue: 0,
    };
    entry.statusCounts[c.status] += c.n;
    entry.overdue += c.overdue;
    byMarketplace.set(c.marketplace_id, entry);
  }
  return {
    statusCounts,
    byMarketplace: [...byMarketplace.values()].sort((a, b) => a.code.localeCompare(b.code)),
    overdue,
  };
}
