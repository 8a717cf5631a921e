import { Injectable } from '@nestjs/common';
import { raw, sql, Sql } from '../database/sql';
import { CO_NOTIFIERS, LinkRow } from './link.view';

/** The link's stored columns (no view derived from time or other links), NULL when the row is gone. */
const STORED_LINK_COLUMNS =
  raw(`l.id, l.source, l.batch_id, l.report_id, l.marketplace_id, l.url, l.canonical_url, l.listing_key, l.status, l.status_reason,
  l.priority, l.due_at, l.relisted, l.prior_link_ids, l.note, l.keywords, l.listing, l.seller_ref, l.created_at, l.resolved_at,
  l.reappeared, l.decision, ${CO_NOTIFIERS} AS co_notifier_ids`);

/** A link in an evidence request's scope, as stored: every link column NULL when its row is gone. */
export type StoredScopedLink = LinkRow & { link_id: string; scoped_marketplace_id: string };

/**
 * Links as other features read them. The queries are returned, not run, so a caller can stream them through a
 * cursor of its own snapshot.
 */
@Injectable()
export class LinkReader {
  /** The links an evidence request holds in the parts of `marketplaceIds`, in link id order, rows of StoredScopedLink. */
  storedLinksOfRequest(requestId: string, marketplaceIds: string[]): Sql {
    return sql`SELECT k.link_id, k.marketplace_id AS scoped_marketplace_id, ${STORED_LINK_COLUMNS}
         FROM evidence_request_links k LEFT JOIN links l ON l.id = k.link_id
        WHERE k.request_id = ${requestId} AND k.marketplace_id = ANY(${marketplaceIds}::uuid[]) ORDER BY k.link_id`;
  }
}
