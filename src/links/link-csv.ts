import { csvColumns, CsvForm } from '../common/csv-negotiation';
import { LinkListResponseDto, LinkResponseDto } from './dto/link-response.dto';

/** A page of links as CSV: one row per link, nested fields as dot paths, the JSON's order of fields. */
export const LINK_LIST_CSV: CsvForm<LinkListResponseDto, LinkResponseDto> = {
  columns: csvColumns<LinkResponseDto>()([
    'id',
    'batchId',
    'marketplaceId',
    'url',
    'canonicalUrl',
    'listingKey',
    'status',
    'statusReason',
    'dueAt',
    'overdue',
    'relisted',
    'priorLinkIds',
    'note',
    'keywords',
    'listing.title',
    'listing.sellerRef',
    'listing.sellerName',
    'listing.price',
    'listing.currency',
    'listing.screenshotSha256',
    'repeatSeller.sellerRef',
    'repeatSeller.priorTakedowns',
    'createdAt',
    'updatedAt',
    'resolvedAt',
  ]),
  rows: (page) => page.items,
  nextCursor: (page) => page.nextCursor,
};
